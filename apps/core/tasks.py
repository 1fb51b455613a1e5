"""Background work. On the full stack tasks go to Celery; on the embedded default (no broker)
they run in-process, after the transaction commits, on a few long-lived threads that honour
the countdown (`InProcessRunner`).

Celery's eager mode is not used for the embedded default: it runs a countdown task at once and
ignores the countdown, and beat never runs.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import socket
import threading
import time

from celery import shared_task
from django.conf import settings
from django.db import close_old_connections

from apps.core.aftercommit import after_commit

log = logging.getLogger(__name__)

# Tasks whose lateness a player would see (a round closing, the bot answering) run in a lane of
# their own, so a backlog of bookkeeping (skill updates) never delays them.
PLAY_PREFIXES = ("matches.", "quiz.", "live.")


def enqueue(task, *args, countdown: float | None = None) -> None:
    """Send `task(*args)` after the current transaction commits (at once outside one).
    Tasks must be idempotent: Celery may deliver a countdown task late or twice."""

    def send() -> None:
        if settings.CELERY_ENABLED:
            _send_to_broker(task, args, countdown)
            return
        lane = "play" if task.name.startswith(PLAY_PREFIXES) else "background"
        _runner().submit(lane, task, args, countdown or 0)

    # The transaction has committed; a broker that is down must not turn the stored change into
    # a 500. The sweeps (and the outbox, for must-happen work) catch up on what was not sent.
    after_commit(send, what=f"dispatch of {task.name}")


def _send_to_broker(task, args: tuple, countdown: float | None) -> None:
    task.apply_async(args=args, countdown=countdown)


class InProcessRunner:
    """The embedded default's worker: one thread per lane runs due tasks in order of their due
    time. A few long-lived threads rather than a timer thread per task: under load (100
    matches, bench/match_latency.py) hundreds of timer threads fought over the GIL and
    SQLite's write lock and some waited out the busy timeout ("database is locked")."""

    def __init__(self):
        self._cond = threading.Condition()
        self._queues: dict[str, list] = {}
        self._threads: dict[str, threading.Thread] = {}
        self._running = 0
        self._seq = itertools.count()
        self._pid = os.getpid()

    def submit(self, lane: str, task, args: tuple, countdown: float) -> None:
        with self._cond:
            heapq.heappush(self._queues.setdefault(lane, []),
                           (time.monotonic() + countdown, next(self._seq), task, args))
            if lane not in self._threads:
                thread = threading.Thread(target=self._work, args=(lane,), daemon=True,
                                          name=f"in-process-tasks-{lane}")
                self._threads[lane] = thread
                thread.start()
            self._cond.notify_all()

    def _work(self, lane: str) -> None:
        queue = self._queues[lane]
        while True:
            with self._cond:
                while not queue or queue[0][0] > time.monotonic():
                    self._cond.wait(timeout=(queue[0][0] - time.monotonic()) if queue else None)
                _, _, task, args = heapq.heappop(queue)
                self._running += 1
            try:
                close_old_connections()
                task.run(*args)
            except Exception:  # a failing task must not stop the lane; log it as a worker would
                log.exception("in-process task %s failed", task.name)
            finally:
                close_old_connections()
                with self._cond:
                    self._running -= 1
                    self._cond.notify_all()

    def cancel(self, wait: float) -> int:
        with self._cond:
            dropped = sum(len(q) for q in self._queues.values())
            for queue in self._queues.values():
                queue.clear()
            self._cond.wait_for(lambda: self._running == 0, timeout=wait)
        return dropped


_RUNNER: InProcessRunner | None = None
_RUNNER_LOCK = threading.Lock()


def _runner() -> InProcessRunner:
    global _RUNNER
    with _RUNNER_LOCK:
        if _RUNNER is None or _RUNNER._pid != os.getpid():  # threads do not survive a fork
            _RUNNER = InProcessRunner()
        return _RUNNER


def cancel_pending(wait: float = 10.0) -> int:
    """Drop in-process tasks that are not due or not started, and wait for those running
    (tests call this between tests, so no task from one test touches the next test's database,
    nor holds locks while the test database is flushed). Returns how many were dropped."""
    return _runner().cancel(wait)


@shared_task(name="core.heartbeat")
def heartbeat(marker: str = "") -> None:
    from apps.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.create(worker=socket.gethostname(), marker=marker)
    WorkerHeartbeat.objects.filter(
        pk__in=WorkerHeartbeat.objects.order_by("-seen_at").values("pk")[100:]
    ).delete()


# Deliveries that fail (a database blip) are retried by Celery with backoff, a few times; the
# outbox's resend sweep takes over after that, so nothing depends on one worker staying alive.
@shared_task(name="core.outbox_deliver", autoretry_for=(Exception,), max_retries=3,
             retry_backoff=1, retry_backoff_max=30, retry_jitter=True)
def outbox_deliver_task(message_id: int) -> bool:
    from apps.core.outbox import outbox_deliver

    return outbox_deliver(message_id=message_id)


@shared_task(name="core.outbox_resend")
def outbox_resend_task() -> int:
    from apps.core.outbox import outbox_resend

    return outbox_resend()


# Run by the web processes' sweep (settings.WEB_SWEEP_TASKS), not by beat.
@shared_task(name="core.outbox_resend_without_worker")
def outbox_resend_without_worker_task() -> int:
    from apps.core.outbox import outbox_resend_without_worker

    return outbox_resend_without_worker()
