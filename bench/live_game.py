"""A live class game with a room of players, against the server as the deployment runs it.

N players join with the PIN over the API, open the game's websocket (a ticket, as API clients
do) and answer each question over it at a random moment in its first SPREAD seconds, as phones
do. A host thread starts the game and moves on a moment after each reveal. Printed: answer frame
-> acknowledged p50/p99; question closed -> each player's socket shows the reveal, p50/p99/max,
beside a bare websocket relay through the same channel layer fanning out to the same number of
sockets in the same run (bench/wsfloor.py); server CPU and memory per player; lost or double
answers (from the database after the run). HTTP is served by gunicorn and websockets by daphne,
as docker-compose does. Loopback only.

    .venv/bin/python bench/live_game.py [--players 300] [--questions 10] [--games 1]
    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/live_game.py

With --games G the room is G games of --players each at once (e.g. --games 10 --players 30).
Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.quiz_throughput import (  # noqa: E402
    background,
    children,
    cpu_seconds,
    result,
    rss_kib,
    serve,
    stop,
)
from bench.wsfloor import relay_floor  # noqa: E402


class Room:
    def __init__(self):
        self.lock = threading.Lock()
        self.acks: list[float] = []
        self.seen: dict[tuple[str, int, int], float] = {}  # (game, player, number) -> time
        self.errors: dict[int, int] = {}
        self.frames = 0
        self.joined = 0

    def error(self, status: int) -> None:
        with self.lock:
            self.errors[status] = self.errors.get(status, 0) + 1


def call(conn, method, path, body=None, headers=None):
    """One request on a keep-alive connection; once more on a fresh one if the server closed
    the idle connection meanwhile (as a browser does)."""
    for attempt in (1, 2):
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None,
                         headers={"Content-Type": "application/json", **(headers or {})})
            response = conn.getresponse()
            data = response.read()
            return response.status, (json.loads(data) if data else None)
        except (ConnectionError, http.client.HTTPException):
            conn.close()
            if attempt == 2:
                raise


def http_call(port: int, method: str, path: str, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        return call(conn, method, path, body, headers)
    finally:
        conn.close()


async def player(port: int, ws_port: int, pin: str, name: str, args, room: Room,
                 gate: asyncio.Semaphore) -> None:
    import websockets

    async with gate:  # a room joins over a few seconds, not in one instant
        status, joined = await asyncio.to_thread(http_call, port, "POST", "/api/v1/live/join/",
                                                 {"pin": pin, "nickname": name})
        if status != 201:
            room.error(status)
            return
        game, me = joined["game"], joined["player"]
        status, ticket = await asyncio.to_thread(
            http_call, port, "POST", f"/api/v1/live/{game}/ticket/", {},
            {"X-Live-Player": joined["token"]})
        if status != 201:
            room.error(status)
            return
        ws = await websockets.connect(f"ws://127.0.0.1:{ws_port}{ticket['url']}",
                                      origin=f"http://127.0.0.1:{port}", open_timeout=60,
                                      max_size=2 ** 22)
    with room.lock:
        room.joined += 1
    sent: dict[int, float] = {}

    async def answer(number: int, keys: list[str], picks: str) -> None:
        await asyncio.sleep(random.random() * args.spread)
        sent[number] = time.perf_counter()
        # One tile (or line) as a phone picks one; an ordering question takes every step.
        chosen = random.sample(keys, len(keys)) if picks == "order" else [random.choice(keys)]
        await ws.send(json.dumps({"type": "answer", "question": number, "choices": chosen}))

    try:
        async for raw in ws:
            now, frame = time.time(), json.loads(raw)
            with room.lock:
                room.frames += 1
            if frame["type"] == "state":
                view, question = frame["state"], frame["state"]["question"]
                if view["state"] == "reveal" and question:
                    room.seen.setdefault((game, me, question["number"]), now)
                if view["state"] == "finished":
                    break
                if view["state"] == "question" and question and not frame["me"]["answered"] \
                        and question["number"] not in sent:
                    sent[question["number"]] = 0.0
                    asyncio.create_task(answer(question["number"],
                                               [c["key"] for c in question["choices"]],
                                               question.get("picks", "one")))
            elif frame["type"] == "ack":
                with room.lock:
                    room.acks.append(time.perf_counter() - sent[frame["question"]])
            elif frame["type"] == "error":
                room.error(frame.get("status", 0))
    finally:
        await ws.close()


async def run_players(port: int, ws_port: int, games, args, room: Room) -> None:
    gate = asyncio.Semaphore(16)
    await asyncio.gather(*(player(port, ws_port, pin, f"p{g}-{i}", args, room, gate)
                           for g, (_, _, pin) in enumerate(games) for i in range(args.players)))


def host(port: int, token: str, game: str, args, done: threading.Event) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Token {token}"}
    call(conn, "POST", f"/api/v1/live/{game}/start/", {}, headers)
    while not done.is_set():
        _, view = call(conn, "GET", f"/api/v1/live/{game}/", headers=headers)
        if view["state"] == "finished":
            break
        if view["state"] == "reveal":
            time.sleep(args.reveal)
            call(conn, "POST", f"/api/v1/live/{game}/next/", {"question": view["number"]},
                 headers)
        time.sleep(0.2)
    conn.close()


def prepare(args) -> tuple[str, list[tuple[str, str]]]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections
    from knox.models import AuthToken

    from apps.live.services import GameSpec, game_create

    call_command("migrate", verbosity=0)
    call_command("loadbank", verbosity=0, stdout=open(os.devnull, "w"))
    stamp = int(time.time())
    games = []
    for g in range(args.games):
        user = get_user_model().objects.create_user(f"livehost{stamp}-{g}")
        token = AuthToken.objects.create(user=user)[1]
        game = game_create(host=user, spec=GameSpec(count=args.questions,
                                                    seconds=args.seconds))
        games.append((token, str(game.public_id), game.pin))
    connections.close_all()
    return games


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=300, help="players per game")
    parser.add_argument("--games", type=int, default=1)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=20, help="time per question")
    parser.add_argument("--spread", type=float, default=5.0, help="answers spread over (s)")
    parser.add_argument("--reveal", type=float, default=2.0, help="host waits after a reveal")
    parser.add_argument("--web", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 1)))
    parser.add_argument("--port", type=int, default=8795)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="live-bench-"))
    env = dict(os.environ)
    env.update({"DJANGO_SETTINGS_MODULE": env.get("DJANGO_SETTINGS_MODULE",
                                                  "config.settings.local"),
                "DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "LOG_LEVEL": "WARNING", "CELERY_QUEUE": f"bench-{os.getpid()}",
                "RATE_LIMIT_LIVE_JOIN": "0/60", "RATE_LIMIT_LIVE_CREATE": "0/60",
                "LIVE_MAX_GAMES_PER_HOST": "100", "WEB_THREADS": env.get("WEB_THREADS", "16")})
    if not env.get("DATABASE_URL"):
        env["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    full_stack = bool(env.get("DATABASE_URL") and env.get("REDIS_URL"))
    os.environ.update(env)
    games = prepare(args)
    from django.db import connections

    from apps.live.models import LiveAnswer, LiveQuestion

    log = open(tmp / "server.log", "w")
    worker = []
    if full_stack:
        worker = background(env, log)
        env = {**env, "DB_POOL": "true"}
    ws_port, floor_port = args.port + 1, args.port + 2
    if full_stack:  # as compose serves it: gunicorn for HTTP, daphne for websockets
        servers = serve("config", args.port, args.web, env, log, "gunicorn")
        servers += serve("config", ws_port, 1, env, log, "daphne")
    else:  # the embedded default is one process: its cache and channel layer live there
        ws_port = args.port
        servers = serve("config", args.port, 1, env, log, "daphne")
    floor_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.floor.settings",
                 "FLOOR_SQLITE_PATH": str(tmp / "floor.sqlite3")}
    floor = serve("bench.floor", floor_port, 1, floor_env, log, "daphne")
    room, done = Room(), threading.Event()
    total = args.players * args.games
    try:
        relay = sorted(1000 * x for x in asyncio.run(relay_floor(
            f"ws://127.0.0.1:{floor_port}", f"http://127.0.0.1:{floor_port}",
            groups=args.games, size=args.players + 1, messages=args.questions)))
        stop(floor)
        pids = children([p.pid for p in servers + worker])
        loop_thread = threading.Thread(target=lambda: asyncio.run(
            run_players(args.port, ws_port, games, args, room)))
        loop_thread.start()
        deadline = time.monotonic() + 300
        while room.joined + sum(room.errors.values()) < total and time.monotonic() < deadline:
            time.sleep(0.2)  # everyone has joined before the host starts
        time.sleep(2)
        cpu_before, started = cpu_seconds(pids), time.perf_counter()
        hosts = [threading.Thread(target=host, args=(args.port, token, gid, args, done))
                 for token, gid, _ in games]
        for t in hosts:
            t.start()
        for t in hosts:
            t.join(timeout=args.questions * (args.seconds + args.reveal + 10) + 60)
        wall, cpu = time.perf_counter() - started, cpu_seconds(pids) - cpu_before
        memory = rss_kib(pids)
        done.set()
        loop_thread.join(timeout=60)
    finally:
        stop(servers + worker)
    closed = {(str(g), n): c.timestamp() for g, n, c in LiveQuestion.objects.filter(
        game__public_id__in=[gid for _, gid, _ in games], closed_at__isnull=False
    ).values_list("game__public_id", "number", "closed_at")}
    reveal = sorted(1000 * (seen - closed[(g, n)]) for (g, _, n), seen in room.seen.items()
                    if (g, n) in closed)
    answers = LiveAnswer.objects.filter(question__game__public_id__in=[g for _, g, _ in games])
    stored = answers.count()
    connections.close_all()

    def q(values, p):
        return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(
            values) > 1 else (values[0] if values else float("nan"))

    acks = sorted(1000 * a for a in room.acks)
    players = args.players * args.games
    backend = (f"PostgreSQL + Redis + a Celery worker, {args.web} gunicorn process(es) + 1 "
               "daphne for websockets" if full_stack else "embedded default (SQLite, one daphne)")
    print(f"{args.games} game(s) x {args.players} players, {args.questions} questions, "
          f"answers over the websocket spread over {args.spread:g} s; {backend}; {os.cpu_count()} cores shared by server, database and the clients")
    print(f"answer frame -> acknowledged: p50 {q(acks, 50):.0f} ms, p99 {q(acks, 99):.0f} ms "
          f"({len(acks)} answers; stored {stored}; errors {room.errors or 'none'})")
    print(f"question closed -> the player's socket shows the reveal: p50 {q(reveal, 50):.0f} ms, "
          f"p99 {q(reveal, 99):.0f} ms, max {max(reveal) if reveal else float('nan'):.0f} ms "
          f"({len(reveal)} player-reveals)")
    print(f"floor, same run: a bare relay through the same channel layer to {args.players} "
          f"sockets a group: p50 {q(relay, 50):.1f} ms, p99 {q(relay, 99):.1f} ms, max "
          f"{max(relay) if relay else float('nan'):.1f} ms ({len(relay)} deliveries); reveal "
          f"p99 / relay p99 = {q(reveal, 99) / max(q(relay, 99), 1e-9):.1f}x")
    result("live", players=args.players, games=args.games, ack_p99_ms=q(acks, 99),
           reveal_p99_ms=q(reveal, 99), relay_p99_ms=q(relay, 99), answers=len(acks),
           stored=stored, kib_per_player=memory / players)
    print(f"server: {1000 * cpu / max(wall, 1e-9) / players:.2f} ms CPU per player per second, "
          f"{cpu / max(wall, 1e-9):.2f} cores busy, {memory / players:.0f} KiB RSS per player "
          f"({memory / 1024:.0f} MiB); {room.frames} frames in {wall:.0f} s")


if __name__ == "__main__":
    main()
