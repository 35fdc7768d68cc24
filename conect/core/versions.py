"""Version counters in the shared cache, for keys of cached data that must change at once
when what they hold changes: a reader puts `version(KEY)` in its cache keys, and the
service that changes the data calls `bump_version(KEY)`, which takes effect when the
transaction commits (so nobody caches what a rolled-back change showed)."""

from django.core.cache import cache
from django.db import transaction


def version(key: str) -> int:
    """The current version under `key` (1 when the cache has none yet)."""
    found = cache.get(key)
    if found is None:
        cache.add(key, 1, timeout=None)
        found = cache.get(key, 1)
    return found


def bump_version(key: str) -> None:
    """A new version under `key` once the current transaction commits."""

    def _bump():
        try:
            cache.incr(key)
        except ValueError:  # the cache lost the counter: any other number will do
            cache.set(key, 2, timeout=None)

    transaction.on_commit(_bump)
