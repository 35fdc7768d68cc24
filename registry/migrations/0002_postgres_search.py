"""PostgreSQL search support: pg_trgm and unaccent, and the indexes that use them.

On SQLite (the embedded quick-start mode) this does nothing: search falls back to
matching the folded name column.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE INDEX IF NOT EXISTS org_search_name_trgm ON registry_organisation "
    "USING gin (search_name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS org_search_vector_idx ON registry_organisation "
    "USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS inst_search_name_trgm ON registry_institution "
    "USING gin (search_name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS official_search_name_trgm ON registry_relationshipofficial "
    "USING gin (search_name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS structure_search_name_trgm ON registry_advisorystructure "
    "USING gin (search_name gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS org_search_name_trgm",
    "DROP INDEX IF EXISTS org_search_vector_idx",
    "DROP INDEX IF EXISTS inst_search_name_trgm",
    "DROP INDEX IF EXISTS official_search_name_trgm",
    "DROP INDEX IF EXISTS structure_search_name_trgm",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
