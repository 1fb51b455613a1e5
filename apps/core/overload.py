"""Overload answered as overload: 503 with Retry-After, not a 500 after a long wait.

When every database connection of a web process is busy, a request waits DB_POOL_TIMEOUT seconds
for one and then fails with psycopg_pool's PoolTimeout (wrapped by Django in OperationalError).
Nothing has been written at that point (no connection, so no transaction), so the client may
safely retry: apps.core.errors says so with 503 and Retry-After, as JSON
under /api/ and as a short page elsewhere. Any other error stays a plain 500.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from psycopg_pool import PoolTimeout

RETRY_AFTER_SECONDS = 2
MESSAGE = "The server is busy right now. Nothing was saved; please try again in a moment."


def is_pool_timeout(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, PoolTimeout):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def busy_response(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": MESSAGE}, status=503)
    else:
        response = HttpResponse(loader.render_to_string("503.html", {"message": MESSAGE}),
                                status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
