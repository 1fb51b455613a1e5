"""Reachability of the services the platform depends on."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import connection


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
    return healthy, results
