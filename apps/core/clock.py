"""The server's clock, told to every page so that countdowns run to the server's deadline.

Every response carries `X-Server-Now-Ms` (epoch milliseconds when it was made), every page's
`<html>` element `data-server-now-ms`, and every countdown the time it was rendered beside its
remaining time. static/js/app.js (`serverClock`) learns the browser's offset from the freshest of
these samples, so a board rendered a while ago (a cached push, a slow phone, a retried request)
counts down to the deadline the server set, not from a "remaining" captured at render time.
"""

from __future__ import annotations

import time

HEADER = "X-Server-Now-Ms"


def now_ms() -> int:
    return int(time.time() * 1000)


class ServerTimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response[HEADER] = str(now_ms())
        return response
