"""Redirect targets taken from a request (`?next=`) are followed only within this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, fallback: str, *, param: str = "next") -> str:
    """The `next` parameter (POST first, then GET) if it points into this site, else
    `fallback` (a URL or a URL name). Django's own check: refuses other hosts, scheme-relative
    `//host`, backslash tricks, and non-http schemes; https only when the request is secure."""
    target = request.POST.get(param) or request.GET.get(param) or ""
    if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(fallback)
