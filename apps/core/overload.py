"""Overload and outages answered as such: 503 with Retry-After, not a 500 after a long wait.

When every database connection of a web process is busy, a request waits DB_POOL_TIMEOUT seconds
for one and then fails with psycopg_pool's PoolTimeout (wrapped by Django in OperationalError).
Nothing has been written at that point (no connection, so no transaction), so the client may
safely retry: `server_error` (the site's handler500) says so with 503 and Retry-After, as JSON
under /api/ and as a short page elsewhere. The same for a database that cannot be reached and a
Redis (cache, rate limits) that cannot: the request's transaction rolled back, the client may
retry. Any other error is a 500, as JSON under /api/ (every API error is JSON) and the site's
page elsewhere; an unknown URL under /api/ is a JSON 404.
"""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.defaults import page_not_found as django_page_not_found
from django.views.defaults import server_error as django_server_error
from psycopg_pool import PoolTimeout

RETRY_AFTER_SECONDS = 2
MESSAGE = "The server is busy right now. Nothing was saved; please try again in a moment."
UNAVAILABLE = "A service the platform needs is briefly unavailable. Please try again in a moment."
SERVER_ERROR = "Something went wrong on our side. It has been logged."


def _chain(exc: BaseException | None):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def is_pool_timeout(exc: BaseException | None) -> bool:
    return any(isinstance(e, PoolTimeout) for e in _chain(exc))


def is_unreachable(exc: BaseException | None) -> bool:
    """The database or Redis could not be reached (not a bug of ours, not a bad request)."""
    import psycopg
    import redis

    for e in _chain(exc):
        if isinstance(e, (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)):
            return True
        if isinstance(e, psycopg.OperationalError) and not isinstance(
                e, psycopg.errors.QueryCanceled):
            return True
    return False


def busy_response(request: HttpRequest, message: str = MESSAGE) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(loader.render_to_string("503.html", {"message": message}),
                                status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """handler500: Django calls it inside the `except` that caught the error."""
    exc = sys.exc_info()[1]
    if is_pool_timeout(exc):
        return busy_response(request)
    if is_unreachable(exc):
        return busy_response(request, UNAVAILABLE)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": SERVER_ERROR}, status=500)
    return django_server_error(request, *args, **kwargs)


def not_found(request: HttpRequest, exception=None, *args, **kwargs) -> HttpResponse:
    """handler404: JSON under /api/, the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return django_page_not_found(request, exception, *args, **kwargs)
