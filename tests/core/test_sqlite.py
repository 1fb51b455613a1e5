"""The embedded default's SQLite backend queues this process's writers on a lock: a writer
waits for the lock rather than polling SQLite, the lock is released however the transaction
ends, and a forked child starts with no writer. These drive the backend on a file of their own,
so they run the same whatever database the suite itself uses."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from apps.core.sqlite import base


@pytest.fixture
def open_db(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():  # our own file, not the test database
        yield from _opener(tmp_path)


def _opener(tmp_path):
    path = str(tmp_path / "writers.sqlite3")
    handler = ConnectionHandler({"default": {
        "ENGINE": "apps.core.sqlite", "NAME": path,
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 5,
                    "init_command": "PRAGMA journal_mode=WAL;"}}})

    def open_db(timeout: float = 5):
        handler.settings["default"]["OPTIONS"]["timeout"] = timeout
        wrapper = handler.create_connection("default")
        wrapper.ensure_connection()
        return wrapper

    setup = open_db()
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n INTEGER)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    setup.close()
    yield open_db


def begin(db) -> None:
    """What transaction.atomic() does on SQLite: BEGIN IMMEDIATE (here, after the lock)."""
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def end(db, commit: bool = True) -> None:
    db.commit() if commit else db.rollback()
    db.set_autocommit(True)


def test_concurrent_writers_each_get_their_turn(open_db):
    errors, inside, most = [], [0], [0]
    guard = threading.Lock()

    def writer():
        db = open_db()
        try:
            for _ in range(5):
                begin(db)
                with guard:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                with db.cursor() as cursor:
                    cursor.execute("SELECT n FROM counter")
                    n = cursor.fetchone()[0]
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])
                with guard:
                    inside[0] -= 1
                end(db)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert most[0] == 1  # one writer at a time, queued by this process
    db = open_db()
    with db.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone()[0] == 40  # no update lost
    db.close()


def test_a_writer_that_waits_too_long_gets_a_clear_error(open_db):
    holder, waiter = open_db(), open_db(timeout=0.2)
    begin(holder)
    try:
        with pytest.raises(OperationalError, match="waited for this process.s writers"):
            begin(waiter)
        assert waiter.in_atomic_block is False and waiter._held is None
    finally:
        end(holder)
        waiter.set_autocommit(True)
    begin(waiter)  # and once the holder is done, the same connection can write
    end(waiter)
    holder.close()
    waiter.close()


@pytest.mark.parametrize("how", ["rollback", "close"])
def test_the_lock_is_released_however_the_transaction_ends(open_db, how):
    first, second = open_db(), open_db(timeout=0.5)
    begin(first)
    if how == "rollback":
        end(first, commit=False)
    else:
        first.close()
    begin(second)  # would wait out its 0.5 s and fail if the lock had leaked
    end(second)
    second.close()
    first.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_a_forked_child_starts_with_no_writer(open_db, tmp_path):
    db = open_db()
    begin(db)  # this thread holds the process's write lock for that file...
    try:
        pid = os.fork()
        if pid == 0:  # ...the child must not inherit it held
            os._exit(0 if base._write_lock(db.settings_dict["NAME"]).acquire(timeout=1) else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        end(db)
        db.close()
