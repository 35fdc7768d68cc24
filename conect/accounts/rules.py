"""Role predicates that the whole platform composes into its permissions.

Roles: citizen (any user with a verified e-mail), NGO representative and civil servant
(defined in registry/rules.py, from memberships), coordinator (staff of the General
Secretariat) and superuser.
"""

import rules
from allauth.account.models import EmailAddress

from conect.core.baked import BakedQuery

# Asked on every signed-in page (the navigation's rules): SQL written once.
VERIFIED_ADDRESSES = BakedQuery(
    lambda user_id: EmailAddress.objects.filter(user_id=user_id, verified=True).only("pk")
)


@rules.predicate
def is_authenticated(user):
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_verified(user):
    """A signed-in user whose e-mail address is verified: a citizen."""
    if not is_authenticated(user):
        return False
    cached = getattr(user, "_conect_verified", None)
    if cached is None:
        cached = bool(VERIFIED_ADDRESSES.rows((user.pk,), 0, 1))
        user._conect_verified = cached
    return cached


@rules.predicate
def is_superuser(user):
    return bool(is_authenticated(user) and user.is_superuser)


@rules.predicate
def is_coordinator(user):
    """Staff of the General Secretariat of the Government (or a superuser)."""
    return bool(is_authenticated(user) and (user.is_coordinator or user.is_superuser))


@rules.predicate
def is_self(user, target):
    return bool(is_authenticated(user) and target is not None and target.pk == user.pk)


# The administration site is open to coordinators and superusers.
rules.add_perm("conect.access_admin", is_coordinator)

# Accounts in the administration site.
rules.add_perm("accounts.view_user", is_coordinator)
rules.add_perm("accounts.change_user", is_superuser)
rules.add_perm("accounts.add_user", is_superuser)
rules.add_perm("accounts.delete_user", is_superuser)
rules.add_perm("accounts.change_own_profile", is_self)

# Record of sent e-mails: read-only, for coordinators.
rules.add_perm("core.view_sentemail", is_coordinator)
