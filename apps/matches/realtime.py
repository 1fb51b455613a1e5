"""Pushing match updates to the players' websockets (through apps.core.push, which knows how to
reach the embedded default's in-memory layer from any thread)."""

from __future__ import annotations

from apps.core import push
from apps.matches.models import Match

TICKET_SECONDS = push.TICKET_SECONDS
remember_loop = push.remember_loop


def group_name(match_id: int) -> str:
    return f"match-{match_id}"


def broadcast(match_id: int) -> None:
    version = Match.objects.filter(pk=match_id).values_list("version", flat=True).first()
    if version is None:
        return
    push.group_send(group_name(match_id), {"type": "match.changed", "version": version})


def ticket_issue(*, user_id: int, match_id: int) -> str:
    """A short-lived, single-use websocket ticket for API clients (never a token in a URL)."""
    return push.ticket_issue("match", (user_id, match_id))


def ticket_redeem(*, ticket: str, match_id: int) -> int | None:
    value = push.ticket_redeem(ticket, "match")
    if value is None:
        return None
    user_id, ticket_match = value
    return user_id if ticket_match == match_id else None
