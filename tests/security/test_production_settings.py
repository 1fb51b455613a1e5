"""Production refuses unsafe settings at start-up, one clear message each (audit item 11)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "DJANGO_SECRET_KEY": "kJ3n_8Qz-vW2pLx7RtYb4Hc9MfGs1DaEo6UiNq0ZyK5wVjXrTuBnCmAlPgSdFhEz",
    "DJANGO_ALLOWED_HOSTS": "arena.example.org",
    "DATABASE_URL": "postgres://u:p@db:5432/arena",
    "REDIS_URL": "redis://redis:6379/0",
}


def _start(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    environment.update({**GOOD, **env, "DJANGO_SETTINGS_MODULE": "config.settings.production"})
    environment = {k: v for k, v in environment.items() if v is not None}
    code = "import django; django.setup(); from django.conf import settings; " \
           "print(settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=60)


def test_good_settings_start():
    result = _start()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True"]


@pytest.mark.parametrize("env, message", [
    ({"DJANGO_SECRET_KEY": "a" * 50}, "too few characters"),
    ({"DJANGO_SECRET_KEY": "short"}, "50+ characters"),
    ({"DJANGO_SECRET_KEY": "insecure-" + GOOD["DJANGO_SECRET_KEY"]}, "placeholder"),
    ({"DJANGO_SECRET_KEY": None}, "Set the DJANGO_SECRET_KEY"),
    ({"DJANGO_ALLOWED_HOSTS": "*"}, "wildcard"),
    ({"DJANGO_ALLOWED_HOSTS": "arena.example.org,*"}, "wildcard"),
    ({"DJANGO_ALLOWED_HOSTS": None}, "Set DJANGO_ALLOWED_HOSTS"),
    ({"DJANGO_HSTS_SECONDS": "0"}, "at least 31536000"),
    ({"DJANGO_SECURE_COOKIES": "false"}, "DJANGO_SECURE_COOKIES=false"),
    ({"DJANGO_SECURE_SSL_REDIRECT": "false"}, "DJANGO_SECURE_SSL_REDIRECT=false"),
    ({"DJANGO_INSECURE_LOCAL_HTTP": "true"}, "only for localhost"),
    ({"DATABASE_URL": None}, "DATABASE_URL and REDIS_URL"),
    ({"TRUSTED_PROXIES": "not-a-network"}, "TRUSTED_PROXIES"),
])
def test_unsafe_settings_are_refused(env, message):
    result = _start(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr, result.stderr


def test_plain_http_on_localhost_is_the_one_exception():
    result = _start(DJANGO_INSECURE_LOCAL_HTTP="true", DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "False"]
