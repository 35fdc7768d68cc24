"""Reads of advisory structures, their seats, calls, applications and meetings."""

import functools

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from conect.core.baked import BakedQuery, stub

from ..models import (
    AdvisoryStructure,
    Domain,
    Institution,
    Meeting,
    MembershipApplication,
    MembershipCall,
    Organisation,
    OrganisationMembership,
    RelationshipOfficial,
    Seat,
)
from ..reference import reference

ROLE_RANK = Case(
    When(role=Seat.Role.PRESIDENT, then=Value(0)),
    When(role=Seat.Role.VICE_PRESIDENT, then=Value(1)),
    When(role=Seat.Role.SECRETARY, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def current_seat_condition(prefix: str = "", on=None) -> Q:
    """Seats whose mandate runs on `on` (today by default)."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}mandate_start__lte": on}) & (
        Q(**{f"{prefix}mandate_end__isnull": True}) | Q(**{f"{prefix}mandate_end__gte": on})
    )


def open_call_condition(prefix: str = "", on=None) -> Q:
    on = on or timezone.localdate()
    return Q(
        **{
            f"{prefix}status": MembershipCall.Status.OPEN,
            f"{prefix}opens_on__lte": on,
            f"{prefix}closes_on__gte": on,
        }
    )


def structure_list_public() -> QuerySet[AdvisoryStructure]:
    """Every advisory structure (they are public), with institution, area and domains
    loaded, the number of current seats counted and whether a call is open, so that a list
    page costs a constant number of queries."""
    today = timezone.localdate()
    return (
        AdvisoryStructure.objects.select_related("institution", "region", "county")
        .defer("region__boundary", "county__boundary")
        .prefetch_related(Prefetch("domains", queryset=Domain.objects.all()))
        .annotate(
            current_seats=Count("seats", filter=current_seat_condition("seats__", today)),
            has_open_call=Exists(
                MembershipCall.objects.filter(
                    open_call_condition(on=today), structure=OuterRef("pk")
                )
            ),
        )
        .order_by("name", "pk")
    )


def structure_list_rows() -> QuerySet[AdvisoryStructure]:
    """The structures of the web list: their columns, the institution's name, the current
    seats counted and whether a call is open; a page's area and domains come from the
    reference snapshot after (with_structure_refs). Built once a day per process (it
    takes longer to build than to clone)."""
    return _structure_rows(timezone.localdate()).all()


@functools.lru_cache(maxsize=2)
def _structure_rows(today) -> QuerySet[AdvisoryStructure]:
    return AdvisoryStructure.objects.annotate(
        institution_name=F("institution__name"),
        current_seats=Count("seats", filter=current_seat_condition("seats__", today)),
        has_open_call=Exists(
            MembershipCall.objects.filter(open_call_condition(on=today), structure=OuterRef("pk"))
        ),
    ).order_by("name", "pk")


def with_structure_refs(structures) -> list[AdvisoryStructure]:
    """A page of structure_list_rows() with `institution` (id and name), county, region
    and `domain_list` from the reference snapshot: one query, for the domain links."""
    structures = list(structures)
    snapshot = reference()
    ids = [structure.pk for structure in structures]
    links = AdvisoryStructure.domains.through.objects.filter(advisorystructure_id__in=ids)
    domains = snapshot.domains_by_owner(
        links.values_list("advisorystructure_id", "domain_id") if ids else []
    )
    for structure in structures:
        _structure_refs(structure, snapshot)
        structure.domain_list = domains.get(structure.pk, [])
    return structures


def _structure_refs(structure: AdvisoryStructure, snapshot) -> None:
    """The structure's institution (id and name, from the `institution_name` annotation),
    county and region (from the reference snapshot), with no query."""
    AdvisoryStructure.institution.field.set_cached_value(
        structure, stub(Institution, pk=structure.institution_id, name=structure.institution_name)
    )
    AdvisoryStructure.county.field.set_cached_value(
        structure, snapshot.county_by_id.get(structure.county_id)
    )
    AdvisoryStructure.region.field.set_cached_value(
        structure, snapshot.region_by_id.get(structure.region_id)
    )


def seats_with_holders() -> QuerySet[Seat]:
    """Seats with their holder (organisation or official and its institution), the
    president first, then vice-presidents, secretaries and members."""
    return (
        Seat.objects.select_related("organisation", "official__institution")
        .annotate(role_rank=ROLE_RANK)
        .order_by("role_rank", "mandate_start", "pk")
    )


def structure_record(pk: int) -> AdvisoryStructure | None:
    """One structure with its `institution` (key and name), county and region: what its
    forms and the pages of its seats, calls and meetings start from. One query, written
    once (see baked)."""
    found = _structure_by_pk(pk)
    if not found:
        return None
    structure = found[0]
    _structure_refs(structure, reference())
    return structure


def structure_detail(pk: int) -> AdvisoryStructure:
    """One structure with everything its page shows: `institution` (id and name), its area
    and `domain_list` (from the reference snapshot), `seat_list` with holders (each
    `organisation` with id, name and status, or `official` with id, name, publication and
    institution name), `call_list` and `meeting_list`. Five queries, each written once
    per process (conect.core.baked)."""
    structure = next(iter(_structure_by_pk(pk)), None)
    if structure is None:
        raise AdvisoryStructure.DoesNotExist
    snapshot = reference()
    _structure_refs(structure, snapshot)
    links = [(pk, link.domain_id) for link in _domains_of_structure(pk)]
    structure.domain_list = snapshot.domains_by_owner(links).get(pk, [])
    seats = _seats_of_structure(pk)
    for seat in seats:
        organisation = official = None
        if seat.organisation_id is not None:
            organisation = stub(
                Organisation,
                pk=seat.organisation_id,
                name=seat.holder_name,
                status=seat.organisation_status,
            )
        elif seat.official_id is not None:
            official = stub(
                RelationshipOfficial,
                pk=seat.official_id,
                name=seat.holder_name,
                consented_at=seat.official_consented_at,
                removed_at=seat.official_removed_at,
                institution_id=seat.official_institution_id,
            )
            RelationshipOfficial.institution.field.set_cached_value(
                official,
                stub(
                    Institution,
                    pk=seat.official_institution_id,
                    name=seat.official_institution_name,
                ),
            )
        Seat.organisation.field.set_cached_value(seat, organisation)
        Seat.official.field.set_cached_value(seat, official)
    structure.seat_list = seats
    structure.call_list = _calls_of_structure(pk)
    structure.meeting_list = _meetings_of_structure(pk)
    return structure


_structure_by_pk = BakedQuery(
    lambda pk: (
        AdvisoryStructure.objects.filter(pk=pk)
        .annotate(institution_name=F("institution__name"))
        .order_by()
    )
)
_domains_of_structure = BakedQuery(
    lambda pk: AdvisoryStructure.domains.through.objects.filter(advisorystructure_id=pk).order_by()
)
_seats_of_structure = BakedQuery(
    lambda pk: (
        Seat.objects.filter(structure_id=pk)
        .annotate(
            role_rank=ROLE_RANK,
            holder_name=Coalesce("organisation__name", "official__name"),
            organisation_status=F("organisation__status"),
            official_consented_at=F("official__consented_at"),
            official_removed_at=F("official__removed_at"),
            official_institution_id=F("official__institution_id"),
            official_institution_name=F("official__institution__name"),
        )
        .order_by("role_rank", "mandate_start", "pk")
    )
)
_calls_of_structure = BakedQuery(
    lambda pk: MembershipCall.objects.filter(structure_id=pk).order_by("-opens_on", "pk")
)
_meetings_of_structure = BakedQuery(
    lambda pk: Meeting.objects.filter(structure_id=pk).order_by("-held_at", "pk")
)


def split_seats(seats, on=None) -> tuple[list[Seat], list[Seat]]:
    """(current, past or future) seats, keeping their order."""
    on = on or timezone.localdate()
    current = [s for s in seats if s.is_current(on)]
    others = [s for s in seats if not s.is_current(on)]
    return current, others


def call_detail(pk: int) -> MembershipCall:
    return MembershipCall.objects.select_related("structure__institution").get(pk=pk)


def call_applications(call: MembershipCall) -> QuerySet[MembershipApplication]:
    """The applications to a call, oldest first, with what the institution needs to
    decide: the organisation with its county, who applied, who decided."""
    return (
        MembershipApplication.objects.filter(call=call)
        .select_related("organisation__county", "submitted_by", "decided_by", "seat")
        .defer("organisation__county__boundary")
        .order_by("submitted_at")
    )


def application_detail(pk: int) -> MembershipApplication:
    return MembershipApplication.objects.select_related(
        "call__structure__institution", "organisation__county", "submitted_by"
    ).get(pk=pk)


def organisations_administered_by(user) -> QuerySet[Organisation]:
    """Every organisation the user administers, whatever its status (the form explains
    why a pending, rejected or suspended one cannot apply)."""
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=OrganisationMembership.Role.ADMIN
    ).order_by("name")
