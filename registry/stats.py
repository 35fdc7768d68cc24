"""Cache versioning for the map and statistics.

Every service that changes what the map counts calls `bump_stats_version()` (after
commit); the map endpoint keys its cache on the version, so a change is seen at once.
"""

from conect.core.versions import bump_version, version

STATS_VERSION_KEY = "registry:stats-version"


def stats_version() -> int:
    return version(STATS_VERSION_KEY)


def bump_stats_version() -> None:
    """Invalidate every cached statistic once the current transaction commits."""
    bump_version(STATS_VERSION_KEY)
