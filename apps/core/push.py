"""Pushing to websockets through the channel layer, from any thread or process.

With Redis (channels-redis) any process and thread can publish. The in-memory layer of the
embedded default lives on the ASGI server's event loop, which consumers record when they connect
(`remember_loop`); publishers on other threads hand the send to that loop, never to a loop of
their own. Tickets let API clients open a websocket without putting a token in a URL."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import threading

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core.cache import cache

log = logging.getLogger(__name__)

_SERVER_LOOP: asyncio.AbstractEventLoop | None = None
TICKET_SECONDS = 30


def remember_loop() -> None:
    global _SERVER_LOOP
    _SERVER_LOOP = asyncio.get_running_loop()


# Publishers on threads without an event loop (gunicorn's request threads, the sweeps, Celery)
# hand their sends to one long-lived loop per process. `async_to_sync` would make a new loop per
# call, and channels-redis keeps its connections per loop: every push paid for a new Redis
# client and connection (a fifth of a web process's time under the head-to-head bench).
_PUBLISHER: asyncio.AbstractEventLoop | None = None
_PUBLISHER_PID: int | None = None
_PUBLISHER_LOCK = threading.Lock()
PUBLISH_TIMEOUT = 10.0


def _publisher() -> asyncio.AbstractEventLoop:
    global _PUBLISHER, _PUBLISHER_PID
    with _PUBLISHER_LOCK:
        # A forked child (a Celery prefork process) does not inherit the parent's thread.
        if _PUBLISHER is None or _PUBLISHER_PID != os.getpid() or _PUBLISHER.is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, daemon=True,
                             name="channel-layer-publisher").start()
            _PUBLISHER, _PUBLISHER_PID = loop, os.getpid()
        return _PUBLISHER


def group_send(group: str, message: dict) -> None:
    """Send `message` to every socket of `group`, and return once it is sent. Errors are logged,
    never raised: this runs after a commit, and a stored change must not turn into a failed
    request (clients resync)."""
    try:
        layer = get_channel_layer()
        if isinstance(layer, InMemoryChannelLayer):
            loop = _SERVER_LOOP
            if loop is None or loop.is_closed():
                return  # nobody has connected to this process: nobody to tell
            asyncio.run_coroutine_threadsafe(layer.group_send(group, message), loop)
            return
        sent = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), _publisher())
        try:
            sent.result(timeout=PUBLISH_TIMEOUT)
        except TimeoutError:
            sent.cancel()  # a send stuck on a dead connection does not stay on the loop
            raise
    except Exception as exc:  # noqa: BLE001 - a lost push is recovered by the clients' resync
        from apps.core.errors import is_outage

        if is_outage(exc):  # Redis down: one line per push, not a traceback per request
            log.warning("push to %s failed: %s: %s", group, type(exc).__name__,
                        str(exc)[:200])
        else:
            log.exception("push to %s failed", group)


def ticket_issue(scope: str, value) -> str:
    """A short-lived, single-use websocket ticket carrying `value` for `scope`."""
    ticket = secrets.token_urlsafe(24)
    cache.set(f"ws-ticket:{ticket}", (scope, value), TICKET_SECONDS)
    return ticket


def ticket_redeem(ticket: str, scope: str):
    """The value the ticket was issued with for `scope`, once; None otherwise."""
    key = f"ws-ticket:{ticket}"
    stored = cache.get(key)
    if stored is None or not cache.delete(key):  # delete() is the single-use guard
        return None
    ticket_scope, value = stored
    return value if ticket_scope == scope else None
