"""Speed-quiz throughput against a floor measured in the same run.

N learners play whole quizzes over keep-alive HTTP (the API: answer the open question, move
on, start a new quiz when one ends) for a fixed time against the platform served as the
deployment serves HTTP (gunicorn, gthread workers; `--server daphne` for the ASGI path);
then the same N clients POST to the floor (bench/floor: one INSERT per POST, the same server,
the same database engine, the same process count) for the same time. It prints requests/s,
answers/s, p50/p99 latency and server CPU per request (from /proc, the web processes, plus the
worker on the full stack) for both, and the ratios. Loopback only; loops are bounded in time.

    .venv/bin/python bench/quiz_throughput.py [--learners 16] [--seconds 20] [--web 1]
        [--server gunicorn|daphne] [--profile FILE]  (py-spy on PATH) [--rate R]
    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/quiz_throughput.py

Query counts per request are measured by tests/quiz/test_query_counts.py. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / TICK


def rss_kib(pids: list[int]) -> int:
    """Resident memory of the processes, from /proc (KiB)."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


def children(pids: list[int]) -> list[int]:
    """The processes and their children (gunicorn's workers), from /proc."""
    found = list(pids)
    for pid in pids:
        try:
            found += [int(c) for c in
                      Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            continue
    return found


def background(env: dict, log, nice: str = "0") -> list[subprocess.Popen]:
    """The full stack's background processes as docker-compose runs them: a Celery worker (two
    processes, on this run's own queue) and beat (its heartbeat tells the web processes that a
    worker runs the outbox: apps.core.outbox). Outbox rows that earlier runs left behind (their
    workers are gone) are delivered here first, so that their work is done, not lost, and not
    counted in this run's server CPU."""
    from django.db import connections

    from apps.core.outbox import outbox_resend

    drained = 0
    while done := outbox_resend():
        drained += done
    if drained:
        print(f"(delivered {drained} outbox messages left by earlier runs before starting)",
              flush=True)
    connections.close_all()
    schedule = Path(tempfile.mkdtemp(prefix="bench-beat-")) / "schedule"
    common = {"cwd": ROOT, "env": {**env, "DB_POOL": "false", "DB_CONN_MAX_AGE": "60"},
              "stdout": subprocess.DEVNULL, "stderr": log}
    worker = subprocess.Popen(
        ["nice", "-n", nice, sys.executable, "-m", "celery", "-A", "config", "worker", "-Q",
         env["CELERY_QUEUE"], "--concurrency", "2", "--without-gossip", "--without-mingle",
         "-l", "warning"], **common)
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "warning", "--schedule",
         str(schedule)], **common)
    return [worker, beat]


def spy(pid: int, path: str, seconds: float | None = None) -> subprocess.Popen:
    """py-spy (on PATH) sampling process `pid` into `path` (collapsed stacks, bench/
    profile_summary.py sums them), for `seconds` or until `spy_stop`."""
    command = ["py-spy", "record", "--pid", str(pid), "--format", "raw", "--rate", "200",
               "--gil", "--nonblocking", "--output", path]
    if seconds:
        command += ["--duration", str(int(seconds))]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def spy_stop(process: subprocess.Popen) -> None:
    """Ask py-spy to stop (it writes its file on SIGINT) and wait for it."""
    import signal

    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()


def serve(project: str, port: int, processes: int, env: dict, log, server: str
          ) -> list[subprocess.Popen]:
    """`server`: "daphne" (ASGI, `processes` daphne processes sharing one socket) or "gunicorn"
    (WSGI, a master and `processes` gthread workers), as the deployment serves HTTP."""
    if server == "gunicorn":
        servers = [subprocess.Popen(
            [sys.executable, "-m", "gunicorn", f"{project}.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", str(processes), "--worker-class", "gthread",
             "--threads", env.get("WEB_THREADS", "8"), "--backlog", "1024", "--keep-alive", "5",
             "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)]
        wait_for_port(port)
        time.sleep(0.5 + 0.3 * processes)  # the workers boot after the master binds
        return servers
    listener = socket.create_server(("127.0.0.1", port), backlog=1024)
    servers = [subprocess.Popen(
        [sys.executable, "-m", "daphne", "--fd", str(listener.fileno()),
         f"{project}.asgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
        pass_fds=[listener.fileno()]) for _ in range(processes)]
    listener.close()
    wait_for_port(port)
    return servers


def result(name: str, **figures) -> None:
    """One machine-readable line for bench/run_all.py's table (after the human-readable ones)."""
    print("RESULT " + json.dumps({"bench": name, **{k: round(v, 2) if isinstance(v, float)
                                                    else v for k, v in figures.items()}}))


def floor_table(env: dict, drop: bool = False) -> None:
    """The floor's one table, on the run's database (PostgreSQL) or its own SQLite file."""
    if env.get("DATABASE_URL"):
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("DROP TABLE IF EXISTS floor_hit" if drop else
                         "CREATE TABLE IF NOT EXISTS floor_hit (id serial primary key, body text)")
    elif not drop:
        import sqlite3

        with sqlite3.connect(env["FLOOR_SQLITE_PATH"]) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS floor_hit (id integer primary key, body text)")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


class Stats:
    def __init__(self, interval: float = 0.0):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.answer_latencies: list[float] = []
        self.answers = 0
        self.errors: dict[int, int] = {}
        self.interval = interval  # seconds between one client's requests; 0: back to back

    def add(self, seconds: float, status: int, answer: bool = False) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if answer:
                self.answer_latencies.append(seconds)
            if status >= 400:
                self.errors[status] = self.errors.get(status, 0) + 1
            elif answer:
                self.answers += 1


_pace = threading.local()


def request(conn, method, path, body, headers, stats, answer=False):
    if stats.interval:  # paced (--rate): each client sends at its share of the rate
        now = time.monotonic()
        slot = max(getattr(_pace, "next", now), now)
        if slot > now:
            time.sleep(slot - now)
        _pace.next = slot + stats.interval
    started = time.perf_counter()
    conn.request(method, path, body=json.dumps(body), headers=headers)
    response = conn.getresponse()
    data = response.read()
    stats.add(time.perf_counter() - started, response.status, answer)
    return response.status, json.loads(data or b"{}")


def learner(port: int, token: str, until: float, stats: Stats) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    while time.monotonic() < until:
        status, state = request(conn, "POST", "/api/v1/quizzes/",
                                {"count": 30, "seconds_per_question": 60, "mode": "speed"},
                                headers, stats)
        if status != 201:
            time.sleep(0.2)
            continue
        quiz = f"/api/v1/quizzes/{state['id']}/"
        while time.monotonic() < until and state.get("state") == "active":
            current = state["current"]
            number = current["number"]
            keys = [c["key"] for c in current["choices"]]  # an ordering question: every step
            request(conn, "POST", quiz + "answers/",
                    {"question": number, "choices": keys if current.get("picks") == "order"
                     else keys[:1]}, headers, stats, answer=True)
            _, state = request(conn, "POST", quiz + "next/", {"question": number}, headers,
                               stats)
    conn.close()


def floor_client(port: int, until: float, stats: Stats) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < until:
        request(conn, "POST", "/hit/", {"choice": "x"}, {"Content-Type": "application/json"},
                stats)
    conn.close()


def drive(target, args_list, seconds: float, pids: list[int], rate: float = 0.0
          ) -> tuple[Stats, float, float]:
    stats = Stats(len(args_list) / rate if rate else 0.0)
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=target, args=(*a, until, stats)) for a in args_list]
    cpu_before, started = cpu_seconds(pids), time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return stats, time.perf_counter() - started, cpu_seconds(pids) - cpu_before


def line(name: str, stats: Stats, wall: float, cpu: float) -> dict:
    ms = sorted(x * 1000 for x in stats.latencies)
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    answers = sorted(x * 1000 for x in stats.answer_latencies)
    a99 = (statistics.quantiles(answers, n=100, method="inclusive")[98] if len(answers) > 1
           else (answers or [float("nan")])[0])
    figures = {"rps": len(ms) / wall, "aps": stats.answers / wall, "p50": q[49], "p99": q[98],
               "answer_p99": a99, "cpu_ms": 1000 * cpu / max(len(ms), 1)}
    answer_text = f" (answer POST p99 {a99:6.1f} ms)" if answers else ""
    print(f"{name:<9} {figures['rps']:8.1f} req/s  {figures['aps']:7.1f} answers/s  "
          f"p50 {figures['p50']:6.1f} ms  p99 {figures['p99']:6.1f} ms{answer_text}  "
          f"server CPU {figures['cpu_ms']:5.2f} ms/request  errors {stats.errors or 'none'}")
    return figures


def prepare(n: int) -> list[str]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections
    from knox.models import AuthToken

    call_command("migrate", verbosity=0)
    call_command("loadbank", verbosity=0, stdout=open(os.devnull, "w"))
    stamp = int(time.time())
    users = get_user_model().objects
    tokens = [AuthToken.objects.create(user=users.create_user(f"quizbench{stamp}-{i}"))[1]
              for i in range(n)]
    connections.close_all()
    return tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--web", type=int, default=1, help="web processes, for both")
    parser.add_argument("--server", choices=["daphne", "gunicorn"], default="gunicorn",
                        help="HTTP server for both: daphne (ASGI) or gunicorn (WSGI, gthread)")
    parser.add_argument("--port", type=int, default=8775)
    parser.add_argument("--rate", type=float, default=0.0,
                        help="pace the clients to this many requests/s in all (both runs; "
                             "e.g. half the throughput an unpaced run measured); 0: flat out")
    parser.add_argument("--profile", metavar="FILE",
                        help="record the platform's first web process with py-spy (on PATH) into "
                             "FILE (collapsed stacks; feed them to a flame graph tool)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="quiz-bench-"))
    env = dict(os.environ)
    env.update({"DJANGO_SETTINGS_MODULE": env.get("DJANGO_SETTINGS_MODULE",
                                                  "config.settings.local"),
                "DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "LOG_LEVEL": "WARNING", "CELERY_QUEUE": f"bench-{os.getpid()}",
                "RATE_LIMIT_QUIZ_START": "0/60", "FLOOR_SQLITE_PATH": str(tmp / "floor.sqlite3")})
    if not env.get("DATABASE_URL"):
        env["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    full_stack = bool(env.get("DATABASE_URL") and env.get("REDIS_URL"))
    os.environ.update(env)
    tokens = prepare(args.learners)
    log = open(tmp / "server.log", "w")
    worker = []
    if full_stack:
        worker = background(env, log)
        env = {**env, "DB_POOL": "true"}
    servers = serve("config", args.port, args.web, env, log, args.server)
    try:
        pids = children([p.pid for p in servers + worker])
        learner_args = [(args.port, token) for token in tokens]
        drive(learner, learner_args[:2], 2, pids)  # warm up: imports, connections, caches
        profiler = None
        if args.profile:
            profiler = spy(pids[-1] if args.server == "gunicorn" else servers[0].pid,
                           args.profile, args.seconds)
        platform = drive(learner, learner_args, args.seconds, pids, args.rate)
        if profiler:
            profiler.wait(timeout=60)
    finally:
        stop(servers + worker)
    floor_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.floor.settings"}
    floor_table(env)
    servers = serve("bench.floor", args.port + 1, args.web, floor_env, log, args.server)
    try:
        pids = children([p.pid for p in servers])
        drive(floor_client, [(args.port + 1,)] * 2, 2, pids)
        floor = drive(floor_client, [(args.port + 1,)] * args.learners, args.seconds, pids,
                      args.rate)
    finally:
        stop(servers)
    backend = ("PostgreSQL + Redis + a Celery worker" if full_stack else
               "embedded default (SQLite)") + f", {args.web} {args.server} process(es)"
    paced = f", paced to {args.rate:.0f} requests/s" if args.rate else ""
    print(f"{args.learners} clients{paced} for {args.seconds:g} s each, {backend}, "
          f"{os.cpu_count()} cores shared by server, database and client")
    p = line("platform", *platform)
    f = line("floor", *floor)
    print(f"ratios: throughput {100 * p['rps'] / f['rps']:.1f}% of the floor, server CPU per "
          f"request {p['cpu_ms'] / max(f['cpu_ms'], 1e-9):.1f}x the floor's, p99 "
          f"{p['p99'] / max(f['p99'], 1e-9):.1f}x (server log: {tmp / 'server.log'})")
    floor_table(env, drop=True)
    result("quiz", learners=args.learners, throughput_pct=100 * p["rps"] / f["rps"],
           cpu_ratio=p["cpu_ms"] / max(f["cpu_ms"], 1e-9), p99_ms=p["p99"],
           floor_p99_ms=f["p99"], rps=p["rps"], floor_rps=f["rps"],
           answer_p99_ms=p["answer_p99"], rate=args.rate)


if __name__ == "__main__":
    main()
