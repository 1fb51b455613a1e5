"""Who the client is, for throttles and rate limits, and which forwarded headers to believe.

Forwarded headers (X-Forwarded-For, -Proto, -Host) are trusted only from a configured proxy
(TRUSTED_PROXIES: addresses or networks, empty by default). `ForwardedHeadersMiddleware` runs
first and deletes them from any other peer, so Django (SECURE_PROXY_SSL_HEADER), DRF's throttles
and this module all see the same, honest request. The server itself never rewrites the peer
address (daphne runs without --proxy-headers): REMOTE_ADDR is always the TCP peer.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
             "HTTP_X_FORWARDED_PORT", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    """The client's address: the TCP peer, or, behind trusted proxies, the right-most address
    of X-Forwarded-For that is not itself a trusted proxy (the left part is client-written)."""
    peer = request.META.get("REMOTE_ADDR") or "unknown"
    if not is_trusted_proxy(peer):
        return peer
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if not is_trusted_proxy(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # garbage from the client: count it as the proxy's
    return peer


class ForwardedHeadersMiddleware:
    """First in the chain: forwarded headers from a peer that is not a trusted proxy are
    dropped, so no client picks its own address or scheme."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            for header in FORWARDED:
                request.META.pop(header, None)
        return self.get_response(request)
