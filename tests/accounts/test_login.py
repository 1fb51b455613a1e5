from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts.throttle import LOCKOUT_MESSAGE
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_it_logs_in_and_out(client, world):
    assert login(client, "learner", PASSWORD).status_code == 302
    assert client.get(reverse("accounts:settings")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:settings")).status_code == 302


def test_it_refuses_a_wrong_password_with_a_generic_message(client, world):
    response = login(client, "learner", "wrong")
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()


def test_it_locks_out_after_repeated_failures_even_with_the_right_password(client, world,
                                                                          settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        login(client, "learner", "wrong")
    response = login(client, "learner", PASSWORD)
    assert response.status_code == 200
    assert LOCKOUT_MESSAGE in response.content.decode()


def test_the_lockout_message_is_the_same_for_unknown_accounts(client, world, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        login(client, "learner", "wrong")
        login(client, "nobody-here", "wrong")
    known = login(client, "learner", "wrong").content.decode()
    unknown = login(client, "nobody-here", "wrong").content.decode()
    assert LOCKOUT_MESSAGE in known and LOCKOUT_MESSAGE in unknown


def test_logout_refuses_get(client, world):
    client.force_login(world["learner"])
    assert client.get(reverse("accounts:logout")).status_code == 405
