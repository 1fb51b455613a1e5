"""An exhausted database pool is answered 503 with Retry-After, other errors stay 500."""

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


def test_any_other_error_is_still_a_500(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("apps.core.views.topics_with_counts", broken)
    response = client.get("/")
    assert response.status_code == 500 and "Retry-After" not in response
