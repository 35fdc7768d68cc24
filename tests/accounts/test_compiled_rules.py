"""A named rule is evaluated without the rules library's bookkeeping
(conect.accounts.backends._compiled); its answer, and which predicates it asks in which
order, are the library's."""

import itertools

import pytest
import rules
from rules.permissions import permissions

from conect.accounts.backends import _compiled


def _leaves(outcomes: dict, calls: list):
    """Predicates named a, b, c (and d of two arguments) that answer what `outcomes` says
    and record each call."""

    def make(name):
        def answer(user):
            calls.append(name)
            return outcomes[name]

        return rules.predicate(answer, name=name)

    def of_two(user, obj):
        calls.append("d")
        return outcomes["d"]

    a, b, c = (make(name) for name in "abc")
    return a, b, c, rules.predicate(of_two, name="d")


EXPRESSIONS = {
    "a & b": lambda a, b, c, d: a & b,
    "a | b": lambda a, b, c, d: a | b,
    "a ^ b": lambda a, b, c, d: a ^ b,
    "~a": lambda a, b, c, d: ~a,
    "~(a & b) | c": lambda a, b, c, d: ~(a & b) | c,
    "a & (b | ~c) & d": lambda a, b, c, d: a & (b | ~c) & d,
    "(a | b) ^ ~(c & d)": lambda a, b, c, d: (a | b) ^ ~(c & d),
}


@pytest.mark.parametrize("expression", list(EXPRESSIONS))
def test_every_combination_answers_as_the_library(expression):
    """For every answer of every predicate (yes, no, skipped with None), the compiled rule
    answers as Predicate.test and asks the same predicates in the same order (the
    short-circuits are kept: a predicate that reads the database is not asked for nothing)."""
    for values in itertools.product([True, False, None], repeat=4):
        outcomes = dict(zip("abcd", values, strict=True))
        library_calls, compiled_calls = [], []
        rule = EXPRESSIONS[expression](*_leaves(outcomes, library_calls))
        expected = rule.test("user", "obj")
        same = EXPRESSIONS[expression](*_leaves(outcomes, compiled_calls))
        assert _compiled(same)(("user", "obj")) == expected, (expression, outcomes)
        assert compiled_calls == library_calls, (expression, outcomes)


def test_arguments_go_as_the_library_passes_them():
    """A predicate gets as many of (user, obj) as it takes: none, the user, both, or all of
    them when it takes *args."""
    seen = []
    none = rules.predicate(lambda: seen.append(()) or True)
    one = rules.predicate(lambda user: seen.append((user,)) or True)
    two = rules.predicate(lambda user, obj: seen.append((user, obj)) or True)
    every = rules.predicate(lambda *args: seen.append(args) or True)
    assert _compiled(none & one & two & every)(("u", "o")) is True
    assert seen == [(), ("u",), ("u", "o"), ("u", "o")]


def test_a_predicate_that_needs_its_context_is_left_to_the_library():
    """bind=True gives a predicate the invocation context, which only the library sets."""

    @rules.predicate(bind=True)
    def sees_its_arguments(self, user):
        return self.context.args == (user, "o")

    rule = rules.is_authenticated | sees_its_arguments
    assert _compiled(rule)(("u", "o")) is True
    assert _compiled(~sees_its_arguments)(("u", "o")) is False


def test_a_rule_replaced_is_compiled_again():
    name = "tests.compiled_rule"
    rules.add_perm(name, rules.always_true)
    try:
        assert _compiled(permissions[name])((None, None)) is True
        rules.set_perm(name, rules.always_false)
        assert _compiled(permissions[name])((None, None)) is False
    finally:
        rules.remove_perm(name)


@pytest.mark.django_db
def test_every_rule_of_the_project_answers_as_the_library(
    citizen,
    unverified_user,
    ngo_member,
    ngo_admin,
    civil_servant,
    institution_admin,
    coordinator,
    organisation,
    institution,
):
    """Each permission CONECT names, asked by people of every role about nothing, an
    organisation and an institution: the same answer (or the same error) as the library."""
    from django.contrib.auth.models import AnonymousUser

    people = [
        AnonymousUser(),
        citizen,
        unverified_user,
        ngo_member,
        ngo_admin,
        civil_servant,
        institution_admin,
        coordinator,
    ]
    asked = 0
    for name, rule in sorted(permissions.items()):
        for person, obj in itertools.product(people, [None, organisation, institution]):
            try:
                expected = rule.test(person, obj)
            except Exception as error:  # a rule about another kind of record
                with pytest.raises(type(error)):
                    _compiled(rule)((person, obj))
                continue
            assert _compiled(rule)((person, obj)) is expected, (name, person, obj)
            asked += 1
    assert asked > 100
