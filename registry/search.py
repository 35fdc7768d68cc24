"""Search that ignores diacritics and case.

Each searchable record keeps `search_name`, its name folded by `conect.core.text.fold`
("Asociația" → "asociatia"). On PostgreSQL, organisations also keep a `search_vector`
(name weighted A, locality and description weighted B, all unaccented), served by a GIN
index, and `search_name` has a trigram index for substring matches. On SQLite (the
embedded quick-start mode) the search falls back to substring matches on `search_name`.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet

from conect.core.text import fold

ORGANISATION_VECTOR_SQL = """
UPDATE registry_organisation SET search_vector =
    setweight(to_tsvector('simple', search_name), 'A') ||
    setweight(to_tsvector('simple', unaccent(lower(coalesce(locality, '') || ' ' ||
        coalesce(description, '')))), 'B')
"""


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def update_organisation_vectors(ids: list[int] | None = None) -> None:
    """Recompute `search_vector` for these organisations (all when `ids` is None)."""
    if not uses_postgres():
        return
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(ORGANISATION_VECTOR_SQL)
        elif ids:
            cursor.execute(ORGANISATION_VECTOR_SQL + " WHERE id = ANY(%s)", [list(ids)])


def search_filter(queryset: QuerySet, text: str, *, vector: bool = False) -> QuerySet:
    """Keep the records whose name (or, with `vector`, name and description) matches
    `text`, ignoring diacritics and case. On PostgreSQL the folded text is found anywhere
    in the name (trigram index) or, with `vector`, as words of the full text (GIN index);
    on SQLite every word must be in the name."""
    folded = fold(text)
    if not folded:
        return queryset
    if uses_postgres():
        condition = Q(search_name__contains=folded)
        if vector:
            query = SearchQuery(folded, config="simple", search_type="websearch")
            condition |= Q(search_vector=query)
        return queryset.filter(condition)
    for word in folded.split():
        queryset = queryset.filter(search_name__contains=word)
    return queryset


def order_by_relevance(queryset: QuerySet, text: str) -> QuerySet:
    """On PostgreSQL, the best matches of a full-text search first (then by name): the
    database ranks the matches found through the GIN and trigram indexes and keeps the top
    of the page, instead of walking the name index past every record that does not match.
    Elsewhere, or without a text, the queryset as it is."""
    folded = fold(text)
    if not folded or not uses_postgres():
        return queryset
    query = SearchQuery(folded, config="simple", search_type="websearch")
    return queryset.annotate(relevance=SearchRank(F("search_vector"), query)).order_by(
        "-relevance", "search_name", "id"
    )
