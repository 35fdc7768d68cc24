"""Permissions on institutions, their staff, officials and advisory structures.

Every permission that takes an object accepts the record itself or anything that belongs
to an institution (its staff rows, officials, structures, their seats, calls,
applications and meetings): the rule looks up the owning institution.
"""

import rules

from conect.accounts.rules import is_authenticated, is_coordinator, is_verified

from ..models import (
    AdvisoryStructure,
    Institution,
    InstitutionStaff,
    Meeting,
    MembershipApplication,
    MembershipCall,
    Organisation,
    OrganisationMembership,
    RelationshipOfficial,
    Seat,
)
from .predicates import is_institution_admin, is_institution_staff


def owning_institution(obj):
    """The institution a registry record belongs to, or None."""
    if obj is None:
        return None
    if isinstance(obj, Institution):
        return obj
    if isinstance(obj, InstitutionStaff | RelationshipOfficial | AdvisoryStructure):
        return obj.institution
    if isinstance(obj, Seat | MembershipCall | Meeting):
        return obj.structure.institution
    if isinstance(obj, MembershipApplication):
        return obj.call.structure.institution
    return None


def verified_admin_organisation_ids(user) -> list[int]:
    """Ids of the verified organisations this user administers (cached for the request).

    Only verified organisations apply to calls for members: an imported record has not
    been claimed and checked, and a pending, rejected or suspended one may not act. Nor
    may one that the National NGO Registry lists as in liquidation, dissolved or struck
    off: it no longer exists to be represented.
    """
    if not is_authenticated(user):
        return []
    cached = getattr(user, "_conect_verified_admin_orgs", None)
    if cached is None:
        cached = list(
            OrganisationMembership.objects.filter(
                user=user,
                role=OrganisationMembership.Role.ADMIN,
                organisation__status=Organisation.Status.VERIFIED,
                organisation__registry_state=Organisation.RegistryState.ACTIVE,
            ).values_list("organisation_id", flat=True)
        )
        user._conect_verified_admin_orgs = cached
    return cached


@rules.predicate
def is_owner_staff(user, obj):
    """Approved staff of the institution that owns this record."""
    return is_institution_staff(user, owning_institution(obj))


@rules.predicate
def is_owner_admin(user, obj):
    """Approved administrator of the institution that owns this record."""
    return is_institution_admin(user, owning_institution(obj))


@rules.predicate
def has_no_staff_request(user, institution):
    """Not yet staff of this institution nor waiting for an answer (a rejected user may
    ask again)."""
    if institution is None:
        return True
    return not InstitutionStaff.objects.filter(
        institution=institution,
        user=user,
        status__in=[InstitutionStaff.Status.PENDING, InstitutionStaff.Status.APPROVED],
    ).exists()


@rules.predicate
def is_not_removed(user, obj):
    """An official that is still in the registry (any other object passes)."""
    return not (isinstance(obj, RelationshipOfficial) and obj.removed_at is not None)


@rules.predicate
def is_published_official(user, official):
    return official is not None and official.is_published


@rules.predicate
def is_open_structure(user, obj):
    """The structure (of a structure, seat or call) has not been dissolved."""
    structure = obj.structure if isinstance(obj, Seat | MembershipCall | Meeting) else obj
    return structure is not None and structure.status != AdvisoryStructure.Status.DISSOLVED


@rules.predicate
def is_open_call(user, call):
    """The call accepts applications today and its structure is active."""
    return (
        call is not None
        and call.is_open()
        and call.structure.status == AdvisoryStructure.Status.ACTIVE
    )


@rules.predicate
def is_call_not_closed(user, call):
    return call is not None and call.status == MembershipCall.Status.OPEN


@rules.predicate
def is_pending_application(user, application):
    return application is not None and application.status == MembershipApplication.Status.PENDING


@rules.predicate
def is_admin_of_verified_organisation(user):
    return bool(verified_admin_organisation_ids(user))


can_manage = is_owner_staff | is_coordinator

# Institutions and their staff.
rules.add_perm("registry.add_institution", is_coordinator)
rules.add_perm("registry.join_institution", is_verified & has_no_staff_request)
rules.add_perm("registry.change_institution", is_owner_admin | is_coordinator)
rules.add_perm("registry.manage_staff", is_owner_admin | is_coordinator)

# Relationship officials.
rules.add_perm("registry.manage_officials", can_manage & is_not_removed)
rules.add_perm("registry.view_official", is_published_official | can_manage)

# Advisory structures, their seats, calls, applications and meetings.
rules.add_perm("registry.manage_structures", can_manage)
rules.add_perm("registry.manage_seats", can_manage & is_open_structure)
rules.add_perm("registry.create_call", can_manage & is_open_structure)
rules.add_perm("registry.change_call", can_manage & is_call_not_closed)
rules.add_perm("registry.add_meeting", can_manage & is_open_structure)
rules.add_perm("registry.view_applications", can_manage)
rules.add_perm("registry.decide_application", can_manage & is_pending_application)
rules.add_perm("registry.apply_to_call", is_admin_of_verified_organisation & is_open_call)

# History of every registry record.
rules.add_perm("registry.view_history", is_coordinator)

# The administration site: coordinators read, only superusers write (writes belong in
# the services, which keep e-mails, search columns and statistics in step).
for _model in (
    "institution",
    "institutionstaff",
    "relationshipofficial",
    "advisorystructure",
    "seat",
    "membershipcall",
    "membershipapplication",
    "meeting",
):
    rules.add_perm(f"registry.view_{_model}", is_coordinator)
