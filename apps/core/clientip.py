"""The client's address, for throttles and rate limits.

One function, so every limit (sign-in, creation, websockets) agrees on who the client is.
"""

from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    # Behind the compose stack's proxy the peer address is the proxy; REMOTE_ADDR is what we
    # can trust without a configured list of proxies.
    return request.META.get("REMOTE_ADDR", "unknown")
