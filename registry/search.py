"""Search that ignores diacritics and case.

Each searchable record keeps `search_name`, its name folded by `conect.core.text.fold`
("Asociația" → "asociatia"). On PostgreSQL, organisations also keep a `search_vector`
(name weighted A, locality and description weighted B, all unaccented), served by a GIN
index, and `search_name` has a trigram index for substring matches. On SQLite (the
embedded quick-start mode) the search falls back to substring matches on `search_name`.
"""

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import CharField, Q, QuerySet, TextField
from django.db.models.lookups import BuiltinLookup, Contains, Lookup

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


@CharField.register_lookup
@TextField.register_lookup
class Like(Contains):
    """`field__like=pattern`: the SQL of `contains`, with a pattern the caller made with
    contains_pattern() rather than from a value, so that the SQL's parameter is the
    pattern itself (a baked list finds its arguments among the parameters, see
    conect.core.baked)."""

    lookup_name = "like"

    def process_lhs(self, compiler, connection, lhs=None):
        # As `contains` casts it (PostgreSQL compares as text, which the trigram index serves).
        lhs_sql, params = Lookup.process_lhs(self, compiler, connection, lhs)
        field_type = self.lhs.output_field.get_internal_type()
        return connection.ops.lookup_cast("contains", field_type) % lhs_sql, list(params)

    def process_rhs(self, compiler, connection):
        return BuiltinLookup.process_rhs(self, compiler, connection)  # no wrapping, no escape

    def get_rhs_op(self, connection, rhs):
        return connection.operators["contains"] % rhs


def contains_pattern(word: str) -> str:
    """The LIKE pattern that finds `word` anywhere, its own % and _ matched as written."""
    return f"%{connection.ops.prep_for_like_query(word)}%"


def search_terms(text: str, *, vector: bool = False) -> tuple[str, ...]:
    """The SQL parameters of a search for `text`: on PostgreSQL, the pattern of the folded
    text (and, with `vector`, the folded text for the full-text query); on SQLite, one
    pattern per word. None for an empty search."""
    folded = fold(text)
    if not folded:
        return ()
    if uses_postgres():
        return (contains_pattern(folded), folded) if vector else (contains_pattern(folded),)
    return tuple(contains_pattern(word) for word in folded.split())


def search_by_terms(queryset: QuerySet, terms: tuple[str, ...], *, vector: bool = False):
    """Keep the records whose name (or, with `vector`, name and description) matches the
    terms of search_terms()."""
    if not terms:
        return queryset
    if uses_postgres():
        condition = Q(search_name__like=terms[0])
        if vector:
            query = SearchQuery(terms[1], config="simple", search_type="websearch")
            condition |= Q(search_vector=query)
        return queryset.filter(condition)
    for pattern in terms:
        queryset = queryset.filter(search_name__like=pattern)
    return queryset


def search_filter(queryset: QuerySet, text: str, *, vector: bool = False) -> QuerySet:
    """Keep the records whose name (or, with `vector`, name and description) matches."""
    return search_by_terms(queryset, search_terms(text, vector=vector), vector=vector)
