"""Time moves without the worker (issue 18): every web process runs the sweeps too.

Overdue rounds and live-game questions are closed by countdown tasks and, should one be lost, by
beat's sweeps. Both need the worker and beat. The web processes therefore run the same sweeps
(WEB_SWEEP_TASKS, by task name, so this low app imports none of the play apps) on a daemon
thread every WEB_SWEEP_SECONDS. One process leads each round (a cache lock shared through Redis;
on the embedded default there is one process), and every sweep is idempotent, so a second leader
during a Redis outage (the cache then grants every lock) does no harm. The first sweep runs at
start-up: on the embedded default, whose timers live in memory, that re-arms a restarted
server's matches from the database (an overdue round closes at once, the others within one
interval of their deadline, which is when the in-memory timer would have fired).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections

log = logging.getLogger(__name__)

LEADER_KEY = "web-sweep-leader"
_STARTED_IN: int | None = None
_LOCK = threading.Lock()


def sweep_once(*, token: str | None = None) -> dict[str, int] | None:
    """Run every web sweep if this process wins the lock for this interval; None if another
    process leads. Returns what each sweep did."""
    interval = settings.WEB_SWEEP_SECONDS
    if not cache.add(LEADER_KEY, token or uuid.uuid4().hex, timeout=max(interval * 0.9, 0.5)):
        return None
    done = {}
    for name in settings.WEB_SWEEP_TASKS:
        try:
            done[name] = _task(name).run() or 0
        finally:
            close_old_connections()
    return done


def _task(name: str):
    from celery import current_app

    if name not in current_app.tasks:  # Celery imports the apps' tasks modules lazily
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def _loop(interval: float) -> None:
    token = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    failing_since: float | None = None
    while True:
        try:
            sweep_once(token=token)
            if failing_since is not None:
                log.warning("web sweep recovered after %.0f s", time.monotonic() - failing_since)
                failing_since = None
        except Exception as exc:  # a database outage: say so once, keep trying
            if failing_since is None:
                failing_since = time.monotonic()
                log.warning("web sweep failed, retrying every %s s: %s: %s", interval,
                            type(exc).__name__, str(exc)[:200])
            close_old_connections()
        time.sleep(interval)


def start_web_sweeper() -> bool:
    """Start this process's sweeper thread (once per process; WEB_SWEEP_SECONDS=0 turns it off,
    as the test settings do). Called by the web entry points (config/wsgi.py, config/asgi.py)."""
    global _STARTED_IN
    interval = settings.WEB_SWEEP_SECONDS
    if interval <= 0:
        return False
    with _LOCK:
        if _STARTED_IN == os.getpid():
            return False
        _STARTED_IN = os.getpid()
    threading.Thread(target=_loop, args=(interval,), daemon=True, name="web-sweeper").start()
    return True
