"""Role predicates of the registry, shared by every permission in CONECT.

An NGO representative is a member (or admin) of an organisation that may act on the
platform (verified or imported, not pending, rejected or suspended). A civil servant is
an approved staff member of a public institution. A page asks many permissions, so each
user's roles are read once and kept on the user object, a plain attribute that lives as
long as the request's user (a service that changes a role calls forget_roles).
"""

import rules

from conect.accounts.rules import is_authenticated

from ..models import InstitutionStaff, Organisation, OrganisationMembership

ACTIVE_ORG_STATUSES = (Organisation.Status.VERIFIED, Organisation.Status.IMPORTED)


def _org_roles(user) -> dict[int, str]:
    """{organisation id: role} for the organisations the user may act for."""
    if not hasattr(user, "_conect_org_roles"):
        user._conect_org_roles = dict(
            OrganisationMembership.objects.filter(
                user=user, organisation__status__in=ACTIVE_ORG_STATUSES
            ).values_list("organisation_id", "role")
        )
    return user._conect_org_roles


def _institution_roles(user) -> dict[int, str]:
    """{institution id: role} for the institutions where the user is approved staff."""
    if not hasattr(user, "_conect_institution_roles"):
        user._conect_institution_roles = dict(
            InstitutionStaff.objects.filter(
                user=user, status=InstitutionStaff.Status.APPROVED
            ).values_list("institution_id", "role")
        )
    return user._conect_institution_roles


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
