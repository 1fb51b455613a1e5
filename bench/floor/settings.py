"""The floor: the smallest Django project that does one INSERT per POST, on the same database
engine as the platform's run (DATABASE_URL, else a SQLite file), served by the same server.
Every figure of bench/quiz_throughput.py is divided by this one, measured in the same run."""

import os

import dj_database_url

SECRET_KEY = "bench-floor-only-" + "x" * 40  # noqa: S105 (a throwaway local benchmark)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.floor.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
USE_TZ = True
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                             "NAME": os.environ["FLOOR_SQLITE_PATH"],
                             "OPTIONS": {"timeout": 20}}}

# The websocket floor (bench/floor/asgi.py's relay): the same channel layer as the platform's run.
if os.environ.get("REDIS_URL"):
    CHANNEL_LAYERS = {"default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer"
        if os.environ.get("CHANNEL_LAYER", "pubsub") == "pubsub"
        else "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [{"address": os.environ["REDIS_URL"], "socket_timeout": 30}],
                   "prefix": "floor"}}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
