"""Reads of public institutions and their staff that carry a rule: who may see what."""

import functools

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from conect.accounts.models import User
from conect.core.baked import BakedList, BakedQuery, stub

from ..models import (
    AdvisoryStructure,
    Institution,
    InstitutionStaff,
    RelationshipOfficial,
)
from ..reference import reference
from .officials import attach_coverage

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
    """The institutions of the web list: their columns, the parent's name and the counts
    of institution_list_public(), with no JOIN but the parent's; a page's counties and
    regions come from the reference snapshot after (with_institution_refs). Built once
    per process (two correlated subqueries take longer to build than to clone)."""
    return _institution_rows().all()


# The web list's count and page: SQL written once per shape of the search
# (RegistryFilterSet.baked_rows).
INSTITUTION_ROWS = BakedList(institution_list_rows)


@functools.cache
def _institution_rows() -> QuerySet[Institution]:
    return Institution.objects.annotate(
        parent_name=F("parent__name"),
        officials_count=_count_of(published_officials()),
        structures_count=_count_of(
            AdvisoryStructure.objects.filter(status=AdvisoryStructure.Status.ACTIVE)
        ),
    ).order_by("name", "pk")


def with_institution_refs(institutions) -> list[Institution]:
    """A page of institution_list_rows() with each county (and its region) from the
    reference snapshot and `parent` (id and name only): no query."""
    institutions = list(institutions)
    snapshot = reference()
    for institution in institutions:
        _institution_refs(institution, snapshot)
    return institutions


def _institution_refs(institution: Institution, snapshot) -> None:
    """The institution's county (with its region) from the reference snapshot, and its
    parent (id and name, from the `parent_name` annotation), with no query."""
    Institution.county.field.set_cached_value(
        institution, snapshot.county_by_id.get(institution.county_id)
    )
    parent = None
    if institution.parent_id is not None:
        parent = stub(Institution, pk=institution.parent_id, name=institution.parent_name)
    Institution.parent.field.set_cached_value(institution, parent)


def institution_detail(pk: int) -> Institution:
    """One institution with what its page shows: its county and region (from the reference
    snapshot), `parent` (its id and name only), `children` (by name), `published_officials`
    (each with `domain_list` and `county_list`) and `structures`. Six queries, each of them
    written once per process (conect.core.baked): the page is read far more often than
    anything changes."""
    institution = next(iter(_institution_by_pk(pk)), None)
    if institution is None:
        raise Institution.DoesNotExist
    _institution_refs(institution, reference())
    institution.children_list = _children_of(pk)
    officials = _published_officials_of(pk)
    attach_coverage(officials, _official_domains_of(pk), _official_counties_of(pk))
    institution.published_officials = officials
    institution.structures = _structures_of(pk)
    return institution


_institution_by_pk = BakedQuery(
    lambda pk: Institution.objects.filter(pk=pk).annotate(parent_name=F("parent__name")).order_by()
)
_children_of = BakedQuery(
    lambda pk: Institution.objects.filter(parent_id=pk).only("pk", "name").order_by("name", "pk")
)
_published_officials_of = BakedQuery(
    lambda pk: published_officials().filter(institution_id=pk).order_by("name", "pk")
)


def _links_of_published_officials(relation) -> BakedQuery:
    """The domain or county links of an institution's published officials."""
    return BakedQuery(
        lambda pk: relation.through.objects.filter(
            relationshipofficial__institution_id=pk,
            relationshipofficial__consented_at__isnull=False,
            relationshipofficial__removed_at__isnull=True,
        ).order_by()
    )


_official_domains_of = _links_of_published_officials(RelationshipOfficial.domains)
_official_counties_of = _links_of_published_officials(RelationshipOfficial.counties)
_structures_of = BakedQuery(
    lambda pk: AdvisoryStructure.objects.filter(institution_id=pk).order_by("status", "name", "pk")
)


def institution_unpublished_officials(
    institution: Institution,
) -> QuerySet[RelationshipOfficial]:
    """The institution's officials who have not agreed yet or declined (and were not
    removed): only its staff and the coordinators see them."""
    return RelationshipOfficial.objects.filter(
        institution=institution, removed_at__isnull=True, consented_at__isnull=True
    ).order_by("name")


def institution_by_pk(pk: int) -> Institution | None:
    """One institution, its own columns only (the pages of its staff, its forms)."""
    found = _institution_only(pk)
    return found[0] if found else None


_institution_only = BakedQuery(lambda pk: Institution.objects.filter(pk=pk).order_by())


def institution_staff(institution: Institution) -> dict[str, list[InstitutionStaff]]:
    """The institution's staff rows, split into waiting requests (oldest first) and
    approved members (administrators first), each with its user's key, name and address,
    in one query (written once, see baked)."""
    pending, members = [], []
    for row in _staff_of(institution.pk):
        row.user = stub(User, pk=row.user_id, name=row.user_name, email=row.user_email)
        (pending if row.status == InstitutionStaff.Status.PENDING else members).append(row)
    members.sort(key=lambda r: (r.role != InstitutionStaff.Role.ADMIN, r.user.name.lower()))
    return {"pending": pending, "members": members}


_staff_of = BakedQuery(
    lambda pk: (
        InstitutionStaff.objects.filter(
            institution_id=pk,
            status__in=[InstitutionStaff.Status.PENDING, InstitutionStaff.Status.APPROVED],
        )
        .annotate(user_name=F("user__name"), user_email=F("user__email"))
        .order_by("requested_at", "pk")
    )
)


def institutions_of_user(user) -> list[InstitutionStaff]:
    """The user's places in institutions (approved, waiting or refused), newest first,
    each with its institution's key and name. One query, written once (see baked)."""
    places = _places_of(user.pk)
    for place in places:
        place.institution = stub(Institution, pk=place.institution_id, name=place.institution_name)
    return places


_places_of = BakedQuery(
    lambda user_id: (
        InstitutionStaff.objects.filter(user_id=user_id)
        .annotate(institution_name=F("institution__name"))
        .order_by("-requested_at", "-pk")
    )
)


def staff_request_of(user, institution: Institution) -> InstitutionStaff | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return InstitutionStaff.objects.filter(user=user, institution=institution).first()
