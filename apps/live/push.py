"""Pushing a live game's changes to the room's websockets, after the change commits.

A change (any transition that bumps the game's version) publishes one small message to the
game's group once its transaction commits; the payload every socket needs (the room's view, the
phones' board, every player's own line) is computed once per version by the publisher and kept
in the cache (apps.live.selectors.push_payload), so the sockets only pick their line. Answers do
not move the version: the projector is told the count in a message of its own. A push that fails
is logged, never raised (the change is stored; clients resync on reconnect and on a gap)."""

from __future__ import annotations

import logging

from django.db import transaction

from apps.core import push
from apps.live.models import LiveGame

log = logging.getLogger(__name__)


def room_group(game_id: int) -> str:
    return f"live-{game_id}"


def host_group(game_id: int) -> str:
    return f"live-{game_id}-host"


def changed(game_id: int) -> None:
    """Publish the game's version once the current transaction commits. A transaction that
    bumps the version twice publishes twice; the second finds the payload cached and the
    sockets, which send a version only once, skip it."""
    transaction.on_commit(lambda: publish(game_id))


def publish(game_id: int) -> None:
    from apps.live.selectors import push_payload

    try:
        game = LiveGame.objects.get(pk=game_id)
        push_payload(game)  # computed once here, before hundreds of sockets ask for it
    except Exception:  # noqa: BLE001 - the sockets compute it themselves if it is missing
        log.exception("live game %s: preparing the push failed", game_id)
        return
    push.group_send(room_group(game_id), {"type": "live.changed", "version": game.version})


def answered(game_id: int, number: int, count: int) -> None:
    """Tell the projector how many have answered question `number`, after commit."""
    transaction.on_commit(lambda: push.group_send(
        host_group(game_id), {"type": "live.answers", "number": number, "count": count}))
