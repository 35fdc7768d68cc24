"""The permission backend of CONECT: a named rule's answer is final.

Every permission of CONECT is one named rule (``rules.add_perm``). Django asks each
backend in turn until one says yes, so when a rule said no, Django's ModelBackend (and
allauth's, which extends it) would be asked next: it would grant the permission to anyone
given the model permission of the same name in the administration site, around the rule
(``registry.change_organisation`` is both), and read the user's and their groups'
permissions (two queries) on every signed-in page that asks a permission. Raising
PermissionDenied stops Django's loop there. A permission no rule names (the administration
site's own model permissions) still goes to the model backends.
"""

import operator

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied
from rules.permissions import ObjectPermissionBackend, permissions
from rules.predicates import Predicate

PATH = "conect.accounts.backends.NamedRuleBackend"


class NamedRuleBackend(ObjectPermissionBackend):
    def has_perm(self, user, perm, *args, **kwargs):
        if not rules.perm_exists(perm):
            return False
        if rules.has_perm(perm, user, *args, **kwargs):
            return True
        raise PermissionDenied


def rule_answer(user, perm: str, obj=None) -> bool | None:
    """What Django's loop over the backends answers for a permission a rule names, when
    this backend comes first (so the rule's answer is final): without that loop, which
    makes a new instance of every backend each time it is asked. None for a permission no
    rule names, or when this backend is not the first (a test's settings, say)."""
    if settings.AUTHENTICATION_BACKENDS[0] != PATH:
        return None
    rule = permissions.get(perm)
    if rule is None:
        return None
    return _compiled(rule)((user, obj))


# --- A rule, evaluated without the rules library's bookkeeping ------------------------
#
# rules.has_perm(perm, user, obj) answers through Predicate.test(): it pushes an invocation
# context on a thread-local stack, logs each predicate at debug level and, for every `&`,
# `|` and `~`, goes through a Predicate object of its own (_combine, then _apply, which
# slices the arguments to the function's length). A navigation asks seven rules on every
# page; that bookkeeping was about a tenth of a signed-in page's time. _compiled(rule)
# gives the same answer as rule.test(user, obj) with plain nested functions: the same
# functions called with the same arguments, in the same order, with the same
# short-circuits and the same handling of a predicate that returns None ("skipped").
# A predicate that needs the invocation context (bind=True) keeps the library's way.

_COMBINED = {"AND": operator.and_, "OR": operator.or_, "XOR": operator.xor}
_compiled_rules: dict[int, tuple] = {}


def _compiled(rule: Predicate):
    """The rule as a function of the argument tuple (user, obj) that answers True or False
    as rule.test(user, obj) does; compiled once per rule object (a rule replaced with
    rules.set_perm is compiled again)."""
    cached = _compiled_rules.get(id(rule))
    if cached is None or cached[0] is not rule:
        try:
            answer = _compile(rule)
            function = lambda args: bool(answer(args))  # noqa: E731 - as Predicate.test
        except _NeedsLibrary:
            function = _by_the_library(rule)
        cached = _compiled_rules[id(rule)] = (rule, function)
    return cached[1]


class _NeedsLibrary(Exception):
    """A predicate the compiler leaves to the rules library."""


def _by_the_library(rule):
    return lambda args: rule.test(*args)


def _operands(predicate: Predicate) -> dict:
    """The closure of a combined predicate's function (rules' __and__, __or__, __xor__,
    __invert__ define AND, OR, XOR, INVERT over `self` and, but for INVERT, `other`)."""
    function = predicate.fn
    cells = zip(function.__code__.co_freevars, function.__closure__ or (), strict=True)
    return {name: cell.cell_contents for name, cell in cells}


def _compile(predicate: Predicate):
    if predicate.bind:
        raise _NeedsLibrary
    function = predicate.fn
    combined = getattr(function, "__qualname__", "").startswith("Predicate.__")
    if combined and function.__name__ in _COMBINED:
        operands = _operands(predicate)
        return _combine(
            _compile(operands["self"]), _compile(operands["other"]), _COMBINED[function.__name__]
        )
    if combined and function.__name__ == "INVERT":
        inner = _compile(_operands(predicate)["self"])

        def invert(args):
            result = inner(args)
            return None if result is None else not result

        return invert
    if combined:  # a combination this version of rules does not have
        raise _NeedsLibrary
    return _leaf(function, predicate.num_args, predicate.var_args)


def _combine(left, right, op):
    """Predicate._combine: a skipped side gives the other's answer; `&` and `|`
    short-circuit."""
    if op is operator.and_:

        def both(args):
            first = left(args)
            if first is None:
                return right(args)
            if not first:
                return False
            second = right(args)
            return first if second is None else second

        return both
    if op is operator.or_:

        def either(args):
            first = left(args)
            if first is None:
                return right(args)
            if first:
                return True
            second = right(args)
            return first if second is None else second

        return either

    def one_of(args):
        first = left(args)
        if first is None:
            return right(args)
        second = right(args)
        return first if second is None else op(first, second)

    return one_of


def _leaf(function, num_args: int, var_args: bool):
    """Predicate._apply: the function gets as many of (user, obj) as it takes."""
    if var_args:

        def call(args):
            result = function(*args)
            return None if result is None else bool(result)

    elif num_args == 0:

        def call(args):
            result = function()
            return None if result is None else bool(result)

    elif num_args == 1:

        def call(args):
            result = function(args[0])
            return None if result is None else bool(result)

    else:

        def call(args):
            result = function(*args[:num_args], *(None,) * (num_args - len(args)))
            return None if result is None else bool(result)

    return call
