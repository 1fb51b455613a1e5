"""Pushing match updates to the players' websockets.

With Redis (channels-redis) any process and thread can publish. The in-memory layer of the
embedded default lives on the ASGI server's event loop, which consumers record when they connect;
publishers on other threads hand the send to that loop, never to a loop of their own."""

from __future__ import annotations

import asyncio
import secrets
import threading

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core.cache import cache

from apps.matches.models import Match

_SERVER_LOOP: asyncio.AbstractEventLoop | None = None
TICKET_SECONDS = 30


def remember_loop() -> None:
    global _SERVER_LOOP
    _SERVER_LOOP = asyncio.get_running_loop()


def group_name(match_id: int) -> str:
    return f"match-{match_id}"


def broadcast(match_id: int) -> None:
    version = Match.objects.filter(pk=match_id).values_list("version", flat=True).first()
    if version is None:
        return
    layer = get_channel_layer()
    message = {"type": "match.changed", "version": version}
    if isinstance(layer, InMemoryChannelLayer):
        loop = _SERVER_LOOP
        if loop is None or loop.is_closed():
            return  # nobody has connected to this process: nobody to tell
        asyncio.run_coroutine_threadsafe(layer.group_send(group_name(match_id), message), loop)
    else:
        _publish(layer, group_name(match_id), message)


def _publish(layer, group: str, message: dict) -> None:
    """async_to_sync cannot run in a thread that is itself running an event loop; publish from
    a short-lived thread in that (unusual) case instead of failing the transaction's hooks."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(layer.group_send)(group, message)
        return
    thread = threading.Thread(target=async_to_sync(layer.group_send), args=(group, message))
    thread.start()
    thread.join()


def ticket_issue(*, user_id: int, match_id: int) -> str:
    """A short-lived, single-use websocket ticket for API clients (never a token in a URL)."""
    ticket = secrets.token_urlsafe(24)
    cache.set(f"ws-ticket:{ticket}", (user_id, match_id), TICKET_SECONDS)
    return ticket


def ticket_redeem(*, ticket: str, match_id: int) -> int | None:
    key = f"ws-ticket:{ticket}"
    value = cache.get(key)
    if value is None or not cache.delete(key):  # delete() is the single-use guard
        return None
    user_id, ticket_match = value
    return user_id if ticket_match == match_id else None
