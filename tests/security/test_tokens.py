"""API tokens die with the password and are capped per user (audit item 8)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.accounts.services import token_create
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
NEW = "A-new-pass-9481"


def _token(user) -> str:
    response = APIClient().post("/api/v1/auth/token/", {"username": user.username,
                                                        "password": PASSWORD})
    assert response.status_code == 201
    return response.json()["token"]


def _works(token: str) -> bool:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get("/api/v1/me/").status_code == 200


def test_a_password_change_revokes_every_token(client, world):
    user = world["learner"]
    token = _token(user)
    client.force_login(user)
    response = client.post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert not _works(token) and not AuthToken.objects.filter(user=user).exists()


def test_a_password_reset_revokes_every_token(client, world, mailoutbox):
    import re

    user = world["learner"]
    token = _token(user)
    client.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"/accounts/password/reset/\S+/", mailoutbox[-1].body).group(0)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert not _works(token)


def test_the_changepassword_command_and_the_shell_revoke_too(world):
    user = world["learner"]
    token = _token(user)
    user.set_password(NEW)
    user.save()
    assert not _works(token)
    token = _token_after(user)
    assert _works(token)
    call_command("createsuperuser", "--noinput", username="root2", email="r@example.com",
                 verbosity=0)  # saving another user touches nobody's tokens
    assert _works(token)


def _token_after(user):
    response = APIClient().post("/api/v1/auth/token/", {"username": user.username,
                                                        "password": NEW})
    return response.json()["token"]


def test_a_user_holds_at_most_the_limit_of_tokens(world, settings):
    user = world["learner"]
    limit = settings.REST_KNOX["TOKEN_LIMIT_PER_USER"]
    for _ in range(limit):
        token_create(user=user)
    response = APIClient().post("/api/v1/auth/token/", {"username": user.username,
                                                        "password": PASSWORD})
    assert response.status_code == 403 and "active API tokens" in response.json()["detail"]
    assert AuthToken.objects.filter(user=user).count() == limit
