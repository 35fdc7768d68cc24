"""The permission backend of CONECT: rules' ObjectPermissionBackend, whose answer is final
for a permission a named rule decides.

Django asks each backend in turn until one says yes. A named rule that says no would
otherwise be overruled by a model permission of the same name given in the
administration site (``registry.change_organisation`` is both), so the backend raises
PermissionDenied, which stops Django's loop. A permission no rule names (the
administration site's own model permissions) goes on to the model backend.
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
