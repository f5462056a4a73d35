"""The Redis cache, made to degrade instead of failing the request when Redis is down.

Django's RedisCache raises on every call while Redis is unreachable, which would turn a cache
outage into a site outage. ResilientRedisCache answers instead like an empty cache (as Django's
DummyCache does): reads miss, writes are dropped, ``add`` reports success and ``incr`` starts
from zero. Pages are then built without the cache, sessions are read from the database
(``cached_db``), and the contact form's rate limit counts nothing, so it lets everyone through
(it fails open). One warning is logged per outage, and Redis is not tried again for
``RETRY_AFTER`` seconds, so an unreachable Redis costs at most one short timeout
(``socket_connect_timeout`` in the cache OPTIONS) per process every few seconds.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0

# Per process, per Redis address: until when Redis is considered down (time.monotonic()).
_down_until = {}
_lock = threading.Lock()


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis object around its pool for every call, which
    costs about as much as the round trip itself on a page's dozen cache reads. A redis.Redis
    object is safe to share between threads (each command borrows a pooled connection), so one
    per pool is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._class = ReusedClientRedisCacheClient

    def _is_down(self):
        return time.monotonic() < _down_until.get(self._server_key, 0.0)

    @property
    def _server_key(self):
        return tuple(self._servers)

    def _guard(self, call, fallback):
        """Run ``call`` against Redis; on a Redis error return ``fallback`` instead."""
        if self._is_down():
            return fallback
        try:
            return call()
        except RedisError as error:
            with _lock:
                already_down = self._is_down()
                _down_until[self._server_key] = time.monotonic() + RETRY_AFTER
            if not already_down:
                logger.warning(
                    "Redis cache unavailable (%s: %s); serving without the cache, "
                    "trying again in %.0f s",
                    type(error).__name__,
                    error,
                    RETRY_AFTER,
                )
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self._guard(lambda: parent.add(key, value, timeout, version), True)

    def get(self, key, default=None, version=None):
        parent = super()
        return self._guard(lambda: parent.get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self._guard(lambda: parent.set(key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self._guard(lambda: parent.touch(key, timeout, version), False)

    def delete(self, key, version=None):
        parent = super()
        return self._guard(lambda: parent.delete(key, version), False)

    def get_many(self, keys, version=None):
        parent = super()
        return self._guard(lambda: parent.get_many(keys, version), {})

    def has_key(self, key, version=None):
        parent = super()
        return self._guard(lambda: parent.has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        parent = super()
        return self._guard(lambda: parent.incr(key, delta, version), delta)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self._guard(lambda: parent.set_many(data, timeout, version), list(data))

    def delete_many(self, keys, version=None):
        parent = super()
        return self._guard(lambda: parent.delete_many(keys, version), None)

    def clear(self):
        parent = super()
        return self._guard(lambda: parent.clear(), False)
