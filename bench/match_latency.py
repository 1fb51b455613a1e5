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
    opened = 0  # sockets opened so far (read by the memory sampler in another thread)

    def __init__(self):
        self.latencies: list[float] = []
        self.responses: list[float] = []
        self.refused: dict[int, int] = {}
        self.finished = 0
        self.sockets = 0
        self.handshake_retries = 0
        self.reconnects = 0


async def player(api: str, token: str, ws, first: dict | None, sent: dict, seat: str,
                 other: str, rng, spread: float, results: Results, reconnect, sockets: list
                 ) -> None:
    """Play a whole match: answer each round after a human-looking pause; whenever a frame shows
    that the opponent has answered round n, record how long after their POST it arrived."""
    answered: set[int] = set()
    measured: set[int] = set()
    pending: set[asyncio.Task] = set()

    async def answer(number: int, keys: list[str], delay: float) -> None:
        await asyncio.sleep(delay)
        stamp: list = []
        sent[(seat, number)] = stamp
        code, _ = await asyncio.to_thread(http, "POST", api + "answers/", token,
                                          {"round": number, "choices": keys}, stamp)
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
            import websockets

            try:
                frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=120))
            except websockets.ConnectionClosed:  # the server dropped us: reconnect and resync
                results.reconnects += 1
                ws, first = await reconnect()
                sockets.append(ws)
                continue
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
                keys = [c["key"] for c in rnd["choices"]]  # an ordering round takes every step
                task = asyncio.create_task(answer(number, keys if rnd.get("picks") == "order"
                                                  else keys[:1], rng.uniform(0.3, spread)))
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
        # A player whose handshake fails under load tries again, as the app's own client does
        # (a fresh ticket each time: a ticket is single-use); the retries are counted.
        for attempt in range(4):
            _, ticket = await asyncio.to_thread(http, "POST", api + "ticket/", pair[seat])
            try:
                ws = await websockets.connect(ws_base + ticket["url"], origin=base,
                                              open_timeout=60, ping_interval=None)
                break
            except (OSError, TimeoutError, websockets.InvalidHandshake, KeyError) as exc:
                if attempt == 3:
                    raise RuntimeError(f"the websocket handshake failed 4 times: {exc!r}") from exc
                results.handshake_retries += 1
                await asyncio.sleep(0.5 * (attempt + 1))
        results.sockets += 1
        Results.opened += 1
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
            player(api, pair["a"], ws_a, None, sent, "a", "b", rng, spread, results,
                   lambda: connect("a"), sockets),
            player(api, pair["b"], ws_b, first_b, sent, "b", "a", rng, spread, results,
                   lambda: connect("b"), sockets))
    finally:
        for ws in sockets:
            await ws.close()


async def run(pairs, port: int, ws_port: int, spread: float) -> Results:
    base, ws_base = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{ws_port}"
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


def start_worker(env: dict, log) -> list[subprocess.Popen]:
    """The worker and beat (bench.quiz_throughput.background), once the worker answers a ping."""
    from bench.quiz_throughput import background

    processes = background(env, log, nice=os.environ.get("BENCH_WORKER_NICE", "0"))
    from config.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not app.control.ping(timeout=0.5):
        if processes[0].poll() is not None:
            raise RuntimeError("the Celery worker did not start")
    return processes


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def floor_posts(port: int, rate: float, seconds: float) -> list[float]:
    """The floor's one-INSERT POST, sent at `rate` per second for `seconds` (the same request
    rate as the run's answers): its latency is the HTTP reference of the same run."""
    from concurrent.futures import ThreadPoolExecutor

    latencies: list[float] = []

    def one() -> None:
        started = time.perf_counter()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/hit/", method="POST",  # noqa: S310
                                         data=b"answer")
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            response.read()
        latencies.append(time.perf_counter() - started)

    with ThreadPoolExecutor(64) as pool:
        begin, n = time.perf_counter(), int(rate * seconds)
        for i in range(n):
            delay = begin + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one)
    return latencies


def pct(values: list[float], p: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matches", type=int, default=100)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--web", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)),
                        help="HTTP (gunicorn) processes on the full stack")
    parser.add_argument("--ws", type=int, default=1,
                        help="websocket (daphne) processes on the full stack")
    parser.add_argument("--profile", metavar="PREFIX",
                        help="py-spy (on PATH) records the websocket process into PREFIX-ws.txt "
                             "and one HTTP process into PREFIX-web.txt during the run")
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
        processes += start_worker(env, log)
        env = {**env, "DB_POOL": "true"}
    from bench.quiz_throughput import children, floor_table, rss_kib, serve, spy, spy_stop
    from bench.quiz_throughput import stop as stop_all
    from bench.wsfloor import relay_floor

    # As compose serves it: HTTP by gunicorn (--web processes), websockets by daphne (--ws
    # processes sharing one socket). The embedded default is one daphne process for both: its
    # in-memory channel layer and cache live there.
    ws_port, floor_port = args.port + 1, args.port + 2
    if full_stack:
        web = serve("config", args.port, args.web, env, log, "gunicorn")
        sockets = serve("config", ws_port, args.ws, env, log, "daphne")
    else:
        ws_port, web = args.port, []
        sockets = serve("config", args.port, 1, env, log, "daphne")
    processes += web + sockets
    floor_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.floor.settings",
                 "FLOOR_SQLITE_PATH": str(Path(tempfile.mkdtemp()) / "floor.sqlite3")}
    floor_table(floor_env)
    try:
        wait_for_port(args.port)
        floor_log = open(log.name + ".floor", "w")  # its shutdown noise is not the platform's
        floor = serve("bench.floor", floor_port, 1, floor_env, floor_log, "daphne")
        # The memory reference: the bare relay's server, its RSS before and at its peak with
        # the same number of sockets (a daphne process, Channels and the same channel layer).
        floor_pids = children([p.pid for p in floor])
        asyncio.run(relay_floor(  # warm up first (imports, the layer's connection): not counted
            f"ws://127.0.0.1:{floor_port}", f"http://127.0.0.1:{floor_port}", groups=1, size=2,
            messages=1, spacing=0.1))
        floor_rss, floor_peak, floor_sampling = rss_kib(floor_pids), [0], [True]

        def sample_floor() -> None:
            while floor_sampling[0]:
                floor_peak[0] = max(floor_peak[0], rss_kib(floor_pids))
                time.sleep(0.2)

        import threading

        floor_sampler = threading.Thread(target=sample_floor, daemon=True)
        floor_sampler.start()
        try:
            relay = sorted(1000 * x for x in asyncio.run(relay_floor(
                f"ws://127.0.0.1:{floor_port}", f"http://127.0.0.1:{floor_port}",
                groups=args.matches, size=2, messages=args.rounds, spacing=1.0)))
        finally:
            floor_sampling[0] = False
            floor_sampler.join()
        floor_kib = (floor_peak[0] - floor_rss) / max(2 * args.matches, 1)
        stop_all(floor)
        socket_pids = children([p.pid for p in sockets])
        rss_before, peak, warm = rss_kib(socket_pids), [0], []
        sampling = True

        def sample() -> None:
            # Memory per socket: from the moment the first half of the sockets is open (the
            # server is warm: imports, caches, pools) to the peak with all of them open.
            while sampling:
                rss = rss_kib(socket_pids)
                peak[0] = max(peak[0], rss)
                if not warm and Results.opened >= len(pairs):
                    warm.extend([rss, Results.opened])
                time.sleep(0.2)

        # A daemon, stopped in `finally`: a failed run must not leave it keeping the bench alive.
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        profilers = []
        if args.profile:
            profilers = [spy(socket_pids[0], f"{args.profile}-ws.txt")]
            if web:
                profilers.append(spy(children([web[0].pid])[-1], f"{args.profile}-web.txt"))
        started = time.perf_counter()
        try:
            results = asyncio.run(run(pairs, args.port, ws_port, args.spread))
        finally:
            sampling = False
            sampler.join()
            for profiler in profilers:
                spy_stop(profiler)
        wall = time.perf_counter() - started
        # The floor's POST at the run's answer rate, served as the platform's HTTP is.
        for process in reversed(processes):
            stop(process)
        processes = []
        rate = len(results.responses) / max(wall, 1e-9)
        floor_http = serve("bench.floor", floor_port, args.web if full_stack else 1, floor_env,
                           floor_log, "gunicorn" if full_stack else "daphne")
        floor_posts(floor_port, 5, 1)  # warm-up, not measured
        floor_ms = sorted(1000 * x for x in floor_posts(floor_port, max(rate, 1.0), 10))
        stop_all(floor_http)
        floor_table(floor_env, drop=True)
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
        backend += f", {args.web} gunicorn + {args.ws} daphne process(es)"
    print(f"{args.matches} concurrent matches of {args.rounds} rounds, {backend}; "
          f"{len(ms)} answers, each 0.3-{args.spread:g} s into its round")
    print(f"answer POST -> the opponent's websocket shows it: median {statistics.median(ms):.1f} "
          f"ms   p95 {q[94]:.1f} ms   p99 {q[98]:.1f} ms   max {max(ms):.1f} ms")
    rs = sorted(x * 1000 for x in results.responses)
    rq = statistics.quantiles(rs, n=100, method="inclusive") if len(rs) > 1 else rs * 99
    print(f"answer POST -> its own HTTP response:            median {statistics.median(rs):.1f} "
          f"ms   p95 {rq[94]:.1f} ms   p99 {rq[98]:.1f} ms   max {max(rs):.1f} ms")
    print(f"matches finished {results.finished // 2}/{args.matches}, answers refused "
          f"{results.refused or 'none'}, handshakes retried {results.handshake_retries}, "
          f"sockets dropped and reconnected {results.reconnects}, server tracebacks "
          f"{len(errors)} ({log.name}), whole run {wall:.1f} s, {os.cpu_count()} cores")
    print(f"floor, same run: a bare websocket relay through the same channel layer (pairs): "
          f"median {pct(relay, 50):.1f} ms   p99 {pct(relay, 99):.1f} ms; the floor's one-INSERT "
          f"POST at the run's rate ({rate:.0f}/s): median {pct(floor_ms, 50):.1f} ms   p99 "
          f"{pct(floor_ms, 99):.1f} ms")
    print(f"ratios: push p50 / relay p50 = {statistics.median(ms) / max(pct(relay, 50), 1e-9):.1f}x"
          f", push p99 / relay p99 = {q[98] / max(pct(relay, 99), 1e-9):.1f}x; answer POST p99 / "
          f"floor POST p99 = {rq[98] / max(pct(floor_ms, 99), 1e-9):.1f}x")
    base_rss, base_open = warm or [rss_before, 0]
    per_socket = (peak[0] - base_rss) / max(results.sockets - base_open, 1)
    from bench.quiz_throughput import result

    # The first half of the sockets open before any match starts (each challenger waits for
    # its friend): what they add to the idle server is the cost of an open, waiting socket
    # (an upper bound: the first connections also warm the process up). The second half opens
    # while the matches are played: its figure adds the play's working memory.
    per_idle = (base_rss - rss_before) / max(base_open, 1)
    result("match", matches=args.matches, p50_ms=statistics.median(ms), p99_ms=q[98],
           relay_p50_ms=pct(relay, 50), relay_p99_ms=pct(relay, 99),
           kib_per_socket=per_socket, kib_per_idle_socket=per_idle,
           relay_kib_per_socket=floor_kib,
           finished=results.finished // 2, tracebacks=len(errors))
    print(f"memory: websocket server RSS {rss_before / 1024:.0f} MiB idle, {base_rss / 1024:.0f} "
          f"MiB with {base_open} sockets open and waiting ({per_idle:.0f} KiB each), peak "
          f"{peak[0] / 1024:.0f} MiB with {results.sockets} while playing: {per_socket:.0f} KiB "
          f"per further socket; the relay floor's server, same run: {floor_kib:.0f} KiB per "
          f"socket")


if __name__ == "__main__":
    main()
