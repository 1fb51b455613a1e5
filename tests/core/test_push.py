from __future__ import annotations

import logging

import redis

from apps.core import push


class BrokenLayer:
    def __init__(self, exc):
        self.exc = exc

    async def group_send(self, group, message):
        raise self.exc


def test_it_logs_a_push_lost_to_a_redis_outage_in_one_line(monkeypatch, caplog):
    monkeypatch.setattr(push, "get_channel_layer", lambda: BrokenLayer(
        redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379.")))
    with caplog.at_level(logging.WARNING, logger="apps.core.push"):
        push.group_send("match-7", {"type": "state"})  # never raises: it runs after commit
    [record] = caplog.records
    assert record.exc_info is None
    assert "match-7" in record.getMessage() and "ConnectionError" in record.getMessage()


def test_it_keeps_the_traceback_of_any_other_failure(monkeypatch, caplog):
    monkeypatch.setattr(push, "get_channel_layer", lambda: BrokenLayer(ValueError("a bug")))
    with caplog.at_level(logging.WARNING, logger="apps.core.push"):
        push.group_send("match-7", {"type": "state"})
    [record] = caplog.records
    assert record.exc_info is not None
