"""Backups that keep everything (issue 18): the SQLite online backup API for the embedded default
(a consistent copy while the server runs, WAL included; copying db.sqlite3 alone lost the
commits still in its -wal file) and pg_dump's custom format for PostgreSQL (dumpdata/loaddata
would cut every timestamp to milliseconds). `manage.py backup` and `manage.py restore` call
these."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.db import connections

TIMEOUT = 3600  # seconds a pg_dump / pg_restore may take


class BackupError(Exception):
    pass


def _engine(alias: str = "default") -> str:
    engine = connections[alias].settings_dict["ENGINE"]
    if engine == "django.db.backends.postgresql":
        return "postgresql"
    if "sqlite" in engine:
        return "sqlite"
    raise BackupError(f"no backup method for the database engine {engine!r}")


def _pg_env_and_name(params: dict) -> tuple[dict, str]:
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD")):
        if params.get(key):
            env[var] = str(params[key])
    return env, params["NAME"]


def _pg_params_from_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise BackupError("a PostgreSQL target must be a postgres:// URL")
    return {"HOST": parts.hostname, "PORT": parts.port, "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""), "NAME": parts.path.lstrip("/")}


def _run(command: list[str], env: dict) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client)")
    done = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-1000:]}")


def backup(path: Path, *, alias: str = "default") -> Path:
    """Write a consistent backup of the database to `path` while it keeps serving."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    params = connections[alias].settings_dict
    if _engine(alias) == "sqlite":
        tmp = path.with_name(path.name + ".partial")
        source = sqlite3.connect(params["NAME"], timeout=30)
        target = sqlite3.connect(tmp)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        _check_sqlite(tmp)
        tmp.replace(path)
    else:
        env, name = _pg_env_and_name(params)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}",
              name], env)
    return path


def restore(path: Path, *, target: str | None = None, alias: str = "default") -> str:
    """Restore the backup at `path` into `target` (a SQLite file path, or a postgres:// URL of
    an existing, preferably empty, database), or into the configured database. Stop the web
    processes and the worker first when restoring over the live database."""
    path = Path(path)
    if not path.exists():
        raise BackupError(f"no backup at {path}")
    if _engine(alias) == "sqlite":
        destination = Path(target or connections[alias].settings_dict["NAME"])
        _check_sqlite(path)
        connections[alias].close()
        source = sqlite3.connect(path)
        into = sqlite3.connect(destination, timeout=30)
        try:
            with into:
                source.backup(into)  # replaces every page, WAL handled by SQLite itself
        finally:
            into.close()
            source.close()
        _check_sqlite(destination)
        return str(destination)
    params = _pg_params_from_url(target) if target else connections[alias].settings_dict
    env, name = _pg_env_and_name(params)
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--exit-on-error", "--single-transaction", f"--dbname={name}", str(path)], env)
    return name


def _check_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    if result != "ok":
        raise BackupError(f"{path}: integrity check failed: {result}")
