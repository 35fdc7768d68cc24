"""Speed of the public API with a registry of 100,000 organisations (issue 5).

- A 100-organisation page (page numbers) and a filtered page (county, domain, legal
  form): under 100 ms at the median and at most 3 times their bare SQL (the very queries
  the endpoint ran, captured during a first request and replayed on the same connection).
- A cursor page 41,000 records deep and the detail endpoint: under 100 ms. Their bare SQL
  is an index look-up of a millisecond or two, so the ratio (reported) measures Django's
  fixed cost per request rather than the API's; it is not a target for them.
- Page 200 by page number, for comparison only: the deep OFFSET that cursors avoid.
- A 304 answer to a list's ETag.
- The entry point /api/v1/, which reads only the token: the floor of any answer.
- A full cursor walk of every public organisation (1,000 a page, as a client pulling the
  registry would): under 60 s, every record seen once, memory flat (the growth of the
  process's peak resident memory is reported; target under 50 MB).
- The whole list as CSV, streamed, with the same memory check.

The requests carry a personal API token, as a real client's would (its look-up is part of
the time); the rate limits are lifted for the run, which measures speed, not fairness.
"""

import re
import resource
import time

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.settings import api_settings

from conect.accounts.models import User
from conect.api.models import ApiToken
from conect.api.services import api_token_create
from registry.models import Domain, Organisation

PAGE_TARGET_MS = 100
MAX_RATIO = 3
WALK_TARGET_MS = 60_000
MEMORY_TARGET_MB = 50
BENCH_EMAIL = "bench-api@conect.bench"
DECLARE = re.compile(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH(OUT)? HOLD FOR ')
FRAMEWORK = ("SAVEPOINT", "RELEASE", "ROLLBACK", "FETCH", "CLOSE")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _client() -> Client:
    user = User.objects.filter(email=BENCH_EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=BENCH_EMAIL, password=None, name="API bench")
        EmailAddress.objects.create(user=user, email=BENCH_EMAIL, verified=True, primary=True)
    ApiToken.objects.filter(user=user).delete()
    _token, key = api_token_create(user=user, name="bench")
    return Client(HTTP_ACCEPT_LANGUAGE="ro", HTTP_AUTHORIZATION=f"Token {key}")


def _lift_rate_limits():
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": None, "authenticated": None},
    }
    api_settings.reload()


def endpoint_sql(client, url) -> tuple[list[str], int]:
    """The SQL statements the endpoint runs (the token look-up included), for the bare
    SQL timing to replay one by one, and how many queries it made. Captured on a second
    request: the first may also record that the token was used (a write made at most once
    a minute), which is not what a request costs."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    statements = [
        DECLARE.sub("", q["sql"])
        for q in ctx.captured_queries
        if not q["sql"].startswith(FRAMEWORK)
    ]
    return statements, len(ctx.captured_queries)


def measure(bench, client, name, url, *, target_ms=PAGE_TARGET_MS, max_ratio=MAX_RATIO):
    sql, count = endpoint_sql(client, url)
    bench.page(name, url, sql=sql, target_ms=target_ms, max_ratio=max_ratio, client=client)
    bench.results[-1]["queries"] = count
    print(f"    {count} queries", flush=True)


VACUUMED = ("registry_organisation", "registry_organisation_domains", "registry_domain")


def run(bench):
    with connection.cursor() as cursor:
        # What autovacuum does soon after a bulk load: without it the planner works from
        # the statistics of an empty table and index-only scans still visit the heap.
        for table in VACUUMED:
            cursor.execute(f"VACUUM ANALYZE {table}")
    _lift_rate_limits()
    client = _client()
    base = "/api/v1/organisations/"
    domain = Domain.objects.filter(is_active=True, slug="education").first() or (
        Domain.objects.filter(is_active=True).order_by("pk").first()
    )
    public = Organisation.objects.filter(status__in=Organisation.PUBLIC_STATUSES)
    total = public.count()
    print(f"    {total} public organisations", flush=True)

    measure(bench, client, "api: organisations, 100 a page", f"{base}?page_size=100")
    measure(
        bench,
        client,
        "api: organisations filtered (county, domain, form), 100",
        f"{base}?page_size=100&county=RO113&domain={domain.slug}&legal_form=association",
    )
    measure(
        bench,
        client,
        "api: organisations, page 200 of 100 (for comparison)",
        f"{base}?page_size=100&page=200",
        target_ms=None,
        max_ratio=None,
    )
    middle = client.get(f"{base}?pagination=cursor&page_size=1000").json()["next"]
    for _ in range(40):
        middle = client.get(middle).json()["next"]
    deep = middle.replace("page_size=1000", "page_size=100")
    measure(bench, client, "api: organisations, cursor page 41,000 deep", deep, max_ratio=None)
    organisation = public.filter(domains__isnull=False).order_by("pk").first()
    measure(bench, client, "api: organisation detail", f"{base}{organisation.pk}/", max_ratio=None)
    # For comparison: the entry point, which reads only the token (one index look-up): what
    # any answer of the API costs before its own queries, the floor under the ratios.
    measure(
        bench,
        client,
        "floor: the API's entry point (token only)",
        "/api/v1/",
        target_ms=None,
        max_ratio=None,
    )

    etag = client.get(f"{base}?page_size=100")["ETag"]

    def not_modified():
        response = client.get(f"{base}?page_size=100", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304

    bench.timed("api: organisations, 304 to the ETag", not_modified, target_ms=50, repeat=15)

    walk(bench, client, base, total)
    export_csv(bench, client, base, total)


def walk(bench, client, base, total):
    """Every public organisation through the cursor, 1,000 a page."""
    before = _rss_mb()
    seen = 0
    pages = 0
    last_id = 0
    start = time.perf_counter()
    url = f"{base}?pagination=cursor&page_size=1000"
    while url:
        body = client.get(url).json()
        rows = body["results"]
        assert all(row["id"] > last_id for row in rows), "the walk went backwards"
        if rows:
            last_id = rows[-1]["id"]
        seen += len(rows)
        pages += 1
        url = body["next"]
    elapsed = (time.perf_counter() - start) * 1000
    growth = _rss_mb() - before
    assert seen == total, (seen, total)
    bench._record(
        "api: full cursor walk (1,000 a page)",
        elapsed,
        None,
        None,
        WALK_TARGET_MS,
        None,
        {
            "records": seen,
            "pages": pages,
            "peak_rss_growth_mb": round(growth, 1),
            "memory_ok": growth < MEMORY_TARGET_MB,
        },
    )
    if growth >= MEMORY_TARGET_MB:
        bench.results[-1]["ok"] = False


def export_csv(bench, client, base, total):
    """The whole list as CSV, read as it streams."""
    before = _rss_mb()
    start = time.perf_counter()
    response = client.get(f"{base}?format=csv")
    size = 0
    lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\r\n")
    elapsed = (time.perf_counter() - start) * 1000
    growth = _rss_mb() - before
    assert lines >= total + 1, (lines, total)  # descriptions may hold line breaks
    bench._record(
        "api: all organisations as CSV (streamed)",
        elapsed,
        None,
        None,
        WALK_TARGET_MS,
        None,
        {
            "megabytes": round(size / 1024 / 1024, 1),
            "peak_rss_growth_mb": round(growth, 1),
            "memory_ok": growth < MEMORY_TARGET_MB,
        },
    )
    if growth >= MEMORY_TARGET_MB:
        bench.results[-1]["ok"] = False
