"""Leaderboards that other apps provide. The skills app ranks its own topics; a higher app (the
head-to-head ratings of apps.matches) registers its boards here from AppConfig.ready, as apps
register holds with apps.core.holds, so this app never imports it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Board:
    kind: str  # the ?kind= value; never starts with "topic-"
    title: str
    unit: str
    # rows(now=..., limit=...) -> [{"user": User (leaderboard_preference selected), "value": int}]
    rows: Callable[..., list[dict[str, Any]]]


_BOARDS: dict[str, Board] = {}


def register(board: Board) -> None:
    if board.kind.startswith("topic-"):
        raise ValueError("topic-* boards belong to the skills app")
    _BOARDS[board.kind] = board


def registered() -> list[Board]:
    """In registration order."""
    return list(_BOARDS.values())


def get(kind: str) -> Board | None:
    return _BOARDS.get(kind)

