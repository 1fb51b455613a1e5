from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by the `core.heartbeat` task (Celery beat schedules it), so /healthz can say when
    a worker last ran anything."""

    worker = models.CharField(max_length=200)
    seen_at = models.DateTimeField(auto_now_add=True, db_index=True)
    marker = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.worker} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
