"""`manage.py backup` / `restore` (apps.core.backups): play a match, back up, restore into a fresh
database, and find the match, the ratings and the skills exactly as they were (timestamps to the
microsecond: dumpdata/loaddata would have cut them to milliseconds)."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from django.core.management import call_command
from django.db import connection

from apps.core.models import OutboxMessage
from apps.matches.models import Match, RatingChange
from apps.skills.models import AnswerEvent
from tests.matches.conftest import current_round, fast_forward, keys
from tests.matches.test_api import Api
from tests.worker import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = ["matches_match", "matches_round", "matches_roundanswer", "matches_rating",
          "matches_ratingchange", "skills_skillestimate", "skills_answerevent",
          "skills_dailyactivity", "skills_reviewcard", "quiz_quizattempt"]


def _play_a_match(world) -> Match:
    a, b = Api(world["learner"]), Api(world["other_learner"])
    a.post("/api/v1/matches/queue/")
    match = Match.objects.get(public_id=b.post("/api/v1/matches/queue/").json()["match"])
    url = f"/api/v1/matches/{match.public_id}/answers/"
    for number in (1, 2, 3):
        rnd = current_round(match)
        assert a.post(url, {"round": number, "choices": keys(rnd)}).status_code == 200
        if number != 2:  # b lets round 2 time out: a miss
            assert b.post(url, {"round": number, "choices": keys(rnd)}).status_code == 200
        else:
            fast_forward(match)  # closes the round
        fast_forward(match)  # past the pause
    match.refresh_from_db()
    assert match.state == "finished"
    assert wait_for(lambda: AnswerEvent.objects.count() == 6
                    and not OutboxMessage.objects.exists(), timeout=10)
    return match


def _rows(read, table: str) -> list[tuple]:
    return read(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 (names from TABLES)


def _sqlite_reader(path):
    def read(sql):
        with closing(sqlite3.connect(path)) as db:
            return db.execute(sql).fetchall()
    return read


def _pg_reader(name):
    import psycopg

    params = connection.settings_dict

    def read(sql):
        with psycopg.connect(host=params.get("HOST") or "127.0.0.1", port=params.get("PORT"),
                             user=params.get("USER") or None,
                             password=params.get("PASSWORD") or None, dbname=name) as db:
            return db.execute(sql).fetchall()
    return read


@pytest.fixture
def played(small_bank, world, settings):
    settings.MATCH_ROUNDS = 3
    return _play_a_match(world)


@pytest.fixture
def fresh_target(tmp_path):
    """A new, empty database of the same engine, and a reader for it and for the source."""
    if connection.vendor == "sqlite":
        path = tmp_path / "fresh.sqlite3"
        yield str(path), _sqlite_reader(connection.settings_dict["NAME"]), _sqlite_reader(path)
        return
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_restore"[:63]
    admin = dict(host=params.get("HOST") or "127.0.0.1", port=params.get("PORT"),
                 user=params.get("USER") or None, password=params.get("PASSWORD") or None,
                 dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    auth = params.get("USER") or ""
    if params.get("PASSWORD"):
        auth += f":{params['PASSWORD']}"
    url = (f"postgres://{auth}{'@' if auth else ''}{params.get('HOST') or '127.0.0.1'}:"
           f"{params.get('PORT') or 5432}/{name}")
    yield url, _pg_reader(params["NAME"]), _pg_reader(name)
    with psycopg.connect(**admin) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_into_a_fresh_database_has_everything(played, fresh_target,
                                                                 tmp_path, capsys):
    target, source, restored = fresh_target
    backup_file = tmp_path / "arena.backup"
    call_command("backup", str(backup_file))
    assert capsys.readouterr().out.strip() == str(backup_file)
    call_command("restore", str(backup_file), target=target)
    for table in TABLES:  # every column, timestamps to the microsecond
        assert _rows(restored, table) == _rows(source, table), table
    [match] = restored(f"SELECT state FROM matches_match WHERE id = {int(played.pk)}")  # noqa: S608
    assert match == ("finished",)
    assert len(restored("SELECT * FROM matches_ratingchange")) == RatingChange.objects.count() == 2
    assert len(restored("SELECT * FROM skills_answerevent")) == 6


def test_a_missing_backup_is_a_clear_error(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no backup at"):
        call_command("restore", str(tmp_path / "nothing.dump"))
