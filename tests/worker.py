"""A real Celery worker for tests that need one: a subprocess pointed at the test database and
the test Redis, listening on the test queue. Use it from transactional tests only: a plain `db`
fixture never commits, so the worker would see no rows."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url_for_test_db() -> str:
    params = connection.settings_dict
    if params["ENGINE"] == "django.db.backends.postgresql":
        user = params.get("USER") or ""
        password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
        auth = f"{user}{password}@" if user else ""
        return (f"postgres://{auth}{params.get('HOST') or '127.0.0.1'}:"
                f"{params.get('PORT') or 5432}/{params['NAME']}")
    return ""


def start_worker() -> subprocess.Popen:
    """Start a worker and return once it answers a ping, with the test queue emptied first so
    tasks left by an earlier run cannot leak in."""
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)
    process = _spawn()
    if not wait_for(lambda: process.poll() is not None or app.control.ping(timeout=0.5),
                    timeout=30) or process.poll() is not None:
        stop_worker(process)
        raise RuntimeError("the Celery worker did not start: "
                           + process.stderr.read().decode(errors="replace")[-2000:])
    return process


def _spawn() -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DB_POOL": "false",
           "REDIS_URL": settings.REDIS_URL, "DATABASE_URL": database_url_for_test_db(),
           "PLAY_TIME_SCALE": str(settings.PLAY_TIME_SCALE)}
    if not env["DATABASE_URL"]:
        env["SQLITE_PATH"] = connection.settings_dict["NAME"]
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q",
         settings.CELERY_TASK_DEFAULT_QUEUE, "--pool", "threads", "--concurrency", "4",
         "--without-gossip", "--without-mingle", "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
