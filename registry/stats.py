"""Cache versioning for the map and statistics.

Every service that changes what the map counts calls `bump_stats_version()` (after
commit); the map endpoint keys its cache on the version, so a change is seen at once.
"""

from django.core.cache import cache
from django.db import transaction

STATS_VERSION_KEY = "registry:stats-version"


def stats_version() -> int:
    version = cache.get(STATS_VERSION_KEY)
    if version is None:
        cache.add(STATS_VERSION_KEY, 1, timeout=None)
        version = cache.get(STATS_VERSION_KEY, 1)
    return version


def bump_stats_version() -> None:
    """Invalidate every cached statistic once the current transaction commits."""

    def _bump():
        try:
            cache.incr(STATS_VERSION_KEY)
        except ValueError:
            cache.set(STATS_VERSION_KEY, 2, timeout=None)

    transaction.on_commit(_bump)
