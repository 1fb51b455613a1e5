"""Sign-in throttling shared by the login page and the API token endpoint.

Failures are counted per account name and per client address in the cache. Once either count
reaches LOGIN_FAILURE_LIMIT, sign-in is refused for LOGIN_LOCKOUT_SECONDS with one message that is
the same whether or not the account exists, so the lock-out leaks nothing.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

LOCKOUT_MESSAGE = "Too many sign-in attempts. Please wait a few minutes and try again."


def _keys(username: str, ip: str) -> list[str]:
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:user:{name}", f"login-fail:ip:{ip}"]



def login_locked(username: str, ip: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    return any((cache.get(key) or 0) >= limit for key in _keys(username, ip))


def login_failed(username: str, ip: str) -> None:
    for key in _keys(username, ip):
        cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def login_succeeded(username: str) -> None:
    cache.delete(_keys(username, "")[0])
