"""Reads of organisations that carry a rule: who may see what."""

from django.db.models import Prefetch, QuerySet

from ..models import Domain, Organisation
from ..search import search_filter

PUBLIC_STATUSES = Organisation.PUBLIC_STATUSES


def organisation_list_public() -> QuerySet[Organisation]:
    """Organisations anyone may see: verified or imported, with county, region and
    domains loaded, so that a list page costs a constant number of queries."""
    return (
        Organisation.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("county__region")
        .prefetch_related(Prefetch("domains", queryset=Domain.objects.order_by("name_ro")))
    )


def organisation_search(queryset: QuerySet[Organisation], text: str) -> QuerySet[Organisation]:
    """Full-text search on name, locality and description, ignoring diacritics and case."""
    return search_filter(queryset, text, vector=True)
