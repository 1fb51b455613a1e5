"""The settings read from the environment: each case imports the base settings in a fresh
interpreter with only the variables it sets, and reads back what Django would get."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READ = """
import json
from config.settings import base as s
db = s.DATABASES["default"]
print(json.dumps({"engine": db["ENGINE"], "conn_max_age": db.get("CONN_MAX_AGE"),
                  "pool": db.get("OPTIONS", {}).get("pool"), "options": db.get("OPTIONS"),
                  "layer": s.CHANNEL_LAYERS["default"]["BACKEND"]}))
"""


def settings_with(**env) -> tuple[int, str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DATABASE_URL", "REDIS_URL", "DB_POOL", "DB_POOL_MAX",
                          "DB_CONN_MAX_AGE", "CHANNEL_LAYER", "SQLITE_CONN_MAX_AGE"}}
    done = subprocess.run([sys.executable, "-c", READ], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout if done.returncode == 0 else done.stderr


def read(**env) -> dict:
    code, out = settings_with(**env)
    assert code == 0, out
    return json.loads(out)


PG = "postgres://u@127.0.0.1:5432/x"
REDIS = "redis://127.0.0.1:6379/0"


def test_the_embedded_default_is_sqlite_in_wal_with_queued_writers_and_no_redis():
    got = read()
    assert got["engine"] == "apps.core.sqlite"
    assert "journal_mode=WAL" in got["options"]["init_command"]
    assert got["options"]["transaction_mode"] == "IMMEDIATE"
    assert got["conn_max_age"] == 60
    assert got["layer"] == "channels.layers.InMemoryChannelLayer"


def test_redis_pushes_go_through_pub_sub_unless_the_list_layer_is_asked_for():
    assert read(REDIS_URL=REDIS)["layer"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert read(REDIS_URL=REDIS, CHANNEL_LAYER="list")["layer"] == \
        "channels_redis.core.RedisChannelLayer"


def test_an_unknown_channel_layer_is_refused_with_a_clear_error():
    code, err = settings_with(REDIS_URL=REDIS, CHANNEL_LAYER="kafka")
    assert code != 0 and "CHANNEL_LAYER must be 'pubsub' or 'list'" in err


def test_workers_keep_connections_and_web_processes_pool_them():
    assert read(DATABASE_URL=PG)["conn_max_age"] == 0
    assert read(DATABASE_URL=PG, DB_CONN_MAX_AGE="60")["conn_max_age"] == 60
    pooled = read(DATABASE_URL=PG, DB_POOL="true", DB_CONN_MAX_AGE="60", DB_POOL_MAX="25")
    # Django refuses persistent connections beside its pool: the pool wins.
    assert pooled["conn_max_age"] == 0
    assert pooled["pool"]["max_size"] == 25


@pytest.mark.parametrize("name,value", [("DB_POOL_MAX", "0"), ("DB_CONN_MAX_AGE", "-1"),
                                        ("DB_CONN_MAX_AGE", "soon")])
def test_bad_numbers_are_refused(name, value):
    code, err = settings_with(DATABASE_URL=PG, DB_POOL="true", **{name: value})
    assert code != 0 and name in err
