"""A trigram index on the proposals' folded text, for the search of "All proposals"
(`search_text LIKE '%word%'`). PostgreSQL only; on SQLite the search scans the rows."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS proposal_search_text_trgm ON proposals_proposal "
    "USING gin (search_text gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS proposal_search_text_trgm"]


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
    dependencies = [("proposals", "0002_list_indexes")]

    operations = [migrations.RunPython(forward, backward)]
