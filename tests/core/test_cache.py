"""The Redis cache degrades to misses while Redis is unreachable (apps.core.cache)."""

from __future__ import annotations

import pytest

from apps.core.cache import DegradingRedisCache


@pytest.fixture
def unreachable():
    # Nothing listens on port 1: every command fails to connect, at once.
    return DegradingRedisCache("redis://127.0.0.1:1/0", {
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})


def test_reads_are_misses_and_writes_are_dropped(unreachable, caplog):
    assert unreachable.get("k") is None
    assert unreachable.get("k", "fallback") == "fallback"
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.set("k", 1) is None
    assert unreachable.has_key("k") is False
    assert unreachable.delete("k") is False  # a single-use ticket cannot be redeemed
    assert unreachable.add("k", 0) is True and unreachable.incr("k") == 1  # limits let it pass
    assert len([r for r in caplog.records if r.name == "apps.core.cache"]) <= 1


@pytest.mark.redis
def test_it_is_a_normal_cache_when_redis_answers(settings):
    cache = DegradingRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "degrading-test"})
    cache.set("k", "v", 5)
    assert cache.get("k") == "v"
    assert cache.add("k", "other") is False and cache.delete("k") is True
