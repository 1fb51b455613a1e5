"""A websocket server stopped for a restart (SIGTERM, as a deploy or compose does) closes its
sockets with a "reconnect" code (4503, apps.core.restart) instead of dropping them, and a client that reconnects gets
the whole state again (issue 18). On the throwaway stack of tests/reliability/stack.py."""

from __future__ import annotations

import json
import os
import signal

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from apps.core.restart import RECONNECT
from tests.reliability.drills import Tally, _http

pytestmark = pytest.mark.drills


def _socket(stack, pair, seat):
    status, ticket = _http(stack, "POST", f"/api/v1/matches/{pair['match']}/ticket/",
                           pair[seat], {}, Tally())
    assert status == 201, ticket
    return connect(f"ws://127.0.0.1:{stack.ws_port}{ticket['url']}", origin=stack.base,
                   open_timeout=10)


def test_it_closes_websockets_with_reconnect_on_sigterm_and_resyncs_on_reconnect(stack):
    stack.start_ws()
    [pair] = stack.seed(1)
    status, _ = _http(stack, "POST", f"/api/v1/matches/challenges/{pair['code']}/accept/",
                      pair["b"], {"ranked": True}, Tally())
    assert status == 200
    with _socket(stack, pair, "a") as ws:
        before = json.loads(ws.recv(timeout=10))
        assert before["state"]["state"] == "active"
        os.kill(stack.ws.pid, signal.SIGTERM)
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == RECONNECT
    assert stack.ws.wait(timeout=20) == 0

    stack.start_ws()  # back (or another process): the client reconnects and is in sync again
    with _socket(stack, pair, "a") as ws:
        after = json.loads(ws.recv(timeout=10))
    assert after["state"]["id"] == pair["match"]
    assert after["version"] >= before["version"]
