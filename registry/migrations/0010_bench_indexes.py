"""Indexes for the registry's busiest reads at 1,000,000 organisations (issue 15, found
with EXPLAIN ANALYZE on `make bench SCALE=1m`):

- the verification queue, the longest waiting first: (status, COALESCE(status_changed_at,
  created_at), id), so a tab reads its 25 rows in order instead of sorting every pending
  organisation;
- the public list filtered by county, by legal form or both, by name (county,
  search_name, id), (legal_form, search_name, id), (county, legal_form, search_name, id),
  and the API's by county, by id (county, id), all partial on the public statuses, so
  a page walks one county's public organisations in order and the count reads the
  index alone. A legal form is not a filter to leave to the name index: the name says
  the form ("Fundația ..."), so the foundations come after every association and a walk
  of the name index read 26,000 rows of one county to find 25 (1 s at 1,000,000);
- an organisation's domains by domain (domain_id, organisation_id), so a filter by
  domain reads the link table's index alone (index-only scan, merge join by id).
"""

from django.db import migrations, models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

PUBLIC = Q(status__in=["verified", "imported"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_organisation_fiscal_code_optional"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                F("status"),
                Coalesce("status_changed_at", "created_at"),
                F("id"),
                name="org_queue_waiting_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                fields=["county", "search_name", "id"],
                condition=PUBLIC,
                name="org_public_county_name_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                fields=["legal_form", "search_name", "id"],
                condition=PUBLIC,
                name="org_public_form_name_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                fields=["county", "legal_form", "search_name", "id"],
                condition=PUBLIC,
                name="org_public_county_form_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                fields=["county", "id"], condition=PUBLIC, name="org_public_county_id_idx"
            ),
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS org_domains_domain_org_idx"
            " ON registry_organisation_domains (domain_id, organisation_id)",
            reverse_sql="DROP INDEX IF EXISTS org_domains_domain_org_idx",
        ),
    ]
