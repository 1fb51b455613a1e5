from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken

from apps.accounts.throttle import LOCKOUT_MESSAGE
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"


def obtain(client, username="learner", password=PASSWORD):
    return client.post(URL, {"username": username, "password": password},
                       content_type="application/json")


def test_it_issues_an_expiring_token_that_authenticates(client, world):
    response = obtain(client)
    assert response.status_code == 201
    token = response.json()["token"]
    assert response.json()["expiry"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200 and me.json()["username"] == "learner"


def test_it_refuses_a_wrong_password(client, world):
    response = obtain(client, password="wrong")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid username or password."}


def test_it_refuses_malformed_input_with_400(client, world):
    response = client.post(URL, {"username": "learner"}, content_type="application/json")
    assert response.status_code == 400
    assert "password" in response.json()["errors"]


def test_it_locks_out_after_repeated_failures(client, world, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    obtain(client, password="wrong")
    obtain(client, password="wrong")
    response = obtain(client)
    assert response.status_code == 429
    assert response.json()["detail"] == LOCKOUT_MESSAGE


def test_it_revokes_the_token(client, world):
    token = obtain(client).json()["token"]
    assert client.delete(URL, HTTP_AUTHORIZATION=f"Token {token}").status_code == 204
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_revoking_without_a_token_is_refused(client, world):
    assert client.delete(URL).status_code == 401


def test_an_expired_token_is_refused(client, world):
    token = obtain(client).json()["token"]
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_me_needs_authentication(client):
    assert client.get("/api/v1/me/").status_code == 401


def test_an_expired_token_is_refused_and_deleted_and_the_beat_purges_the_others(client, world):
    from apps.accounts.tasks import purge_tokens_task

    live = obtain(client).json()["token"]
    expired = obtain(client).json()["token"]
    stale = obtain(client).json()["token"]
    AuthToken.objects.filter(token_key__in=[expired[:15], stale[:15]]).update(
        expiry=timezone.now() - timedelta(minutes=1))
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {expired}").status_code == 401
    assert AuthToken.objects.filter(user=world["learner"]).count() == 2  # its own row went
    # A request with a live token does not sweep the others (no query per request for that) ...
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {live}").status_code == 200
    assert AuthToken.objects.filter(user=world["learner"]).count() == 2
    # ... the hourly beat task does.
    assert purge_tokens_task() == 1
    assert AuthToken.objects.filter(user=world["learner"]).count() == 1
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {live}").status_code == 200
