"""Writing new organisations with PostgreSQL's COPY (used by the import and the demo seed)."""

from __future__ import annotations

import re

from django.db import connection

from ..models import Organisation
from ..search import ORGANISATION_VECTOR_SQL

# The search vector's expression, taken from registry.search's UPDATE so that an organisation
# created by the import is indexed exactly as one saved by a service.
ORGANISATION_VECTOR_EXPRESSION = re.split(
    r"\bSET\s+search_vector\s*=", ORGANISATION_VECTOR_SQL, maxsplit=1
)[1].strip()
STAGE_TABLE = "conect_registry_import_stage"


def _organisation_columns() -> list[str]:
    return [
        f.attname
        for f in Organisation._meta.concrete_fields
        if not f.primary_key and f.attname != "search_vector"
    ]


def organisation_defaults() -> dict:
    """Every column of a new organisation (but its id and search vector), at its default."""
    columns = set(_organisation_columns())
    return {
        f.attname: f.get_default()
        for f in Organisation._meta.concrete_fields
        if f.attname in columns
    }


def copy_rows(table: str, columns: list[str], rows) -> None:
    """PostgreSQL: write rows (sequences of values in `columns` order) with COPY."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def copy_organisations(rows: list[dict], *, history: tuple | None = None) -> None:
    """PostgreSQL: insert new organisations (dicts of every column, see
    `organisation_defaults`) with their search vector and, given (date, reason, user id),
    their history row, in one statement after a COPY into a temporary table.

    Building thousands of INSERT parameters in Python costs more than the database's own
    work; COPY sends plain rows. The vector is computed by registry.search's expression,
    so the two cannot drift apart."""
    columns = _organisation_columns()
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    table = quote(Organisation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE_TABLE} ON COMMIT DROP AS "
            f"SELECT {names} FROM {table} WITH NO DATA"
        )
        cursor.execute(f"DELETE FROM {STAGE_TABLE}")
    copy_rows(STAGE_TABLE, columns, ([row[c] for c in columns] for row in rows))
    insert = (
        f"INSERT INTO {table} ({names}, search_vector)"
        f" SELECT {names}, {ORGANISATION_VECTOR_EXPRESSION} FROM {STAGE_TABLE}"
    )
    params: list = []
    if history is not None:
        history_model = Organisation.history.model
        tracked = [
            quote(f.attname)
            for f in history_model._meta.concrete_fields
            if f.attname in columns or f.attname == "id"
        ]
        insert = (
            f"WITH created AS ({insert} RETURNING *)"
            f" INSERT INTO {quote(history_model._meta.db_table)} ({', '.join(tracked)},"
            f" history_date, history_change_reason, history_type, history_user_id)"
            f" SELECT {', '.join('created.' + c for c in tracked)}, %s, %s, '+', %s"
            f" FROM created"
        )
        params = list(history)
    with connection.cursor() as cursor:
        cursor.execute(insert, params)
