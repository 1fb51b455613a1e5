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


def _beat(seconds_ago: float):
    from django.utils import timezone

    from apps.core.models import WorkerHeartbeat

    beat = WorkerHeartbeat.objects.create(worker="w1")
    WorkerHeartbeat.objects.filter(pk=beat.pk).update(
        seen_at=timezone.now() - timezone.timedelta(seconds=seconds_ago))


@pytest.fixture
def full_stack(settings, monkeypatch):
    settings.CELERY_ENABLED = True
    settings.WORKER_STALE_SECONDS = 60
    settings.WORKER_STARTUP_GRACE_SECONDS = 120
    monkeypatch.setattr(health, "check_broker", lambda: None)


def test_a_recent_worker_heartbeat_is_ok(client, full_stack):
    _beat(5)
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["worker"] == "ok"


def test_a_stale_worker_heartbeat_is_degraded_but_still_200(client, full_stack):
    """The web process can serve: a load balancer must not take it out for a dead worker."""
    _beat(300)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["worker"].startswith("degraded: last heartbeat 3")


def test_a_worker_never_seen_is_degraded_only_after_the_start_up_grace(client, full_stack,
                                                                      monkeypatch):
    import time

    assert client.get("/healthz").json()["worker_last_seen"] == "never"
    monkeypatch.setattr(health, "STARTED", time.monotonic())
    assert client.get("/healthz").json()["status"] == "ok"
    monkeypatch.setattr(health, "STARTED", time.monotonic() - 121)
    body = client.get("/healthz").json()
    assert body["status"] == "degraded" and body["worker"] == "degraded: never seen"


def test_an_unreachable_service_outranks_a_degraded_worker(client, full_stack, monkeypatch):
    _beat(300)
    monkeypatch.setattr(health, "check_cache", lambda: "ConnectionError")
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"
