"""Reads of relationship officials that carry a rule: only published officials (agreed,
not removed) are public; the one-time links find the official they were sent to."""

import hashlib

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import County, Domain, RelationshipOfficial, Seat
from .institutions import with_coverage
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
    """Published officials for the web list, with their institution, `domain_list` and
    `county_list`: a page costs its count, its rows and two prefetches."""
    return with_coverage(
        RelationshipOfficial.objects.filter(consented_at__isnull=False, removed_at__isnull=True)
        .select_related("institution")
        .order_by("name", "pk")
    )


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
    `institution`, `domain_list`, `county_list` and `seat_list` (each seat with its
    `structure`, the president first). Four queries.

    Raises RelationshipOfficial.DoesNotExist."""
    seats = (
        Seat.objects.select_related("structure")
        .annotate(role_rank=ROLE_RANK)
        .order_by("role_rank", "mandate_start", "pk")
    )
    return (
        with_coverage(RelationshipOfficial.objects.select_related("institution"))
        .prefetch_related(Prefetch("seats", queryset=seats, to_attr="seat_list"))
        .get(pk=pk)
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
