"""Reads of advisory structures, their seats, calls, applications and meetings."""

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from conect.core.collation import by_name

from ..models import (
    AdvisoryStructure,
    Domain,
    Meeting,
    MembershipApplication,
    MembershipCall,
    Organisation,
    OrganisationMembership,
    Seat,
)

# Boundaries (GeoJSON) are not shown on these pages.
AREA_BOUNDARIES = ("region__boundary", "county__boundary")

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
    """The structures of the web list: structure_list_public() with each structure's
    domains as `domain_list`; a page costs its count, its rows and one prefetch."""
    return (
        structure_list_public()
        .prefetch_related(None)
        .prefetch_related(Prefetch("domains", queryset=Domain.objects.all(), to_attr="domain_list"))
    )


def seats_with_holders() -> QuerySet[Seat]:
    """Seats with their holder (organisation or official and its institution), the
    president first, then vice-presidents, secretaries and members."""
    return (
        Seat.objects.select_related("organisation", "official__institution")
        .annotate(role_rank=ROLE_RANK)
        .order_by("role_rank", "mandate_start", "pk")
    )


def _structure_with_area() -> QuerySet[AdvisoryStructure]:
    return AdvisoryStructure.objects.select_related("institution", "region", "county").defer(
        *AREA_BOUNDARIES
    )


def structure_record(pk: int) -> AdvisoryStructure | None:
    """One structure with its institution, county and region: what its forms and the
    pages of its seats, calls and meetings start from. One query."""
    return _structure_with_area().filter(pk=pk).first()


def structure_detail(pk: int) -> AdvisoryStructure:
    """One structure with everything its page shows: its institution and area,
    `domain_list`, `seat_list` with holders (each `organisation`, or `official` with their
    institution), `call_list` (newest first) and `meeting_list` (newest first). Five
    queries.

    Raises AdvisoryStructure.DoesNotExist."""
    seats = seats_with_holders().filter(structure_id=pk).defer("organisation__search_vector")
    return (
        _structure_with_area()
        .prefetch_related(
            Prefetch("domains", queryset=Domain.objects.all(), to_attr="domain_list"),
            Prefetch("seats", queryset=seats, to_attr="seat_list"),
            Prefetch(
                "calls",
                queryset=MembershipCall.objects.order_by("-opens_on", "pk"),
                to_attr="call_list",
            ),
            Prefetch(
                "meetings",
                queryset=Meeting.objects.order_by("-held_at", "pk"),
                to_attr="meeting_list",
            ),
        )
        .get(pk=pk)
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
        .defer("organisation__county__boundary", "organisation__search_vector")
        .order_by("submitted_at")
    )


def application_detail(pk: int) -> MembershipApplication:
    return (
        MembershipApplication.objects.select_related(
            "call__structure__institution", "organisation__county", "submitted_by"
        )
        .defer("organisation__county__boundary", "organisation__search_vector")
        .get(pk=pk)
    )


def organisations_administered_by(user) -> QuerySet[Organisation]:
    """Every organisation the user administers, whatever its status (the form explains
    why a pending, rejected or suspended one cannot apply)."""
    return (
        Organisation.objects.filter(
            memberships__user=user, memberships__role=OrganisationMembership.Role.ADMIN
        )
        .defer("search_vector")
        .order_by(by_name())
    )
