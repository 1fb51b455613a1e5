"""Latency of live match updates under load: N head-to-head matches played whole, at once,
against a real ASGI server (daphne) on this machine. Both players of every match answer every
round over HTTP at human-looking moments; the figure is the time from one player's answer POST
leaving the client until the other player's websocket receives the state that shows it.

    .venv/bin/python bench/match_latency.py [--matches 100] [--rounds 7] [--port 8765]
    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/match_latency.py [--web 2]

(CHANNEL_LAYER=list in the environment measures the list-based Redis layer instead of pub/sub;
BENCH_WORKER_NICE=10 runs the Celery worker at a lower CPU priority.)

It uses DATABASE_URL and REDIS_URL like the application: unset, the embedded default (SQLite in
a temporary file, the in-memory channel layer, in-process timers); set, PostgreSQL, Redis,
a pooled web process and a Celery worker, as docker-compose runs them. Rounds use the product's
timings (15 s, 4 s pause). It prints the median, 95th and 99th percentiles and the maximum,
the same for the answer's own HTTP response, and counts refused answers and server tracebacks.
The server, the worker, PostgreSQL, Redis and this client all share the machine's cores.
Nothing is asserted: it reports."""

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
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure_env(args) -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    env["DJANGO_DEBUG"] = "false"
    env["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env["LOG_LEVEL"] = "WARNING"
    env["MATCH_ROUNDS"] = str(args.rounds)
    env["CELERY_QUEUE"] = f"bench-{os.getpid()}"  # a queue of our own: nothing stale runs
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

    from apps.matches.services import challenge_create

    call_command("migrate", verbosity=0)
    call_command("loadbank", verbosity=0, stdout=open(os.devnull, "w"))
    users = get_user_model().objects
    pairs = []
    stamp = int(time.time())
    for i in range(n):
        # No passwords (hashing 200 of them would take a minute): the players use API tokens.
        a = users.create_user(f"bench{stamp}a{i}")
        b = users.create_user(f"bench{stamp}b{i}")
        match = challenge_create(user=a)
        pairs.append({"match": str(match.public_id), "code": match.challenge_code,
                      "a": AuthToken.objects.create(user=a)[1],
                      "b": AuthToken.objects.create(user=b)[1]})
    from django.db import connections

    connections.close_all()
    return pairs


def http(method: str, url: str, token: str, body: dict | None = None,
         sent: list | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 (loopback http only)
        url, method=method, data=json.dumps(body or {}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    if sent is not None:
        sent.append(time.perf_counter())  # the clock starts as the request leaves
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        text = exc.read().decode(errors="replace")
        try:
            return exc.code, json.loads(text or "{}")
        except ValueError:
            return exc.code, {"detail": text[:300]}


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


class Results:
    def __init__(self):
        self.latencies: list[float] = []
        self.responses: list[float] = []
        self.refused: dict[int, int] = {}
        self.finished = 0


async def player(api: str, token: str, ws, first: dict | None, sent: dict, seat: str,
                 other: str, rng, spread: float, results: Results) -> None:
    """Play a whole match: answer each round after a human-looking pause; whenever a frame shows
    that the opponent has answered round n, record how long after their POST it arrived."""
    answered: set[int] = set()
    measured: set[int] = set()
    pending: set[asyncio.Task] = set()

    async def answer(number: int, key: str, delay: float) -> None:
        await asyncio.sleep(delay)
        stamp: list = []
        sent[(seat, number)] = stamp
        code, _ = await asyncio.to_thread(http, "POST", api + "answers/", token,
                                          {"round": number, "choices": [key]}, stamp)
        results.responses.append(time.perf_counter() - stamp[0])
        if code != 200:
            results.refused[code] = results.refused.get(code, 0) + 1

    while True:
        if first is not None:  # the state on connect: act on it, but it measures nothing
            frame, first = first, None
            state = frame.get("state") or {}
            if state.get("round") and state["opponent"]["answered"]:
                measured.add(state["round"]["number"])
        else:
            frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=120))
        now = time.perf_counter()
        state = frame.get("state") or {}
        rnd = state.get("round")
        if rnd:
            number = rnd["number"]
            stamp = sent.get((other, number))
            if state["opponent"]["answered"] and number not in measured and stamp:
                measured.add(number)
                results.latencies.append(now - stamp[0])
            if rnd["state"] == "open" and number not in answered and not rnd["you_answered"]:
                answered.add(number)
                task = asyncio.create_task(answer(number, rnd["choices"][0]["key"],
                                                  rng.uniform(0.3, spread)))
                pending.add(task)
        if state.get("state") == "finished":
            await asyncio.gather(*pending)
            results.finished += 1
            return


async def one_match(base: str, ws_base: str, pair: dict, start: asyncio.Event,
                    connecting: asyncio.Semaphore, ready: list, spread: float,
                    results: Results) -> None:
    import random

    import websockets

    api = f"{base}/api/v1/matches/{pair['match']}/"

    async def connect(seat: str):
        _, ticket = await asyncio.to_thread(http, "POST", api + "ticket/", pair[seat])
        ws = await websockets.connect(ws_base + ticket["url"], origin=base, open_timeout=60,
                                      ping_interval=None)
        return ws, json.loads(await ws.recv())  # the state on connect

    async with connecting:  # set-up is not what we measure: open the sockets a few at a time
        ws_a, _ = await connect("a")  # the challenger waits for the friend
    ready.append(1)
    await start.wait()
    await asyncio.sleep(pair["offset"])  # matches start at different moments
    code, body = await asyncio.to_thread(
        http, "POST", f"{base}/api/v1/matches/challenges/{pair['code']}/accept/", pair["b"])
    if code != 200:
        raise RuntimeError(f"accept failed: {code} {body}")
    ws_b, first_b = await connect("b")
    sockets = [ws_a, ws_b]
    sent: dict = {}
    rng = random.Random(pair["match"])
    try:
        await asyncio.gather(
            player(api, pair["a"], ws_a, None, sent, "a", "b", rng, spread, results),
            player(api, pair["b"], ws_b, first_b, sent, "b", "a", rng, spread, results))
    finally:
        for ws in sockets:
            await ws.close()


async def run(pairs, port: int, spread: float) -> Results:
    base, ws_base = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}"
    start, connecting, ready, results = asyncio.Event(), asyncio.Semaphore(10), [], Results()
    from concurrent.futures import ThreadPoolExecutor

    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=64))
    tasks = [asyncio.create_task(one_match(base, ws_base, p, start, connecting, ready, spread,
                                           results)) for p in pairs]
    # Every player connects first; then the matches start, spread over the first seconds.
    while len(ready) < len(pairs):
        if any(t.done() and t.exception() for t in tasks):
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)  # let the pushes of the last connections settle
    start.set()
    await asyncio.gather(*tasks)
    return results


def start_worker(env: dict) -> subprocess.Popen:
    worker = subprocess.Popen(
        ["nice", "-n", os.environ.get("BENCH_WORKER_NICE", "0"), sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", env["CELERY_QUEUE"],
         "--concurrency", "2", "--without-gossip", "--without-mingle", "-l", "warning"],
        cwd=ROOT, env={**env, "DB_POOL": "false", "DB_CONN_MAX_AGE": "60"}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    from config.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not app.control.ping(timeout=0.5):
        if worker.poll() is not None:
            raise RuntimeError("the Celery worker did not start")
    return worker


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matches", type=int, default=100)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--web", type=int, default=1,
                        help="web (daphne) processes on the full stack")
    parser.add_argument("--spread", type=float, default=10.0,
                        help="each player answers 0.3 to this many seconds into a round")
    parser.add_argument("--start-spread", type=float, default=15.0,
                        help="the matches start spread over this many seconds")
    args = parser.parse_args()
    env = configure_env(args)
    full_stack = bool(env.get("DATABASE_URL") and env.get("REDIS_URL"))
    pairs = prepare(args.matches)
    import random

    rng = random.Random(7)
    for pair in pairs:
        pair["offset"] = rng.uniform(0, args.start_spread)
    processes = []
    log = tempfile.NamedTemporaryFile("w+", prefix="bench-server-", suffix=".log", delete=False)
    if full_stack:  # as docker-compose runs it: a pooled web process and a Celery worker
        processes.append(start_worker(env))
        env = {**env, "DB_POOL": "true"}
    # Several web processes share one listening socket (daphne --fd), as a process manager
    # would run them; the kernel spreads the connections. The embedded default's in-memory
    # channel layer lives in one process, so it has exactly one.
    listener = socket.create_server(("127.0.0.1", args.port), backlog=1024)
    for _ in range(args.web if full_stack else 1):
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "daphne", "--fd", str(listener.fileno()),
             "--websocket_connect_timeout", "60", "config.asgi:application"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
            pass_fds=[listener.fileno()]))
    listener.close()
    try:
        wait_for_port(args.port)
        started = time.perf_counter()
        results = asyncio.run(run(pairs, args.port, args.spread))
        wall = time.perf_counter() - started
    except BaseException:
        print(f"the run failed; the server's log is {log.name}", file=sys.stderr)
        raise
    finally:
        for process in reversed(processes):
            stop(process)
    errors = [line for line in open(log.name, errors="replace") if "Traceback" in line]
    ms = sorted(x * 1000 for x in results.latencies)
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    backend = "PostgreSQL + Redis + a Celery worker" if full_stack else \
        "embedded default (SQLite, in-memory channel layer, in-process timers)"
    if full_stack:
        backend += f", {args.web} web process{'es' if args.web > 1 else ''}"
    print(f"{args.matches} concurrent matches of {args.rounds} rounds, {backend}; "
          f"{len(ms)} answers, each 0.3-{args.spread:g} s into its round")
    print(f"answer POST -> the opponent's websocket shows it: median {statistics.median(ms):.1f} "
          f"ms   p95 {q[94]:.1f} ms   p99 {q[98]:.1f} ms   max {max(ms):.1f} ms")
    rs = sorted(x * 1000 for x in results.responses)
    rq = statistics.quantiles(rs, n=100, method="inclusive") if len(rs) > 1 else rs * 99
    print(f"answer POST -> its own HTTP response:            median {statistics.median(rs):.1f} "
          f"ms   p95 {rq[94]:.1f} ms   p99 {rq[98]:.1f} ms   max {max(rs):.1f} ms")
    print(f"matches finished {results.finished // 2}/{args.matches}, answers refused "
          f"{results.refused or 'none'}, server tracebacks {len(errors)} ({log.name}), "
          f"whole run {wall:.1f} s, {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
