"""Forwarded headers are believed only from a configured proxy (audit item 6: rotating
X-Forwarded-For bypassed the token endpoint's throttle and could lock out someone else)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from apps.core.clientip import client_ip

pytestmark = pytest.mark.django_db


def _meta(remote, xff=None, **extra):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **extra)
    if xff is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = xff
    return request


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_meta("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_meta("10.0.0.2", "6.6.6.6, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(_meta("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.9")) == "198.51.100.7"
    assert client_ip(_meta("10.0.0.2", "not-an-ip")) == "10.0.0.2"
    assert client_ip(_meta("198.51.100.50", "6.6.6.6")) == "198.51.100.50"  # not our proxy


def test_rotating_x_forwarded_for_does_not_reset_the_token_throttle(settings, world,
                                                                     monkeypatch):
    from apps.accounts.api import TokenThrottle

    settings.TRUSTED_PROXIES = []
    monkeypatch.setattr(TokenThrottle, "THROTTLE_RATES", {"token": "3/min"})
    api = APIClient()
    codes = [api.post("/api/v1/auth/token/", {"username": "nobody", "password": "x"},
                      HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(6)]
    assert codes[:3] == [401, 401, 401] and set(codes[3:]) == {429}


def test_a_client_cannot_lock_out_someone_elses_address(settings, world, client):
    from tests.factories import PASSWORD

    settings.TRUSTED_PROXIES = []
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 2):
        client.post("/accounts/login/", {"username": "someone", "password": "x"},
                    HTTP_X_FORWARDED_FOR="198.51.100.23", REMOTE_ADDR="203.0.113.66")
    victim = client.post("/accounts/login/", {"username": "learner", "password": PASSWORD},
                         REMOTE_ADDR="198.51.100.23")
    assert victim.status_code == 302


def test_forwarded_headers_from_an_untrusted_peer_are_dropped(settings, client):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    seen = {}

    def grab(request):
        seen.update({k: v for k, v in request.META.items() if "FORWARDED" in k})
        from django.http import HttpResponse
        return HttpResponse()

    from apps.core.clientip import ForwardedHeadersMiddleware

    middleware = ForwardedHeadersMiddleware(grab)
    middleware(_meta("203.0.113.5", "1.1.1.1", HTTP_X_FORWARDED_PROTO="https"))
    assert seen == {}
    middleware(_meta("10.0.0.1", "1.1.1.1", HTTP_X_FORWARDED_PROTO="https"))
    assert seen == {"HTTP_X_FORWARDED_FOR": "1.1.1.1", "HTTP_X_FORWARDED_PROTO": "https"}


def test_the_server_never_rewrites_the_peer_from_headers():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for name in ("docker-compose.yml", "Dockerfile", "Makefile"):
        assert "--proxy-headers" not in (root / name).read_text(), name


def test_the_bundled_proxy_is_the_only_one_trusted_and_gunicorn_trusts_no_header():
    import re
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2]
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    proxy_ip = compose["services"]["proxy"]["networks"]["default"]["ipv4_address"]
    trusted = compose["services"]["web"]["environment"]["TRUSTED_PROXIES"]
    assert trusted == f"${{TRUSTED_PROXIES:-{proxy_ip}}}"
    assert "ports" not in compose["services"]["web"] and "ports" not in compose["services"]["ws"]
    nginx = (root / "deploy" / "nginx.conf").read_text()
    # The proxy replaces whatever X-Forwarded-For a client sent with the address it saw.
    assert re.findall(r"X-Forwarded-For (\S+);", nginx) == ["$remote_addr", "$remote_addr"]
    assert 'forwarded_allow_ips = ""' in (root / "config" / "gunicorn.py").read_text()
