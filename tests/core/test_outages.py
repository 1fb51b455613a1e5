"""Every API error is JSON, and an outage (database or Redis unreachable) is a 503 with
Retry-After, fast, not a traceback page."""

from __future__ import annotations

import json

import psycopg
import pytest
import redis
from django.db.utils import OperationalError
from django.test import RequestFactory

from apps.core.overload import not_found, server_error

pytestmark = pytest.mark.django_db


def _raised(exc, path):
    request = RequestFactory().get(path)
    try:
        raise exc
    except Exception:  # handler500 runs inside the except that caught the error
        return server_error(request)


@pytest.mark.parametrize("path, is_api", [("/api/v1/quizzes/", True), ("/quiz/new/", False)])
def test_an_unreachable_database_is_503_with_retry_after(path, is_api):
    def raise_wrapped():
        try:
            raise psycopg.OperationalError("connection failed: Connection refused")
        except psycopg.OperationalError as inner:
            raise OperationalError(str(inner)) from inner

    request = RequestFactory().get(path)
    try:
        raise_wrapped()
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == "2"
    if is_api:
        assert "briefly unavailable" in json.loads(response.content)["detail"]
    else:
        assert "briefly unavailable" in response.content.decode()


def test_an_unreachable_redis_is_503():
    response = _raised(redis.exceptions.ConnectionError("Error 111"), "/api/v1/live/")
    assert response.status_code == 503 and response["Retry-After"]


def test_any_other_api_error_is_a_json_500_and_a_page_elsewhere():
    api = _raised(ValueError("a bug"), "/api/v1/quizzes/")
    assert api.status_code == 500 and api["Content-Type"] == "application/json"
    assert "logged" in json.loads(api.content)["detail"]
    page = _raised(ValueError("a bug"), "/quiz/new/")
    assert page.status_code == 500 and "application/json" not in page["Content-Type"]


def test_unknown_api_urls_are_json_404s(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert not_found(RequestFactory().get("/nope/")).status_code == 404
    assert "application/json" not in client.get("/nope/")["Content-Type"]
