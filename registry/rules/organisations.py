"""Permissions on domains, organisations, their members, verification and import.

Who may do what with an organisation, by its status:

- anyone sees verified and imported organisations; their own members (whatever the
  status) and coordinators also see pending, rejected and suspended ones;
- an organisation's administrators edit its profile and manage its members while it is
  pending, verified or imported; a rejected or suspended organisation cannot act;
- coordinators (and superusers) verify, reject, suspend and reinstate, and may edit any
  profile.
"""

import rules

from conect.accounts.rules import is_authenticated, is_coordinator, is_superuser, is_verified

from ..models import Organisation, OrganisationMembership
from .predicates import forget_roles, is_organisation_admin, is_organisation_member

__all__ = [
    "belongs_to_organisation",
    "forget_organisation_roles",
    "is_organisation_admin",
    "is_organisation_member",
    "is_pending_organisation_admin",
    "is_public_organisation",
]


def _all_org_roles(user) -> dict[int, tuple[str, str]]:
    """{organisation id: (role, organisation status)} for every organisation the user
    belongs to, whatever its status (cached on the user for the request)."""
    cached = getattr(user, "_conect_all_org_roles", None)
    if cached is None:
        cached = {
            org_id: (role, status)
            for org_id, role, status in OrganisationMembership.objects.filter(
                user=user
            ).values_list("organisation_id", "role", "organisation__status")
        }
        user._conect_all_org_roles = cached
    return cached


def forget_organisation_roles(user) -> None:
    """Drop every cached role of this user after a service changed them."""
    if user is None:
        return
    forget_roles(user)
    for attr in ("_conect_all_org_roles", "_conect_verified_admin_orgs"):
        if hasattr(user, attr):
            delattr(user, attr)


@rules.predicate
def is_public_organisation(user, organisation):
    """Verified or imported: its public fields are open to everyone."""
    return organisation is not None and organisation.status in Organisation.PUBLIC_STATUSES


@rules.predicate
def belongs_to_organisation(user, organisation):
    """A member or administrator of this organisation, whatever its status."""
    if organisation is None or not is_authenticated(user):
        return False
    return organisation.pk in _all_org_roles(user)


@rules.predicate
def is_pending_organisation_admin(user, organisation):
    """Administrator of this organisation while it waits for verification: they may
    still correct its profile and gather its members."""
    if organisation is None or not is_authenticated(user):
        return False
    if organisation.status != Organisation.Status.PENDING:
        return False
    role, _status = _all_org_roles(user).get(organisation.pk, (None, None))
    return role == OrganisationMembership.Role.ADMIN


can_administer = is_organisation_admin | is_pending_organisation_admin | is_coordinator

rules.add_perm("registry.add_organisation", is_verified)
rules.add_perm("registry.claim_organisation", is_verified)
rules.add_perm(
    "registry.view_organisation",
    is_public_organisation | belongs_to_organisation | is_coordinator,
)
rules.add_perm("registry.change_organisation", can_administer)
rules.add_perm("registry.manage_members", can_administer)
# Any member may leave (the last administrator is stopped by the service).
rules.add_perm("registry.leave_organisation", belongs_to_organisation)
rules.add_perm("registry.view_verification_queue", is_coordinator)
rules.add_perm("registry.verify_organisation", is_coordinator)
rules.add_perm("registry.import_registry", is_coordinator)
rules.add_perm("registry.review_set_aside_rows", is_coordinator)

# Domains of activity: public reference data that coordinators keep; deleting one would
# strip it from organisations and structures, so only superusers may.
rules.add_perm("registry.view_domain", rules.always_allow)
rules.add_perm("registry.add_domain", is_coordinator)
rules.add_perm("registry.change_domain", is_coordinator)
rules.add_perm("registry.delete_domain", is_superuser)

# The administration site: coordinators read organisations, memberships and invitations;
# writes go through the pages, whose services keep e-mails, history, search columns and
# statistics in step. Superusers keep full access.
rules.add_perm("registry.view_organisationmembership", is_coordinator)
rules.add_perm("registry.view_organisationinvitation", is_coordinator)

# History of registry records (also declared with the institutions' permissions).
if not rules.perm_exists("registry.view_history"):
    rules.add_perm("registry.view_history", is_coordinator)
