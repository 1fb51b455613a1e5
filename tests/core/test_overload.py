"""An exhausted database pool or an outage is answered 503 with Retry-After; other errors stay
500; every error under /api/ is JSON."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from psycopg_pool import PoolTimeout

pytestmark = pytest.mark.django_db


def pool_exhausted(*args, **kwargs):
    try:
        raise PoolTimeout("couldn't get a connection after 3.00 sec")
    except PoolTimeout as exc:  # as Django's database wrapper re-raises it
        raise OperationalError(str(exc)) from exc


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


def test_it_answers_an_api_client_503_with_retry_after(client, world, monkeypatch):
    monkeypatch.setattr("apps.quiz.selectors.attempt_history", pool_exhausted)
    client.force_login(world["learner"])
    response = client.get("/api/v1/quizzes/")
    assert response.status_code == 503 and response["Retry-After"] == "2"
    assert "Nothing was saved" in response.json()["detail"]


def test_it_answers_a_browser_503_with_a_page(client, monkeypatch):
    monkeypatch.setattr("apps.core.views.topics_with_counts", pool_exhausted)
    response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"] == "2"
    assert b"try again in a moment" in response.content


def test_a_database_outage_is_503_with_retry_after(client, world, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("apps.core.views.topics_with_counts", broken)
    page = client.get("/")
    assert page.status_code == 503 and page["Retry-After"] == "2"
    assert b"try again in a moment" in page.content
    monkeypatch.setattr("apps.quiz.selectors.attempt_history", broken)
    client.force_login(world["learner"])
    api = client.get("/api/v1/quizzes/")
    assert api.status_code == 503 and api["Retry-After"] == "2"
    assert api.json()["detail"].startswith("The service is briefly unavailable")
    assert not any(r.exc_info for r in caplog.records)  # one line each, no traceback


def test_a_redis_outage_in_a_view_is_503(client, monkeypatch):
    import redis

    def broken(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379.")

    monkeypatch.setattr("apps.core.views.topics_with_counts", broken)
    response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"] == "2"


def test_any_other_error_is_still_a_500(client, world, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("apps.core.views.topics_with_counts", broken)
    response = client.get("/")
    assert response.status_code == 500 and "Retry-After" not in response
    assert response["Content-Type"].startswith("text/html")
    monkeypatch.setattr("apps.quiz.selectors.attempt_history", broken)
    client.force_login(world["learner"])
    api = client.get("/api/v1/quizzes/")
    assert api.status_code == 500 and api.json() == {"detail": "Server error."}


def test_an_unknown_api_address_is_a_json_404(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
