"""Django's SQLite backend, with write transactions queued on a lock in this process.

SQLite allows one writer at a time. Left to SQLite, a thread that finds the database locked
sleeps and polls (up to 100 ms between tries) until its busy timeout; under load newcomers keep
taking the lock between its polls and some waited out the whole timeout ("database is locked",
bench/match_latency.py with 100 matches). Here a writer in this process waits on a Python lock
instead and gets it the moment it is released. Other processes (a management command beside the
server) still meet SQLite's busy timeout, as before."""

from __future__ import annotations

import os
import threading

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _forget_locks() -> None:
    """A forked child (the test suite's ASGI server) starts with no writers of its own: a lock
    some thread of the parent held at the fork would otherwise stay held for ever."""
    global _LOCKS, _LOCKS_GUARD
    _LOCKS, _LOCKS_GUARD = {}, threading.Lock()


os.register_at_fork(after_in_child=_forget_locks)


def _write_lock(name: str) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(str(name), threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _held: threading.Lock | None = None

    def _start_transaction_under_autocommit(self):
        if self.is_in_memory_db() or self._held is not None:
            return super()._start_transaction_under_autocommit()
        lock = _write_lock(self.settings_dict["NAME"])
        if not lock.acquire(timeout=float(self.settings_dict["OPTIONS"].get("timeout", 5))):
            raise OperationalError("database is locked (waited for this process's writers)")
        self._held = lock
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release()
            raise

    def _release(self):
        lock, self._held = self._held, None
        if lock is not None:
            lock.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release()
