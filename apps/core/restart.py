"""A websocket server that restarts gracefully (issue 18).

A web process that is stopped (SIGTERM: a deploy, a restart, compose scaling down) used to drop
its sockets, and the clients saw an abnormal close (1006), as after a crash. Now, before the
server stops, every socket this process has accepted is closed with RECONNECT (4503: "service
unavailable, come back"; in the HTTP-like range of the app's other codes, 4403 and 4404), which
the page scripts (static/js) and API clients take as "reconnect now": to another process, or to
this one once it is back, and then resync (the server sends the whole state on connect).
RFC 6455's own 1012 "service restart" would say the same, but daphne's websocket library
(autobahn) lets an application send only 1000 and 3000-4999.

`GracefulSockets` (ASGI middleware around the websocket router, config/asgi.py) remembers the
open sockets; `close_sockets_on_shutdown()` hooks the close into daphne's shutdown (twisted's
"before shutdown" triggers run before daphne cancels the consumers and stops the reactor).
HTTP needs nothing of this: gunicorn drains its requests on SIGTERM (`graceful_timeout`).
"""

from __future__ import annotations

import asyncio
import logging
import sys

log = logging.getLogger(__name__)

RECONNECT = 4503  # static/js/*.js reconnect at once on it
FLUSH_SECONDS = 0.5  # time for the close frames to leave before the reactor stops

# The `send` of every websocket this process has accepted and not closed yet.
_OPEN: dict[object, object] = {}


class GracefulSockets:
    """Remembers each accepted websocket until it closes (see the module docstring)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.app(scope, receive, send)
        key = object()

        async def remembering_send(message):
            if message["type"] == "websocket.accept":
                _OPEN[key] = send
            elif message["type"] == "websocket.close":
                _OPEN.pop(key, None)
            await send(message)

        try:
            return await self.app(scope, receive, remembering_send)
        finally:
            _OPEN.pop(key, None)


def open_sockets() -> int:
    return len(_OPEN)


def close_open_sockets(code: int = RECONNECT) -> asyncio.Future:
    """Close every open socket of this process with `code`. The sockets are taken now (the
    caller may be about to cancel the consumers); the sends run on the event loop."""
    sends = list(_OPEN.values())
    _OPEN.clear()
    if sends:
        log.warning("closing %d websocket(s) with %d for a restart", len(sends), code)

    async def close_all():
        results = await asyncio.gather(*(send({"type": "websocket.close", "code": code})
                                         for send in sends), return_exceptions=True)
        for failed in [r for r in results if isinstance(r, Exception)][:1]:
            log.warning("a websocket did not close cleanly: %s: %s", type(failed).__name__,
                        failed)
        if sends:
            await asyncio.sleep(FLUSH_SECONDS)
        return len(sends)

    return asyncio.ensure_future(close_all())


def close_sockets_on_shutdown() -> bool:
    """Under daphne (twisted's asyncio reactor, installed before the application is imported),
    close the sockets with RECONNECT when the server is told to stop. Elsewhere, do nothing."""
    if "twisted.internet.reactor" not in sys.modules:
        return False
    from twisted.internet import defer, reactor

    def before_shutdown():
        return defer.Deferred.fromFuture(close_open_sockets())

    reactor.addSystemEventTrigger("before", "shutdown", before_shutdown)
    return True
