"""Background work. On the full stack tasks go to Celery; on the embedded default (no broker)
they run in-process, after the transaction commits, on a timer thread when delayed.

Celery's eager mode is not used for the embedded default: it runs a countdown task at once and
ignores the countdown, and beat never runs.
"""

from __future__ import annotations

import logging
import socket
import threading

from celery import shared_task
from django.conf import settings
from django.db import close_old_connections, transaction

log = logging.getLogger(__name__)
_pending: set[threading.Timer] = set()
_running: set[threading.Thread] = set()


def enqueue(task, *args, countdown: float | None = None) -> None:
    """Send `task(*args)` after the current transaction commits (at once outside one).
    Tasks must be idempotent: Celery may deliver a countdown task late or twice."""

    def send() -> None:
        if settings.CELERY_ENABLED:
            task.apply_async(args=args, countdown=countdown)
            return
        timer = threading.Timer(countdown or 0, _run_in_process, args=(task, args))
        timer.daemon = True
        _pending.add(timer)
        timer.start()

    transaction.on_commit(send)


def _run_in_process(task, args) -> None:
    me = threading.current_thread()
    _pending.discard(me)
    _running.add(me)
    close_old_connections()
    try:
        task.run(*args)
    except Exception:  # a failing task must not kill the server; log it as a worker would
        log.exception("in-process task %s failed", task.name)
    finally:
        close_old_connections()
        _running.discard(me)


def cancel_pending(wait: float = 10.0) -> int:
    """Cancel in-process timers that have not fired and wait for those already running (tests
    call this between tests, so no task from one test touches the next test's database, nor
    holds locks while the test database is flushed)."""
    timers = list(_pending)
    for timer in timers:
        timer.cancel()
    _pending.clear()
    for thread in list(_running):
        thread.join(timeout=wait)
    return len(timers)


@shared_task(name="core.heartbeat")
def heartbeat(marker: str = "") -> None:
    from apps.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.create(worker=socket.gethostname(), marker=marker)
    WorkerHeartbeat.objects.filter(
        pk__in=WorkerHeartbeat.objects.order_by("-seen_at").values("pk")[100:]
    ).delete()
