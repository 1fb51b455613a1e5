from __future__ import annotations

import pytest
from django.db.utils import OperationalError

from apps.core import health

pytestmark = pytest.mark.django_db


def test_it_reports_ok_on_the_embedded_default(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok" and body["cache"] == "ok"
    assert body["broker"].startswith("embedded")


def test_it_returns_503_naming_the_database_when_it_is_down(client, monkeypatch):
    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "check_database", lambda: "OperationalError")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable: OperationalError"


def test_it_returns_503_naming_an_unreachable_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("unreachable")


@pytest.mark.redis
def test_it_reaches_the_real_redis_broker(client, settings):
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def _full_stack(settings, monkeypatch):
    settings.CELERY_BROKER_URL = "redis://example.invalid/0"
    monkeypatch.setattr(health, "check_broker", lambda: None)  # the broker itself answers


def test_a_worker_never_seen_after_the_grace_period_is_degraded(client, settings, monkeypatch):
    """Review: /healthz said "ok" with worker_last_seen "never" throughout a worker outage."""
    _full_stack(settings, monkeypatch)
    import time

    monkeypatch.setattr(health, "STARTED", time.monotonic())  # just started: grace
    assert client.get("/healthz").json()["status"] == "ok"
    monkeypatch.setattr(health, "STARTED", time.monotonic() - 10_000)
    response = client.get("/healthz")
    assert response.status_code == 200  # the web process still serves: no restart
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"] == "degraded: never seen"


def test_a_stale_heartbeat_is_degraded_and_a_fresh_one_is_ok(client, settings, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from apps.core.models import WorkerHeartbeat

    _full_stack(settings, monkeypatch)
    settings.WORKER_HEARTBEAT_SECONDS = 20
    beat = WorkerHeartbeat.objects.create(worker="w1")
    WorkerHeartbeat.objects.filter(pk=beat.pk).update(seen_at=timezone.now() - timedelta(
        seconds=200))
    body = client.get("/healthz").json()
    assert body["status"] == "degraded" and body["worker"].startswith("degraded: last seen")
    WorkerHeartbeat.objects.filter(pk=beat.pk).update(seen_at=timezone.now())
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["worker"] == "ok"
