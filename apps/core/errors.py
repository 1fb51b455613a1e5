"""Errors answered the way the client can use them (issue 18).

- Under /api/ every error is JSON (`{"detail": ...}`), including Django's own 400, 403, 404 and
  500 pages; elsewhere a short page.
- An outage (the database or Redis unreachable, a connection dropped, a lock or deadlock
  timeout) is 503 with Retry-After, not a 500 with a traceback in the log per request:
  `OutageMiddleware` answers it from the view's exception, and `server_error` (handler500) from
  anything raised elsewhere (a middleware). The transaction in progress was rolled back, and
  every committed change has its after-commit work made safe (apps.core.aftercommit), so "try
  again" is true; retries of answers are idempotent.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

from apps.core.overload import RETRY_AFTER_SECONDS, busy_response, is_pool_timeout

log = logging.getLogger(__name__)

OUTAGE_MESSAGE = "The service is briefly unavailable. Please try again in a moment."


def _outage_classes() -> tuple[type[BaseException], ...]:
    classes: list[type[BaseException]] = [OperationalError, InterfaceError]
    try:
        import redis

        classes += [redis.exceptions.ConnectionError, redis.exceptions.TimeoutError]
    except ImportError:  # pragma: no cover - redis is a pinned dependency
        pass
    return tuple(classes)


OUTAGE_ERRORS = _outage_classes()


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OUTAGE_ERRORS)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def unavailable_response(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        response: HttpResponse = JsonResponse({"detail": OUTAGE_MESSAGE}, status=503)
    else:
        response = HttpResponse(
            loader.render_to_string("503.html", {"message": OUTAGE_MESSAGE}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _outage_or_none(request: HttpRequest, exc: BaseException | None) -> HttpResponse | None:
    if exc is None:
        return None
    if is_pool_timeout(exc):
        return busy_response(request)
    if is_outage(exc):
        log.warning("503 for %s %s: %s: %s", request.method, request.path,
                    type(exc).__name__, str(exc).strip()[:200])
        return unavailable_response(request)
    return None


class OutageMiddleware:
    """Turns an outage raised by a view into 503 + Retry-After, logged in one line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        return _outage_or_none(request, exception)


def server_error(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """handler500: Django calls it inside the `except` that caught the error."""
    response = _outage_or_none(request, sys.exc_info()[1])
    if response is not None:
        return response
    if _is_api(request):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request, *args, **kwargs)


def page_not_found(request: HttpRequest, exception, *args, **kwargs) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception, *args, **kwargs)


def permission_denied(request: HttpRequest, exception, *args, **kwargs) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "You do not have permission to perform this action."},
                            status=403)
    return defaults.permission_denied(request, exception, *args, **kwargs)


def bad_request(request: HttpRequest, exception, *args, **kwargs) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception, *args, **kwargs)
