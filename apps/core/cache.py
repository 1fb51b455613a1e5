"""The Redis cache, degrading to misses while Redis is unreachable (issue 18).

Everything this project keeps in the cache can be recomputed or is a soft limit: rendered views
and cards (a miss recomputes them), rate-limit windows and the matchmaking wave interval (a miss
lets the request through), websocket tickets (a miss refuses the ticket; the client reads over
HTTP and asks again). So while Redis is down a read is a miss and a write is dropped, and the
request goes on, instead of every page failing. Failures are logged at most once per
LOG_INTERVAL seconds per process. Note what that means for limits: rate limits and the sign-in
lock-out are not enforced during the outage (the same as a cache that was just flushed).
"""

from __future__ import annotations

import logging
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
LOG_INTERVAL = 10.0


class DegradingRedisCache(RedisCache):
    _last_logged = 0.0

    def _degraded(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - DegradingRedisCache._last_logged >= LOG_INTERVAL:
            DegradingRedisCache._last_logged = now
            log.warning("cache unreachable, serving without it (%s): %s: %s", operation,
                        type(exc).__name__, exc)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except ERRORS as exc:
            self._degraded("add", exc)
            return True  # as if the key had not been there

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except ERRORS as exc:
            self._degraded("get", exc)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except ERRORS as exc:
            self._degraded("set", exc)
            return None

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except ERRORS as exc:
            self._degraded("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except ERRORS as exc:
            self._degraded("delete", exc)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except ERRORS as exc:
            self._degraded("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except ERRORS as exc:
            self._degraded("has_key", exc)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except ERRORS as exc:
            self._degraded("incr", exc)
            return delta  # as if the counter had started now

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except ERRORS as exc:
            self._degraded("set_many", exc)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except ERRORS as exc:
            self._degraded("delete_many", exc)

    def clear(self):
        try:
            return super().clear()
        except ERRORS as exc:
            self._degraded("clear", exc)
            return False
