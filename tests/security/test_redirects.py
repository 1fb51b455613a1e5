"""Redirect parameters stay on this site (audit item 7: open redirect after sign-up)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
HOSTILE = ["https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example",
           "javascript:alert(1)", "http:evil.example", "https:/evil.example",
           "%2F%2Fevil.example", " //evil.example", "/%09/evil.example", "\t//evil.example"]


def _on_site(location: str) -> bool:
    """A browser stays on this host: no scheme, no host, not scheme-relative (`//`, `/\\`)."""
    from urllib.parse import urlsplit

    cleaned = location.strip().replace("\\", "/")
    parts = urlsplit(cleaned)
    return not parts.scheme and not parts.netloc and not cleaned.startswith("//")


def _signup(client, n, next_url):
    return client.post(f"/accounts/signup/?next={next_url}", {
        "username": f"new{n}", "email": f"new{n}@example.com",
        "password1": "A-good-pass-5521", "password2": "A-good-pass-5521"})


@pytest.mark.parametrize("target", HOSTILE)
def test_signup_never_redirects_off_site(client, db, target):
    response = _signup(client, abs(hash(target)) % 10_000, target)
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("target", HOSTILE)
def test_login_never_redirects_off_site(client, world, target):
    from tests.factories import PASSWORD

    response = client.post("/accounts/login/", {"username": "learner", "password": PASSWORD,
                                                "next": target})
    assert response.status_code == 302
    assert _on_site(response["Location"]), response["Location"]


def test_an_on_site_next_is_followed(client, db):
    response = _signup(client, 1, "/quiz/new/")
    assert response["Location"] == "/quiz/new/"


@pytest.mark.parametrize("target", HOSTILE)
def test_logout_never_redirects_off_site(client, world, target):
    client.force_login(world["learner"])
    response = client.post(f"/accounts/logout/?next={target}")
    assert response.status_code in (200, 302)
    assert _on_site(response.get("Location", "/")), response.get("Location")
