"""Reachability of the services the platform depends on."""

from __future__ import annotations

import time
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

# When this process started: a worker never seen is only "degraded" after a start-up grace.
STARTED = time.monotonic()


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means unreachable; report its class only
        return type(exc).__name__
    return None


def check_cache() -> str | None:
    # The cache degrades to misses while Redis is down (apps.core.cache): a value that does not
    # come back is how the health check sees that.
    try:
        cache.set("healthz", "ok", 5)
        if cache.get("healthz") != "ok":
            return "cache did not return the value it was given"
    except Exception as exc:
        return type(exc).__name__
    return None


def check_broker() -> str | None:
    if not settings.CELERY_BROKER_URL:
        return None  # embedded default: tasks run in-process, there is no broker to reach
    try:
        import redis

        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1,
                                      socket_timeout=1)
        client.ping()
    except Exception as exc:
        return type(exc).__name__
    return None


def last_worker_heartbeat() -> datetime | None:
    from apps.core.models import WorkerHeartbeat

    return WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


def worker_problem(seen_at: datetime | None, *, now: datetime | None = None,
                   uptime: float | None = None) -> str | None:
    """Why the worker looks dead, or None. Beat runs `core.heartbeat` every
    WORKER_HEARTBEAT_SECONDS; a heartbeat older than WORKER_STALE_SECONDS (several beats plus
    the broker's reconnect backoff) means the worker or beat is not running tasks. A worker
    never seen counts only after WORKER_STARTUP_GRACE_SECONDS of this process's life, so a
    stack that is still starting is not reported."""
    if seen_at is None:
        uptime = time.monotonic() - STARTED if uptime is None else uptime
        return "never seen" if uptime > settings.WORKER_STARTUP_GRACE_SECONDS else None
    age = ((now or timezone.now()) - seen_at).total_seconds()
    if age > settings.WORKER_STALE_SECONDS:
        return f"last heartbeat {round(age)} s ago"
    return None


def health_report() -> tuple[str, dict[str, str]]:
    """("ok" | "degraded" | "unavailable", details). Unavailable: the database, cache or broker
    cannot be reached (the web process cannot serve). Degraded: it can, but no worker has run a
    task lately (background work waits; pages and play still work, the web processes sweep)."""
    results = {}
    healthy = True
    for name, check in (("database", check_database), ("cache", check_cache),
                        ("broker", check_broker)):
        problem = check()
        if name == "broker" and not settings.CELERY_BROKER_URL:
            results[name] = "embedded (no broker configured)"
        else:
            results[name] = "ok" if problem is None else f"unreachable: {problem}"
        healthy = healthy and problem is None
    status = "ok" if healthy else "unavailable"
    if settings.CELERY_ENABLED and results["database"] == "ok":
        seen_at = last_worker_heartbeat()
        results["worker_last_seen"] = seen_at.isoformat() if seen_at else "never"
        problem = worker_problem(seen_at)
        results["worker"] = "ok" if problem is None else f"degraded: {problem}"
        if problem is not None and healthy:
            status = "degraded"
    elif not settings.CELERY_ENABLED:
        results["worker"] = "embedded (tasks run in-process)"
    return status, results
