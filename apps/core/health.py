"""Reachability of the services the platform depends on."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

STARTED = time.monotonic()  # this process's start: the worker gets a grace period after it


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means unreachable; report its class only
        return type(exc).__name__
    return None


def check_cache() -> str | None:
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

        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2,
                                      socket_timeout=2)
        client.ping()
    except Exception as exc:
        return type(exc).__name__
    return None


def last_worker_heartbeat() -> str:
    from apps.core.models import WorkerHeartbeat

    beat = WorkerHeartbeat.objects.order_by("-seen_at").first()
    return beat.seen_at.isoformat() if beat else "never"


def worker_problem() -> str | None:
    """On the full stack: why the Celery worker looks absent (its heartbeat, written every
    WORKER_HEARTBEAT_SECONDS by a beat-scheduled task, is older than three beats; or it was
    never seen once this process has been up for that long). None when it looks alive."""
    from apps.core.models import WorkerHeartbeat

    if not settings.CELERY_BROKER_URL:
        return None  # embedded default: tasks run in this process
    limit = 3 * settings.WORKER_HEARTBEAT_SECONDS
    beat = WorkerHeartbeat.objects.order_by("-seen_at").first()
    if beat is None:
        return "never seen" if time.monotonic() - STARTED > limit else None
    age = timezone.now() - beat.seen_at
    return f"last seen {int(age.total_seconds())} s ago" if age > timedelta(
        seconds=limit) else None


def health_report() -> tuple[bool, dict[str, str]]:
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
    if results["database"] == "ok":
        results["worker_last_seen"] = last_worker_heartbeat()
        problem = worker_problem()
        if problem:
            results["worker"] = f"degraded: {problem}"
        elif settings.CELERY_BROKER_URL:
            results["worker"] = "ok"
    return healthy, results
