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
from django.core.exceptions import PermissionDenied
from rules.permissions import ObjectPermissionBackend


class NamedRuleBackend(ObjectPermissionBackend):
    def has_perm(self, user, perm, *args, **kwargs):
        if not rules.perm_exists(perm):
            return False
        if rules.has_perm(perm, user, *args, **kwargs):
            return True
        raise PermissionDenied
