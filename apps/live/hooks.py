"""Callbacks for higher apps that must act when a live game finishes (apps.lti sends each
learner's score to the LMS). live never imports them: they register here from their
AppConfig.ready(), as for quiz attempts (apps.quiz.hooks).

Listeners run inside the transaction that finishes the game, holding the game's row lock, once
per game (the finish is idempotent: a second end or next does not call them again); they must
only write rows and enqueue work after commit (apps.core.outbox)."""

from __future__ import annotations

from collections.abc import Callable

_listeners: list[Callable] = []


def on_game_finished(listener: Callable) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def game_finished(game) -> None:
    for listener in _listeners:
        listener(game)
