"""Role predicates that the whole platform composes into its permissions.

Roles: citizen (any user with a verified e-mail), NGO representative and civil servant
(defined in registry/rules/, from memberships), coordinator (staff of the General
Secretariat) and superuser.
"""

import rules
from allauth.account.models import EmailAddress


@rules.predicate
def is_authenticated(user):
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_verified(user):
    """A signed-in user whose e-mail address is verified: a citizen. Asked by several
    rules on every signed-in page, so the answer is kept on the user object, which lives
    as long as the request (registry.rules.predicates.forget_roles drops it)."""
    if not is_authenticated(user):
        return False
    if not hasattr(user, "_conect_verified"):
        user._conect_verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    return user._conect_verified


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
