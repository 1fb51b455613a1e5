"""A throwaway full stack for the fault drills (issue 18), owned by whoever starts it:
PostgreSQL (initdb + pg_ctl in a temporary directory), Redis, a Celery worker and beat, and the
web served by gunicorn as docker-compose serves it, every one on a free port of its own and
killed and restarted at will. Nothing here touches the shared services.

Plain Python (no Django in this process: the stack has settings of its own), so that
tests/reliability/test_drills.py and bench/drills.py share it.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.worker import wait_for

ROOT = Path(__file__).resolve().parent.parent.parent
# Port ranges of their own, so that a throwaway instance never meets the shared ones.
PG_PORTS = range(55400, 55500)
REDIS_PORTS = range(56400, 56500)
WEB_PORTS = range(57400, 57500)
SERVER_BINARIES = ("initdb", "pg_ctl", "redis-server")

# Rounds of 15 s * scale with a 4 s * scale pause: a match of ROUNDS rounds takes ~13 s.
PLAY_TIME_SCALE = 0.15
ROUNDS = 5


def missing_binaries() -> list[str]:
    missing = [name for name in SERVER_BINARIES if shutil.which(name) is None]
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        missing.append("runuser")
    return missing


def free_port(ports: range, exclude: tuple[int, ...] = ()) -> int:
    candidates = [port for port in ports if port not in exclude]
    random.shuffle(candidates)
    for port in candidates:
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_until(predicate, timeout: float, what: str, interval: float = 0.1):
    """tests.worker.wait_for, failing loudly: the drills cannot go on without `what`."""
    value = wait_for(predicate, timeout=timeout, interval=interval)
    if not value:
        raise RuntimeError(f"timed out after {timeout:g} s waiting for {what}")
    return value


class Stack:
    """Start with `start()`, end with `close()` (or use it as a context manager)."""

    def __init__(self, *, web_processes: int = 2):
        self.dir = Path(tempfile.mkdtemp(prefix="arena-drills-"))
        self.pg_port = free_port(PG_PORTS)
        self.redis_port = free_port(REDIS_PORTS)
        self.web_port = free_port(WEB_PORTS)
        self.web_processes = web_processes
        self.redis: subprocess.Popen | None = None
        self.web: subprocess.Popen | None = None
        self.ws: subprocess.Popen | None = None
        self.ws_port = free_port(WEB_PORTS, exclude=(self.web_port,))
        self.worker: subprocess.Popen | None = None
        self.beat: subprocess.Popen | None = None
        self.database_url = f"postgres://postgres@127.0.0.1:{self.pg_port}/arena"
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.base = f"http://127.0.0.1:{self.web_port}"
        self.logs = {name: self.dir / f"{name}.log"
                     for name in ("web", "ws", "worker", "beat", "setup")}
        self.env = self._env()

    # --- set-up ---------------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DJANGO_", "DB_", "WEB_", "CELERY", "PYTEST"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "config.settings.local", "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url,
            "PLAY_TIME_SCALE": str(PLAY_TIME_SCALE), "MATCH_ROUNDS": str(ROUNDS),
            # Recovery paths at the pace of short rounds: the outbox re-sends after 2 s, beat
            # sends a heartbeat every second, the web processes sweep every second.
            "OUTBOX_RESEND_SECONDS": "2", "WORKER_HEARTBEAT_SECONDS": "1",
            "WEB_SWEEP_SECONDS": "1", "LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1",
        })
        return env

    def _as_postgres(self, *command: str) -> list[str]:
        # PostgreSQL refuses to run as root.
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else \
            list(command)

    def start(self) -> Stack:
        try:
            self._init_postgres()
            self.start_postgres()
            import psycopg

            with psycopg.connect(f"postgres://postgres@127.0.0.1:{self.pg_port}/postgres",
                                 autocommit=True) as conn:
                conn.execute("CREATE DATABASE arena")
            self.start_redis()
            self._manage("migrate", "--noinput")
            self._manage("loadbank")
            self.start_worker()
            self.start_web()
        except BaseException:
            self.close()
            raise
        return self

    def _init_postgres(self) -> None:
        self.pgdata = self.dir / "pg"
        self.pgdata.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            shutil.chown(self.pgdata, "postgres")
        self._run(self._as_postgres("initdb", "-D", str(self.pgdata), "-U", "postgres",
                                    "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"))

    def _run(self, command: list[str], env: dict | None = None, timeout: float = 180) -> None:
        with open(self.logs["setup"], "a") as log:
            result = subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=log,
                                    timeout=timeout)
        if result.returncode:
            raise RuntimeError(f"{' '.join(command)} failed; see {self.logs['setup']}:\n"
                               + self.logs["setup"].read_text()[-3000:])

    def _manage(self, *args: str) -> None:
        self._run([sys.executable, "manage.py", *args], env=self.env)

    def seed(self, pairs: int) -> list[dict]:
        """`pairs` new pairs of players, each with a waiting challenge and API tokens."""
        import json

        out = subprocess.run([sys.executable, "-m", "tests.reliability.seed", str(pairs)],
                             cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120)
        if out.returncode:
            raise RuntimeError("seeding failed:\n" + out.stderr[-3000:])
        return json.loads(out.stdout.strip().splitlines()[-1])

    # --- PostgreSQL -----------------------------------------------------------------------

    def start_postgres(self) -> None:
        options = (f"-p {self.pg_port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off -c max_connections=100")
        self._run(self._as_postgres("pg_ctl", "-D", str(self.pgdata), "-l",
                                    str(self.dir / "postgres.log"), "-o", options, "-w", "-t",
                                    "60", "start"))

    def kill_postgres(self) -> None:
        """Like a crash: no checkpoint, connections cut, recovery from the WAL at the restart."""
        self._run(self._as_postgres("pg_ctl", "-D", str(self.pgdata), "-m", "immediate", "-w",
                                    "stop"))

    # --- Redis ----------------------------------------------------------------------------

    def start_redis(self) -> None:
        # As docker-compose runs it: nothing kept on disk, so a restart loses every key.
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: port_open(self.redis_port), 20, "Redis")

    def kill_redis(self) -> None:
        _kill(self.redis)

    # --- the worker and beat ----------------------------------------------------------------

    def start_worker(self) -> None:
        env = {**self.env, "DB_POOL": "false", "DB_CONN_MAX_AGE": "60"}
        # As docker-compose runs them: a prefork worker of two processes, and beat.
        self.worker = self._spawn(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "warning",
             "--concurrency", "2"], env, "worker")
        self.beat = self._spawn(
            [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "warning",
             "--schedule", str(self.dir / "celerybeat-schedule")], {**env, "DB_CONN_MAX_AGE": "0"},
            "beat")
        wait_until(self.worker_answers, 60, "the Celery worker", interval=0.5)

    def kill_worker(self) -> None:
        for process in (self.beat, self.worker):
            _kill(process, group=True)

    def worker_answers(self) -> bool:
        """The worker answers a ping through the broker (so it is connected to it)."""
        from celery import Celery

        app = Celery(broker=self.redis_url, set_as_current=False)
        try:
            return bool(app.control.ping(timeout=1.0))
        except Exception:
            return False
        finally:
            app.close()

    # --- web ------------------------------------------------------------------------------

    def start_web(self) -> None:
        env = {**self.env, "DB_POOL": "true", "WEB_BIND": f"127.0.0.1:{self.web_port}",
               "WEB_CONCURRENCY": str(self.web_processes), "WEB_THREADS": "4"}
        self.web = self._spawn([sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py",
                                "config.wsgi:application"], env, "web")
        wait_until(lambda: self.get("/healthz")[0] in (200,), 60, "the web process")

    def kill_web(self) -> None:
        _kill(self.web, group=True)

    def reload_web(self) -> None:
        """gunicorn starts new workers and lets the old ones finish their requests; the master
        keeps the listening socket, so no connection is refused meanwhile."""
        self.web.send_signal(signal.SIGHUP)

    def start_ws(self) -> None:
        """Websockets, as docker-compose serves them: daphne, beside gunicorn's HTTP."""
        env = {**self.env, "DB_POOL": "true"}
        self.ws = self._spawn([sys.executable, "-m", "daphne", "--bind", "127.0.0.1", "--port",
                               str(self.ws_port), "config.asgi:application"], env, "ws")
        wait_until(lambda: port_open(self.ws_port) or self.ws.poll() is not None, 60,
                   "the websocket server")
        if self.ws.poll() is not None:
            raise RuntimeError("daphne did not start:\n" + self.logs["ws"].read_text()[-2000:])

    # --- helpers --------------------------------------------------------------------------

    def _spawn(self, command: list[str], env: dict, name: str) -> subprocess.Popen:
        # A session of its own: killing the group kills a master and its forked children.
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=open(self.logs[name], "a"), start_new_session=True)

    def get(self, path: str) -> tuple[int, str]:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")
        except OSError:
            return 0, ""

    def sql(self, query: str, params=()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.database_url, connect_timeout=5) as conn:
            return conn.execute(query, params).fetchall()

    def log_size(self) -> dict[str, int]:
        return {name: path.stat().st_size if path.exists() else 0
                for name, path in self.logs.items()}

    def tracebacks_since(self, sizes: dict[str, int]) -> dict[str, int]:
        counts = {}
        for name in ("web", "worker", "beat"):
            with open(self.logs[name], "rb") as log:
                log.seek(sizes.get(name, 0))
                counts[name] = log.read().count(b"Traceback")
        return counts

    def close(self) -> None:
        for process in (self.ws, self.web, self.beat, self.worker):
            _stop(process)
        _stop(self.redis, group=False)
        if getattr(self, "pgdata", None) and (self.pgdata / "postmaster.pid").exists():
            subprocess.run(self._as_postgres("pg_ctl", "-D", str(self.pgdata), "-m", "fast",
                                             "-w", "stop"), capture_output=True, timeout=60)
        if os.environ.get("DRILLS_KEEP") != "1":
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


def _kill(process: subprocess.Popen | None, group: bool = False) -> None:
    if process is None or process.poll() is not None:
        return
    if group:
        os.killpg(process.pid, signal.SIGKILL)
    else:
        process.kill()
    process.wait(timeout=10)


def _stop(process: subprocess.Popen | None, group: bool = True) -> None:
    if process is None or process.poll() is not None:
        return
    if group:
        os.killpg(process.pid, signal.SIGTERM)
    else:
        process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        _kill(process, group=group)
