from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by the `core.heartbeat` task (Celery beat schedules it), so /healthz can say when
    a worker last ran anything."""

    worker = models.CharField(max_length=200)
    seen_at = models.DateTimeField(auto_now_add=True, db_index=True)
    marker = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.worker} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


class OutboxMessage(models.Model):
    """Work that must happen because a transaction committed (a skill update), written in that
    same transaction (apps.core.outbox). The row is deleted once the task has run; a row still
    here after `due_at` was lost (broker down, worker killed) and is re-sent by the sweep."""

    task = models.CharField(max_length=100)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.task} #{self.pk} (attempts {self.attempts})"
