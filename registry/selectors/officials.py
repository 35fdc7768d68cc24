"""Reads of relationship officials that carry a rule: only published officials (agreed,
not removed) are public; the one-time links find the official they were sent to."""

import hashlib

from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from conect.core.baked import BakedList, BakedQuery, stub

from ..models import AdvisoryStructure, County, Domain, Institution, RelationshipOfficial, Seat
from ..reference import reference
from .structures import ROLE_RANK


def official_list_public() -> QuerySet[RelationshipOfficial]:
    """Published officials with their institution, domains and counties loaded, so that a
    list page costs a constant number of queries."""
    return (
        RelationshipOfficial.objects.filter(consented_at__isnull=False, removed_at__isnull=True)
        .select_related("institution")
        .prefetch_related(
            Prefetch("domains", queryset=Domain.objects.all()),
            Prefetch("counties", queryset=County.objects.only("code", "name")),
        )
        .order_by("name", "pk")
    )


def official_list_rows() -> QuerySet[RelationshipOfficial]:
    """Published officials for the web list, with their institution's name and no JOIN
    but that one; a page's domains and counties come after (with_official_refs)."""
    return (
        RelationshipOfficial.objects.filter(consented_at__isnull=False, removed_at__isnull=True)
        .annotate(institution_name=F("institution__name"))
        .order_by("name", "pk")
    )


# The web list's count and page: SQL written once per shape of the search
# (RegistryFilterSet.baked_rows).
OFFICIAL_ROWS = BakedList(official_list_rows)


def with_official_refs(officials) -> list[RelationshipOfficial]:
    """A page of official_list_rows() with `institution` (id and name), `domain_list` and
    `county_list` (from the reference snapshot): two queries, for the links."""
    officials = list(officials)
    for official in officials:
        RelationshipOfficial.institution.field.set_cached_value(
            official, stub(Institution, pk=official.institution_id, name=official.institution_name)
        )
    ids = [official.pk for official in officials]
    if ids:
        attach_coverage(
            officials,
            RelationshipOfficial.domains.through.objects.filter(relationshipofficial_id__in=ids),
            RelationshipOfficial.counties.through.objects.filter(relationshipofficial_id__in=ids),
        )
    return officials


def _covers(relation: str, **lookup) -> Q:
    """Officials whose `relation` (counties or domains) has a row matching `lookup`, or
    who list none: an official who names no county covers the whole country, one who
    names no domain covers every domain."""
    through = getattr(RelationshipOfficial, relation).through
    listed = through.objects.filter(relationshipofficial=OuterRef("pk"))
    return Q(Exists(listed.filter(**lookup))) | ~Q(Exists(listed))


def officials_covering_county(queryset: QuerySet, county: County) -> QuerySet:
    return queryset.filter(_covers("counties", county=county))


def officials_covering_region(queryset: QuerySet, region) -> QuerySet:
    return queryset.filter(_covers("counties", county__region=region))


def officials_covering_domain(queryset: QuerySet, domain: Domain) -> QuerySet:
    return queryset.filter(_covers("domains", domain=domain))


def official_detail(pk: int) -> RelationshipOfficial:
    """One official (whatever their state: the caller asks registry.view_official) with
    `institution` (its id and name only), `domain_list`, `county_list` and `seat_list`
    (each seat's `structure` with its id and name only). Four queries, each written once
    per process (conect.core.baked)."""
    from .structures import ROLE_RANK

    global _seats_of_official
    if _seats_of_official is None:
        _seats_of_official = BakedQuery(
            lambda pk: (
                Seat.objects.filter(official_id=pk)
                .annotate(role_rank=ROLE_RANK, structure_name=F("structure__name"))
                .order_by("role_rank", "mandate_start", "pk")
            )
        )
    official = next(iter(_official_by_pk(pk)), None)
    if official is None:
        raise RelationshipOfficial.DoesNotExist
    RelationshipOfficial.institution.field.set_cached_value(
        official, stub(Institution, pk=official.institution_id, name=official.institution_name)
    )
    attach_coverage([official], _domains_of_official(pk), _counties_of_official(pk))
    seats = _seats_of_official(pk)
    for seat in seats:
        structure = stub(AdvisoryStructure, pk=seat.structure_id, name=seat.structure_name)
        Seat.structure.field.set_cached_value(seat, structure)
    official.seat_list = seats
    return official


def attach_coverage(officials, domain_links, county_links) -> None:
    """Give each official `domain_list` (in the reference order) and `county_list` (by
    name) from the reference snapshot, given the rows of their domain and county links."""
    snapshot = reference()
    domains = snapshot.domains_by_owner(
        (link.relationshipofficial_id, link.domain_id) for link in domain_links
    )
    counties: dict = {}
    for link in county_links:
        if (county := snapshot.county_by_id.get(link.county_id)) is not None:
            counties.setdefault(link.relationshipofficial_id, []).append(county)
    for official in officials:
        official.domain_list = domains.get(official.pk, [])
        official.county_list = sorted(counties.get(official.pk, []), key=lambda c: c.name)


_official_by_pk = BakedQuery(
    lambda pk: (
        RelationshipOfficial.objects.filter(pk=pk)
        .annotate(institution_name=F("institution__name"))
        .order_by()
    )
)
_domains_of_official = BakedQuery(
    lambda pk: RelationshipOfficial.domains.through.objects.filter(
        relationshipofficial_id=pk
    ).order_by()
)
_counties_of_official = BakedQuery(
    lambda pk: RelationshipOfficial.counties.through.objects.filter(
        relationshipofficial_id=pk
    ).order_by()
)
_seats_of_official = BakedQuery(
    lambda pk: (
        Seat.objects.filter(official_id=pk)
        .annotate(role_rank=ROLE_RANK, structure_name=F("structure__name"))
        .order_by("role_rank", "mandate_start", "pk")
    )
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def official_by_consent_token(token: str) -> RelationshipOfficial:
    """The official an agreement link was sent to.

    Raises ValidationError (code "invalid") for an unknown or used link and (code
    "expired") for one past its date.
    """
    official = None
    if token and len(token) >= 32:
        official = (
            RelationshipOfficial.objects.select_related("institution")
            .filter(consent_token=_hash(token), removed_at__isnull=True)
            .first()
        )
    if official is None:
        raise ValidationError(
            _(
                "This link is not valid: it may have been used already, or a newer link was "
                "sent. Ask the institution that named you to send a new one."
            ),
            code="invalid",
        )
    if official.consent_expires_at is None or official.consent_expires_at < timezone.now():
        raise ValidationError(
            _("This link has expired. Ask the institution that named you to send a new one."),
            code="expired",
        )
    return official


def official_by_removal_token(token: str) -> RelationshipOfficial:
    """The published official a removal link was sent to; ValidationError (code
    "invalid") otherwise."""
    official = None
    if token and len(token) >= 32:
        official = (
            RelationshipOfficial.objects.select_related("institution")
            .filter(removal_token=_hash(token), removed_at__isnull=True)
            .first()
        )
    if official is None:
        raise ValidationError(
            _("This link is not valid: you may already have been removed from the registry."),
            code="invalid",
        )
    return official
