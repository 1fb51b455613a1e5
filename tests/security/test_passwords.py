"""Every password check is throttled in one place (audit item 5: the admin's sign-in ignored the
lock-out). Each door is hammered with wrong passwords; then the right one is refused too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
APPS = Path(__file__).resolve().parents[2] / "apps"


def _site_login(client, username, password):
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


def _admin_login(client, username, password):
    response = client.post("/admin/login/?next=/admin/",
                           {"username": username, "password": password})
    return response.status_code == 302 and "/admin/login" not in response["Location"]


def _api_token(client, username, password):
    response = APIClient().post("/api/v1/auth/token/", {"username": username,
                                                        "password": password})
    return response.status_code == 201


DOORS = {"site": _site_login, "admin": _admin_login, "api": _api_token}


@pytest.mark.parametrize("door", DOORS)
def test_every_sign_in_door_locks_after_the_limit(door, client, world):
    user = world["staff"]  # staff: the admin door accepts only staff
    sign_in = DOORS[door]
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 7):
        assert not sign_in(client, user.username, "wrong password")
    assert not sign_in(client, user.username, PASSWORD)  # the right password, still locked


@pytest.mark.parametrize("first, then", [("admin", "site"), ("api", "admin"), ("site", "api")])
def test_failures_on_one_door_lock_the_others(first, then, client, world):
    user = world["staff"]
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        DOORS[first](client, user.username, "wrong password")
    assert not DOORS[then](client, user.username, PASSWORD)


def test_the_old_password_of_a_change_counts_toward_the_lock_out(client, world):
    user = world["learner"]
    client.force_login(user)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = client.post("/accounts/password/change/", {
            "old_password": "guess", "new_password1": "A-new-pass-9481",
            "new_password2": "A-new-pass-9481"})
        assert response.status_code == 200
    response = client.post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": "A-new-pass-9481",
        "new_password2": "A-new-pass-9481"})
    assert response.status_code == 200 and b"Too many sign-in attempts" in response.content
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_lock_out_message_does_not_reveal_whether_the_account_exists(client, world):
    for name in ("learner", "nobody-by-this-name"):
        for _ in range(settings.LOGIN_FAILURE_LIMIT):
            client.post("/accounts/login/", {"username": name, "password": "x"})
    real = client.post("/accounts/login/", {"username": "learner", "password": "x"})
    fake = client.post("/accounts/login/", {"username": "nobody-by-this-name", "password": "x"})
    assert real.content.count(b"Too many sign-in attempts") == 1
    assert fake.content.count(b"Too many sign-in attempts") == 1


def test_no_code_checks_a_password_outside_the_throttled_backend():
    """A new door cannot forget the lock-out: only the backend calls check_password, and every
    authenticate() in the code goes through AUTHENTICATION_BACKENDS = [that backend]."""
    assert settings.AUTHENTICATION_BACKENDS == ["apps.accounts.backends.ThrottledModelBackend"]
    offenders = [str(p.relative_to(APPS)) for p in APPS.rglob("*.py")
                 if re.search(r"\bcheck_password\(", p.read_text())]
    assert offenders == []
