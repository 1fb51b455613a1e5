"""Latency of live match updates: the time from one player's answer (an HTTP POST) until the
other player's websocket receives the update that says so, with N matches played at once
against a real ASGI server (daphne) on this machine.

    .venv/bin/python bench/match_latency.py [--matches 100] [--port 8765]

It uses DATABASE_URL and REDIS_URL like the application: unset, the embedded default (SQLite in
a temporary file, the in-memory channel layer); set, PostgreSQL and channels-redis. It prints
the median, 95th and 99th percentiles and the maximum. Nothing is asserted: it reports."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure_env(args) -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    env["DJANGO_DEBUG"] = "false"
    env["MATCH_ROUND_SECONDS"] = "600"  # rounds stay open while we measure
    env["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env["LOG_LEVEL"] = "WARNING"
    if not env.get("DATABASE_URL"):
        env["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ.update(env)
    return env


def prepare(n: int):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from knox.models import AuthToken

    from apps.matches.services import challenge_accept, challenge_create

    call_command("migrate", verbosity=0)
    call_command("loadbank", verbosity=0, stdout=open(os.devnull, "w"))
    users = get_user_model().objects
    pairs = []
    stamp = int(time.time())
    for i in range(n):
        a = users.create_user(f"bench{stamp}a{i}", password="x" * 12)
        b = users.create_user(f"bench{stamp}b{i}", password="x" * 12)
        match = challenge_create(user=a)
        match = challenge_accept(code=match.challenge_code, user=b)
        pairs.append({"match": str(match.public_id),
                      "a": AuthToken.objects.create(user=a)[1],
                      "b": AuthToken.objects.create(user=b)[1]})
    from django.db import connections

    connections.close_all()
    return pairs


def http(method: str, url: str, token: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(  # noqa: S310 (loopback http only)
        url, method=method, data=json.dumps(body or {}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return json.loads(response.read() or b"{}")


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


async def one_match(base: str, ws_base: str, pair: dict, start: asyncio.Event,
                    connecting: asyncio.Semaphore, ready: list) -> float:
    import websockets

    api = f"{base}/api/v1/matches/{pair['match']}/"
    async with connecting:  # set-up is not what we measure: open the sockets a few at a time
        ticket = await asyncio.to_thread(http, "POST", api + "ticket/", pair["b"])
        state_a = await asyncio.to_thread(http, "GET", api, pair["a"])
        key = state_a["round"]["choices"][0]["key"]
        ws = await websockets.connect(ws_base + ticket["url"], origin=base, open_timeout=60,
                                      ping_interval=None)
        json.loads(await ws.recv())  # the state on connect
    ready.append(1)
    async with ws:
        await start.wait()
        await asyncio.sleep(pair["offset"])  # players answer at different moments of the round
        sent = time.perf_counter()
        post = asyncio.create_task(asyncio.to_thread(
            http, "POST", api + "answers/", pair["a"], {"round": 1, "choices": [key]}))
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=60))
            if frame.get("state", {}).get("opponent", {}).get("answered"):
                latency = time.perf_counter() - sent
                break
        await post
        return latency


async def run(pairs, port: int) -> list[float]:
    base, ws_base = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}"
    start, connecting, ready = asyncio.Event(), asyncio.Semaphore(10), []
    tasks = [asyncio.create_task(one_match(base, ws_base, p, start, connecting, ready))
             for p in pairs]
    # Every player connects first; then all the answers go out at once.
    while len(ready) < len(pairs):
        if any(t.done() and t.exception() for t in tasks):
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)  # let the presence pushes of the last connections settle
    start.set()
    return await asyncio.gather(*tasks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matches", type=int, default=100)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--spread", type=float, default=5.0,
                        help="answers are spread uniformly over this many seconds (0: a burst)")
    args = parser.parse_args()
    env = configure_env(args)
    pairs = prepare(args.matches)
    import random

    rng = random.Random(7)
    for pair in pairs:
        pair["offset"] = rng.uniform(0, args.spread)
    server = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p",
                               str(args.port), "--websocket_connect_timeout", "60",
                               "config.asgi:application"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(args.port)
        started = time.perf_counter()
        latencies = sorted(asyncio.run(run(pairs, args.port)))
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    ms = [x * 1000 for x in latencies]
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    backend = "PostgreSQL + Redis" if env.get("DATABASE_URL") and env.get("REDIS_URL") else \
        "embedded default (SQLite, in-memory channel layer)"
    print(f"answer -> opponent's websocket update, {len(ms)} concurrent matches, answers "
          f"spread over {args.spread:g} s, {backend}")
    print(f"  median {statistics.median(ms):.1f} ms   p95 {q[94]:.1f} ms   p99 {q[98]:.1f} ms   "
          f"max {max(ms):.1f} ms   (whole run {wall:.1f} s, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
