"""The default cache on Redis that reads as empty while Redis is down, never a 500.

Only figures that can be computed again live in it (the dashboard's, for a minute), so
with Redis unreachable a read is a miss, a write is skipped, and the page is computed
from the database. Counts that must hold across processes (the upload quota) and the
sign-in lockout are in the database, not here.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _forgiving(name, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(RedisCacheThatMayBeDown, self), name)(*args, **kwargs)
        except UNREACHABLE as exc:
            logger.warning("cache unreachable, %s skipped: %s", name, exc)
            return fallback(*args, **kwargs)

    method.__name__ = name
    return method


def _default(key, default=None, *args, **kwargs):
    return default


class RedisCacheThatMayBeDown(RedisCache):
    get = _forgiving("get", _default)
    get_many = _forgiving("get_many", lambda *args, **kwargs: {})
    has_key = _forgiving("has_key", lambda *args, **kwargs: False)
    set = _forgiving("set", lambda *args, **kwargs: None)
    add = _forgiving("add", lambda *args, **kwargs: False)
    touch = _forgiving("touch", lambda *args, **kwargs: False)
    set_many = _forgiving("set_many", lambda keys, *args, **kwargs: list(keys))
    delete = _forgiving("delete", lambda *args, **kwargs: False)
    delete_many = _forgiving("delete_many", lambda *args, **kwargs: None)
    clear = _forgiving("clear", lambda *args, **kwargs: False)
