"""A Redis cache that keeps answering while Redis is down.

The cache holds throttle counters and short-lived values only, so losing it must not fail a
request: while Redis is unreachable every operation goes to a per-process local-memory cache
(each process then counts throttles on its own, a looser but still working limit), and a
warning is logged once per outage (see ``core.outage``).
"""
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .outage import redis as redis_breaker

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, with a per-process fallback for the time Redis cannot be reached."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.fallback = LocMemCache("benchtop-redis-fallback", {"TIMEOUT": params.get("TIMEOUT", 300)})

    def _either(self, name, *args, **kwargs):
        if not redis_breaker.is_open():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE as error:
                redis_breaker.failed(error)
            else:
                redis_breaker.succeeded()
                return result
        return getattr(self.fallback, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._either("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._either("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._either("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._either("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._either("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._either("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._either("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._either("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._either("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._either("delete_many", *args, **kwargs)

    @property
    def unbuffered(self):
        """This cache without the fallback: what ``/health`` checks."""
        return _RedisOnly(self)

    def clear(self):
        self.fallback.clear()
        return self._either("clear")


class _RedisOnly:
    """Set, get and delete straight on Redis, raising when it is down."""

    def __init__(self, cache: ResilientRedisCache):
        self.cache = cache

    def set(self, *args, **kwargs):
        return RedisCache.set(self.cache, *args, **kwargs)

    def get(self, *args, **kwargs):
        return RedisCache.get(self.cache, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return RedisCache.delete(self.cache, *args, **kwargs)
