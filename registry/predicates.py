"""Role predicates of the registry, shared by every permission in CONECT.

An NGO representative is a member (or admin) of an organisation that may act on the
platform (verified or imported, not pending, rejected or suspended). A civil servant is
an approved staff member of a public institution. Results are cached on the user object
for the length of a request, so asking many permissions costs one query per role.
"""

import rules

from conect.accounts.rules import is_authenticated
from conect.core.baked import BakedQuery

from .models import InstitutionStaff, Organisation, OrganisationMembership

ACTIVE_ORG_STATUSES = (Organisation.Status.VERIFIED, Organisation.Status.IMPORTED)

# Read on every signed-in page (the navigation's rules): SQL written once.
ORG_ROLES = BakedQuery(
    lambda user_id: OrganisationMembership.objects.filter(
        user_id=user_id, organisation__status__in=ACTIVE_ORG_STATUSES
    ).only("organisation_id", "role")
)
INSTITUTION_ROLES = BakedQuery(
    lambda user_id: InstitutionStaff.objects.filter(
        user_id=user_id, status=InstitutionStaff.Status.APPROVED
    ).only("institution_id", "role")
)


def _org_roles(user) -> dict[int, str]:
    """{organisation id: role} for the organisations the user may act for."""
    cached = getattr(user, "_conect_org_roles", None)
    if cached is None:
        cached = {row.organisation_id: row.role for row in ORG_ROLES(user.pk)}
        user._conect_org_roles = cached
    return cached


def _institution_roles(user) -> dict[int, str]:
    """{institution id: role} for the institutions where the user is approved staff."""
    cached = getattr(user, "_conect_institution_roles", None)
    if cached is None:
        cached = {row.institution_id: row.role for row in INSTITUTION_ROLES(user.pk)}
        user._conect_institution_roles = cached
    return cached


def forget_roles(user) -> None:
    """Drop the cached roles after a service changed them."""
    for attr in ("_conect_org_roles", "_conect_institution_roles", "_conect_verified"):
        if hasattr(user, attr):
            delattr(user, attr)


@rules.predicate
def is_ngo_representative(user):
    return bool(is_authenticated(user) and _org_roles(user))


@rules.predicate
def is_civil_servant(user):
    return bool(is_authenticated(user) and _institution_roles(user))


@rules.predicate
def is_organisation_member(user, organisation):
    """Member or admin of this organisation, which may act on the platform."""
    if organisation is None or not is_authenticated(user):
        return False
    return organisation.pk in _org_roles(user)


@rules.predicate
def is_organisation_admin(user, organisation):
    if organisation is None or not is_authenticated(user):
        return False
    return _org_roles(user).get(organisation.pk) == OrganisationMembership.Role.ADMIN


@rules.predicate
def is_institution_staff(user, institution):
    if institution is None or not is_authenticated(user):
        return False
    return institution.pk in _institution_roles(user)


@rules.predicate
def is_institution_admin(user, institution):
    if institution is None or not is_authenticated(user):
        return False
    return _institution_roles(user).get(institution.pk) == InstitutionStaff.Role.ADMIN
