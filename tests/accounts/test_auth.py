"""apps.accounts.auth: the API token check (knox's, with its lookup compiled once)."""

from __future__ import annotations

import pytest
from knox.models import AuthToken

from tests.querycount import Counted

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"


def get(client, header: str):
    return client.get(ME, HTTP_AUTHORIZATION=header)


def test_it_authenticates_a_token_with_one_query(client, world):
    token = AuthToken.objects.create(user=world["learner"])[1]
    get(client, f"Token {token}")  # the lookup is compiled on first use
    with Counted() as counted:
        response = get(client, f"Token {token}")
    assert response.status_code == 200 and response.json()["username"] == "learner"
    assert sum("knox_authtoken" in sql for sql in counted.statements) == 1


def test_each_token_authenticates_its_own_user(client, world):
    tokens = {name: AuthToken.objects.create(user=world[name])[1]
              for name in ("learner", "instructor")}
    for name, token in tokens.items():
        assert get(client, f"Token {token}").json()["username"] == world[name].username


def test_it_refuses_a_token_whose_key_matches_but_whose_secret_does_not(client, world):
    token = AuthToken.objects.create(user=world["learner"])[1]
    forged = token[:15] + ("0" if token[15] != "0" else "1") + token[16:]
    assert get(client, f"Token {forged}").status_code == 401


def test_a_revoked_token_is_refused_at_once(client, world):
    row, token = AuthToken.objects.create(user=world["learner"])
    assert get(client, f"Token {token}").status_code == 200
    row.delete()
    assert get(client, f"Token {token}").status_code == 401


def test_an_inactive_users_token_is_refused(client, world):
    token = AuthToken.objects.create(user=world["learner"])[1]
    world["learner"].is_active = False
    world["learner"].save(update_fields=["is_active"])
    assert get(client, f"Token {token}").status_code == 401


@pytest.mark.parametrize("header", ["Token \xff\xfe", "Token", "Token a b", "Token ", "Token x"])
def test_malformed_headers_are_refused_with_401(client, world, header):
    response = client.get(ME, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
