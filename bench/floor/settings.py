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
