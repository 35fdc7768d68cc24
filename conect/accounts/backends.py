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

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied
from rules.permissions import ObjectPermissionBackend

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
    if settings.AUTHENTICATION_BACKENDS[0] != PATH or not rules.perm_exists(perm):
        return None
    return rules.has_perm(perm, user, obj)
