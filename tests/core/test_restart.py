from __future__ import annotations

import asyncio

from apps.core import restart


async def _serve_one_socket(closes_itself: bool):
    """A websocket app behind GracefulSockets that accepts, and then closes or waits."""
    sent, gate = [], asyncio.Event()

    async def app(scope, receive, send):
        await send({"type": "websocket.accept"})
        if closes_itself:
            await send({"type": "websocket.close", "code": 1000})
            return
        await gate.wait()

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "websocket.connect"}

    task = asyncio.ensure_future(restart.GracefulSockets(app)(
        {"type": "websocket"}, receive, send))
    await asyncio.sleep(0)
    return task, gate, sent


def test_it_closes_every_open_socket_with_the_reconnect_code():
    async def scenario():
        task, gate, sent = await _serve_one_socket(closes_itself=False)
        done, _, closed = await _serve_one_socket(closes_itself=True)
        assert restart.open_sockets() == 1  # the closed one is forgotten
        assert await restart.close_open_sockets() == 1
        gate.set()
        await task
        return sent, closed

    sent, closed = asyncio.run(scenario())
    assert sent[-1] == {"type": "websocket.close", "code": restart.RECONNECT}
    assert closed == [{"type": "websocket.accept"}, {"type": "websocket.close", "code": 1000}]
    assert restart.open_sockets() == 0


def test_it_passes_http_through_untouched():
    async def scenario():
        seen = []

        async def app(scope, receive, send):
            seen.append(scope["type"])

        await restart.GracefulSockets(app)({"type": "http"}, None, None)
        return seen

    assert asyncio.run(scenario()) == ["http"]
