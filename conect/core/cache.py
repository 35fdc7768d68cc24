"""The shared cache: django-redis, which answers as an empty cache when Redis is gone
(IGNORE_EXCEPTIONS) and logs the error; see docs/deployment-redis.md.

One change to it: `add` answers True, not None, when Redis cannot be reached. allauth's
rate limits take a lock with `cache.add` and refuse the request (429) when they cannot
get it, so with the library's answer nobody could sign in while Redis is down. With this
one every limit kept in the cache fails open, as the deployment document states.
"""

from django_redis.cache import RedisCache as LibraryRedisCache
from django_redis.cache import omit_exception


class RedisCache(LibraryRedisCache):
    @omit_exception(return_value=True)
    def add(self, *args, **kwargs):
        return self.client.add(*args, **kwargs)
