"""`{% server_now_ms %}`: the server's time when this part of the page was rendered, for the
countdowns' `data-server-now-ms` (see apps.core.clock)."""

from __future__ import annotations

from django import template

from apps.core.clock import now_ms

register = template.Library()


@register.simple_tag
def server_now_ms() -> int:
    return now_ms()
