"""Rate limits on creating things, one mechanism for every entry point.

A fixed window per (limit, who): `cache.add` then `cache.incr`, both atomic on Redis and on the
embedded default's local-memory cache. `who` is the signed-in user, else the client's address
(apps.core.clientip). Limits are `RATE_LIMITS` in settings ("count/seconds", each overridable
with RATE_LIMIT_<NAME>). A refusal is HTTP 429 with Retry-After: JSON under /api/, a page (or an
htmx fragment) elsewhere.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from apps.core.clientip import client_ip


@dataclass(frozen=True)
class RateLimited(Exception):
    name: str
    retry_after: int

    @property
    def message(self) -> str:
        return (f"Too many requests: please wait {self.retry_after} second"
                f"{'s' if self.retry_after != 1 else ''} and try again.")


def parse_rate(value: str) -> tuple[int, int]:
    count, _, seconds = value.partition("/")
    return int(count), int(seconds)


def who(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return f"ip{client_ip(request)}"


def hit(name: str, key: str) -> None:
    """Count one use of `name` by `key`; raise RateLimited past the limit. A limit set to 0
    requests disables it."""
    count, seconds = parse_rate(settings.RATE_LIMITS[name])
    if count <= 0:
        return
    now = time.time()
    window = int(now // seconds)
    cache_key = f"rl:{name}:{key}:{window}"
    cache.add(cache_key, 0, timeout=seconds + 1)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds + 1)
        used = 1
    if used > count:
        raise RateLimited(name, max(1, math.ceil((window + 1) * seconds - now)))


def check(name: str, key: str) -> None:
    """Raise RateLimited if `key` has used up `name` in this window, without counting a use:
    for limits counted only on failure (wrong PINs), checked before each try."""
    count, seconds = parse_rate(settings.RATE_LIMITS[name])
    if count <= 0:
        return
    now = time.time()
    window = int(now // seconds)
    if (cache.get(f"rl:{name}:{key}:{window}") or 0) >= count:
        raise RateLimited(name, max(1, math.ceil((window + 1) * seconds - now)))


def refusal(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": exc.message}, status=429)
    elif request.headers.get("HX-Request"):
        response = HttpResponse(render_to_string("_rate_limited.html",
                                                 {"message": exc.message}), status=429)
    else:
        response = HttpResponse(render_to_string("429.html", {"message": exc.message},
                                                 request=request), status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def rate_limit(name: str, *, methods: tuple[str, ...] = ("POST",), by_address: bool = False):
    """View decorator (just above the function, below @api_view so DRF has authenticated the
    user): count `methods` requests per user, or per client address with `by_address`."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                try:
                    hit(name, f"ip{client_ip(request)}" if by_address else who(request))
                except RateLimited as exc:
                    return refusal(request, exc)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
