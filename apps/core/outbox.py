"""A transactional outbox for work that must happen because a transaction committed.

`outbox_enqueue()` writes the task's name and arguments into `OutboxMessage` inside the caller's
transaction, then dispatches `core.outbox_deliver` after commit (best effort: a broker that is
down loses only the dispatch, never the work). Delivery runs the task's body and deletes the row.
`outbox_resend()` (beat, on the worker) runs every row whose `due_at` has passed: a dispatch that
was lost, a task stranded by a killed worker, a task that failed on a database blip. The web
processes' sweep runs it too, but only while no worker is running tasks
(`outbox_resend_without_worker`): with a live worker, overdue rows mean a queue that is behind,
and a web process doing the worker's job then would take its CPU from the requests it serves.
Each attempt pushes `due_at` back with exponential backoff; after MAX_ATTEMPTS the row stays as
a dead letter (logged) for a person to look at.

Tasks sent through the outbox must be idempotent (skill updates are, per `source_key`): a task
can run twice when its row's deletion is lost or a resend overlaps a slow first delivery.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.core.models import OutboxMessage
from apps.core.tasks import enqueue, outbox_deliver_task

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BATCH = 200


def _backoff(attempts: int) -> timedelta:
    """Wait before resend number `attempts`: the first after OUTBOX_RESEND_SECONDS, then doubling,
    capped at ten minutes."""
    return timedelta(seconds=min(settings.OUTBOX_RESEND_SECONDS * 2 ** attempts, 600))


def outbox_enqueue(task, *args) -> OutboxMessage:
    """Record `task(*args)` in the current transaction and send it once that commits. Callers
    must be inside the transaction whose commit makes the work due (`atomic`), so the row and
    the change it follows commit or roll back together."""
    message = OutboxMessage.objects.create(task=task.name, args=list(args),
                                           due_at=timezone.now() + _backoff(0))
    enqueue(outbox_deliver_task, message.pk)
    return message


def outbox_deliver(*, message_id: int) -> bool:
    """Run the message's task and delete the row. False if the row is gone (already done)."""
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None:
        return False
    if message.task not in current_app.tasks:  # Celery imports tasks modules lazily
        current_app.loader.import_default_modules()
    current_app.tasks[message.task].run(*message.args)
    OutboxMessage.objects.filter(pk=message_id).delete()
    return True


def outbox_resend_without_worker() -> int:
    """The web processes' sweep: `outbox_resend()` on the embedded default (no broker, no worker)
    and on the full stack while no worker is seen running tasks (no heartbeat yet, or none for
    WORKER_STALE_SECONDS: apps.core.health); nothing while one is (beat's resend runs there)."""
    from apps.core import health

    seen = health.last_worker_heartbeat() if settings.REDIS_URL else None
    if seen is not None and health.worker_problem(seen) is None:
        return 0
    return outbox_resend()


def outbox_resend(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Run every overdue message here and now (idempotent; safe beside a concurrent run: a row is
    claimed by moving its `due_at`, and only the run that moved it delivers it). Returns how many
    were delivered."""
    now = now or timezone.now()
    delivered = 0
    overdue = list(OutboxMessage.objects.filter(due_at__lte=now, attempts__lt=MAX_ATTEMPTS)
                   .order_by("due_at").values_list("pk", "due_at", "attempts")[:limit])
    for pk, due_at, attempts in overdue:
        claimed = OutboxMessage.objects.filter(pk=pk, due_at=due_at).update(
            due_at=now + _backoff(attempts + 1), attempts=F("attempts") + 1)
        if not claimed:
            continue  # another sweep took it
        try:
            with transaction.atomic():
                delivered += int(outbox_deliver(message_id=pk))
        except Exception as exc:  # the backoff above already schedules the next attempt
            error = f"{type(exc).__name__}: {exc}"[:300]
            OutboxMessage.objects.filter(pk=pk).update(last_error=error)
            level = logging.ERROR if attempts + 1 >= MAX_ATTEMPTS else logging.WARNING
            log.log(level, "outbox message %s (attempt %s) failed: %s", pk, attempts + 1, error)
    return delivered
