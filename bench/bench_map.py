"""Speed of the national map and the coordinators' dashboard with 100,000 organisations
(issue 4).

- The map's JSON endpoint uncached: before each call the statistics version is bumped, so
  every call computes the numbers again (target: under 50 ms at the median), beside the
  bare SQL of its aggregate queries; also with a domain filter.
- The same endpoint from the cache, the map page and the boundaries.
- The coordinators' dashboard (its numbers computed again on each call).

The other layers are measured with 4,000 published relationship officials and 1,500
advisory structures (with their counties and domains): this module adds what `seed_demo`
did not build (its public sector has about 2,000 and 700) for its own run, and removes
them after.
"""

import random
import statistics
import time

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conect.accounts.models import User
from registry.models import (
    AdvisoryStructure,
    County,
    Domain,
    Institution,
    Region,
    RelationshipOfficial,
)
from registry.stats import STATS_VERSION_KEY, stats_version

UNCACHED_TARGET_MS = 50
CACHED_TARGET_MS = 10
OFFICIALS = 4_000  # in all, with those seed_demo built
STRUCTURES = 1_500
PREFIX = "Bench map "
VACUUMED = (
    "registry_organisation",
    "registry_organisation_domains",
    "registry_relationshipofficial",
    "registry_relationshipofficial_counties",
    "registry_relationshipofficial_domains",
    "registry_advisorystructure",
    "registry_advisorystructure_domains",
    "registry_institution",
)


def add_officials_and_structures() -> None:
    """Institutions, published officials (most covering one to three counties, some the
    whole country) and active structures at every territorial level."""
    rng = random.Random(4)
    officials_wanted = max(
        0,
        OFFICIALS
        - RelationshipOfficial.objects.filter(
            consented_at__isnull=False, removed_at__isnull=True
        ).count(),
    )
    structures_wanted = max(0, STRUCTURES - AdvisoryStructure.objects.count())
    counties = list(County.objects.all())
    regions = list(Region.objects.all())
    domains = list(Domain.objects.filter(is_active=True))
    now = timezone.now()
    institutions = Institution.objects.bulk_create(
        [
            Institution(
                name=f"{PREFIX}prefecture {c.name}",
                kind=Institution.Kind.PREFECTURE,
                level=Institution.Level.COUNTY,
                county=c,
            )
            for c in counties
        ]
        + [
            Institution(
                name=f"{PREFIX}ministry {i}",
                kind=Institution.Kind.MINISTRY,
                level=Institution.Level.CENTRAL,
            )
            for i in range(20)
        ]
    )
    officials = RelationshipOfficial.objects.bulk_create(
        [
            RelationshipOfficial(
                institution=rng.choice(institutions),
                name=f"{PREFIX}official {i}",
                position="Consilier",
                email=f"official{i}@bench.invalid",
                consented_at=now,
            )
            for i in range(officials_wanted)
        ]
    )
    covers = RelationshipOfficial.counties.through
    interests = RelationshipOfficial.domains.through
    covered, topics = [], []
    for official in officials:
        if rng.random() > 0.1:
            for county in rng.sample(counties, rng.randint(1, 3)):
                covered.append(covers(relationshipofficial=official, county=county))
        for domain in rng.sample(domains, rng.randint(0, 2)):
            topics.append(interests(relationshipofficial=official, domain=domain))
    covers.objects.bulk_create(covered)
    interests.objects.bulk_create(topics)
    Level = AdvisoryStructure.TerritorialLevel
    structures = []
    for i in range(structures_wanted):
        level = rng.choice(
            [Level.NATIONAL, Level.REGIONAL, Level.COUNTY, Level.COUNTY, Level.LOCAL]
        )
        county = rng.choice(counties) if level in (Level.COUNTY, Level.LOCAL) else None
        region = (
            county.region if county else (rng.choice(regions) if level == Level.REGIONAL else None)
        )
        structures.append(
            AdvisoryStructure(
                institution=rng.choice(institutions),
                name=f"{PREFIX}council {i}",
                kind=AdvisoryStructure.Kind.COUNCIL,
                territorial_level=level,
                county=county,
                region=region,
            )
        )
    structures = AdvisoryStructure.objects.bulk_create(structures)
    link = AdvisoryStructure.domains.through
    link.objects.bulk_create(
        [
            link(advisorystructure=s, domain=d)
            for s in structures
            for d in rng.sample(domains, rng.randint(0, 2))
        ]
    )


def remove_officials_and_structures() -> None:
    AdvisoryStructure.objects.filter(name__startswith=PREFIX).delete()
    RelationshipOfficial.objects.filter(name__startswith=PREFIX).delete()
    Institution.objects.filter(name__startswith=PREFIX).delete()


def _invalidate():
    """What a service's bump_stats_version() does after commit: a new cache key."""
    stats_version()
    cache.incr(STATS_VERSION_KEY)


def _captured_sql(client, url) -> list[str]:
    _invalidate()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"].replace("%", "%%") for q in ctx.captured_queries]


def measure_uncached(bench, name, url, *, client=None):
    """Median time of GET `url` with the map's cache invalidated before each call (the
    invalidation itself is not timed), beside the bare time of the same SQL."""
    client = client or bench.client
    statements = _captured_sql(client, url)
    client.get(url)  # warm up
    times = []
    for _i in range(bench.repeat):
        _invalidate()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    bare = bench.sql_ms(";\n".join(statements)) if statements else None
    bench._record(
        name,
        statistics.median(times),
        bare,
        len(statements),
        UNCACHED_TARGET_MS if "dashboard" not in name else None,
        None,
        {"max_ms": round(max(times), 1)},
    )


def run(bench):
    remove_officials_and_structures()  # a previous run that stopped half-way
    add_officials_and_structures()
    with connection.cursor() as cursor:
        # What autovacuum does soon after a bulk load: without it the planner works from
        # the statistics of an empty table and index-only scans still visit the heap.
        for table in VACUUMED:
            cursor.execute(f"VACUUM ANALYZE {table}")
    try:
        measure(bench)
    finally:
        remove_officials_and_structures()


def measure(bench):
    data_url = reverse("map:map-data")
    measure_uncached(bench, "map: data.json, uncached", data_url)
    domain = Domain.objects.filter(is_active=True).order_by("slug").first()
    if domain is not None:
        measure_uncached(
            bench,
            f"map: data.json?domain={domain.slug}, uncached",
            f"{data_url}?domain={domain.slug}",
        )
    bench.page("map: data.json, cached", data_url, target_ms=CACHED_TARGET_MS)
    bench.page("map: /map/ page, numbers cached", reverse("map:map"))
    bench.page("map: boundaries.json, cached", reverse("map:map-boundaries"))

    coordinator, _created = User.objects.get_or_create(
        email="bench-coordinator@conect.invalid",
        defaults={"name": "Bench Coordinator", "is_coordinator": True},
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="ro")
    client.force_login(coordinator)
    measure_uncached(
        bench, "dashboard: page, numbers uncached", reverse("map:dashboard"), client=client
    )
