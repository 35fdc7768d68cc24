"""Reads of public institutions and their staff that carry a rule: who may see what."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from conect.core.collation import by_name

from ..models import (
    AdvisoryStructure,
    County,
    Domain,
    Institution,
    InstitutionStaff,
    RelationshipOfficial,
)

# County and region boundaries (GeoJSON) are not shown on these pages.
BOUNDARIES = ("county__boundary", "county__region__boundary")


def _count_of(queryset, field: str = "institution"):
    """A correlated COUNT subquery, so that two counts do not multiply each other."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def published_officials():
    """Officials who agreed to publication and were not removed."""
    return RelationshipOfficial.objects.filter(consented_at__isnull=False, removed_at__isnull=True)


def with_coverage(officials: QuerySet[RelationshipOfficial]) -> QuerySet[RelationshipOfficial]:
    """The officials with `domain_list` (in the domains' order) and `county_list` (by
    name) prefetched: two queries for any number of officials."""
    return officials.prefetch_related(
        Prefetch("domains", queryset=Domain.objects.all(), to_attr="domain_list"),
        Prefetch(
            "counties",
            queryset=County.objects.defer("boundary").order_by(by_name()),
            to_attr="county_list",
        ),
    )


def institution_list_public() -> QuerySet[Institution]:
    """Every institution (they are all public), with county, region and parent loaded and
    the number of published officials and active advisory structures counted, so that a
    list page costs a constant number of queries."""
    return (
        Institution.objects.select_related("county__region", "parent")
        .defer(*BOUNDARIES)
        .annotate(
            officials_count=_count_of(published_officials()),
            structures_count=_count_of(
                AdvisoryStructure.objects.filter(status=AdvisoryStructure.Status.ACTIVE)
            ),
        )
        .order_by("name", "pk")
    )


def institution_list_rows() -> QuerySet[Institution]:
    """The institutions of the web list: institution_list_public(), counted and paged by
    the page's filterset (two queries a page)."""
    return institution_list_public()


def institution_detail(pk: int) -> Institution:
    """One institution with what its page shows: its county and region, `parent`,
    `children_list` (by name), `published_officials` (each with `domain_list` and
    `county_list`) and `structure_list`. Six queries.

    Raises Institution.DoesNotExist."""
    officials = with_coverage(published_officials().order_by("name", "pk"))
    return (
        Institution.objects.select_related("county__region", "parent")
        .defer(*BOUNDARIES)
        .prefetch_related(
            Prefetch(
                "children",
                queryset=Institution.objects.only("pk", "name", "parent_id").order_by("name", "pk"),
                to_attr="children_list",
            ),
            Prefetch("officials", queryset=officials, to_attr="published_officials"),
            Prefetch(
                "advisory_structures",
                queryset=AdvisoryStructure.objects.order_by("status", "name", "pk"),
                to_attr="structure_list",
            ),
        )
        .get(pk=pk)
    )


def institution_unpublished_officials(
    institution: Institution,
) -> QuerySet[RelationshipOfficial]:
    """The institution's officials who have not agreed yet or declined (and were not
    removed): only its staff and the coordinators see them."""
    return RelationshipOfficial.objects.filter(
        institution=institution, removed_at__isnull=True, consented_at__isnull=True
    ).order_by(by_name())


def institution_staff(institution: Institution) -> dict[str, list[InstitutionStaff]]:
    """The institution's staff rows with their users, split into waiting requests (oldest
    first) and approved members (administrators first, then by name). One query."""
    rows = (
        InstitutionStaff.objects.filter(
            institution=institution,
            status__in=[InstitutionStaff.Status.PENDING, InstitutionStaff.Status.APPROVED],
        )
        .select_related("user")
        .order_by("requested_at", "pk")
    )
    pending, members = [], []
    for row in rows:
        (pending if row.status == InstitutionStaff.Status.PENDING else members).append(row)
    members.sort(key=lambda r: (r.role != InstitutionStaff.Role.ADMIN, r.user.name.lower()))
    return {"pending": pending, "members": members}


def institutions_of_user(user) -> QuerySet[InstitutionStaff]:
    """The user's places in institutions (approved, waiting or refused), newest first,
    each with its institution. One query."""
    return (
        InstitutionStaff.objects.filter(user=user)
        .select_related("institution")
        .order_by("-requested_at", "-pk")
    )


def staff_request_of(user, institution: Institution) -> InstitutionStaff | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return InstitutionStaff.objects.filter(user=user, institution=institution).first()
