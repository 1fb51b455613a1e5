from __future__ import annotations

import asyncio
import logging
import threading

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


class RecordingLayer:
    def __init__(self):
        self.sent = []

    async def group_send(self, group, message):
        self.sent.append((group, message, asyncio.get_running_loop()))


def test_publishers_on_any_thread_share_one_long_lived_loop(monkeypatch):
    layer = RecordingLayer()
    monkeypatch.setattr(push, "get_channel_layer", lambda: layer)
    push.group_send("match-1", {"type": "a"})
    assert len(layer.sent) == 1  # sent by the time it returns
    thread = threading.Thread(target=push.group_send, args=("match-2", {"type": "b"}))
    thread.start()
    thread.join()

    async def from_a_running_loop():  # e.g. a consumer's thread: no loop of its own is made
        push.group_send("match-3", {"type": "c"})

    asyncio.run(from_a_running_loop())
    assert [g for g, _, _ in layer.sent] == ["match-1", "match-2", "match-3"]
    loops = {loop for _, _, loop in layer.sent}
    assert len(loops) == 1 and not loops.pop().is_closed()


def test_a_send_that_hangs_is_given_up_and_logged(monkeypatch, caplog):
    class HangingLayer:
        async def group_send(self, group, message):
            await asyncio.sleep(60)

    monkeypatch.setattr(push, "get_channel_layer", lambda: HangingLayer())
    monkeypatch.setattr(push, "PUBLISH_TIMEOUT", 0.2)
    with caplog.at_level(logging.WARNING, logger="apps.core.push"):
        push.group_send("match-9", {"type": "state"})
    assert "match-9" in caplog.text
