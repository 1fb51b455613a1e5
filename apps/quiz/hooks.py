"""Callbacks for higher apps that must act when a quiz attempt finishes (apps.lti sends the grade
to the LMS). quiz never imports them: they register here from their AppConfig.ready().

Listeners run inside the transaction that finishes the attempt, holding its lock, once per
attempt; they must only write rows and enqueue work after commit (apps.core.outbox)."""

from __future__ import annotations

from collections.abc import Callable

_listeners: list[Callable] = []


def on_attempt_finished(listener: Callable) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def attempt_finished(attempt) -> None:
    for listener in _listeners:
        listener(attempt)
