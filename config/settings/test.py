"""Test settings: fast hashing, short play timings, and whatever services the environment names."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Not "*": the websocket Origin check is built from this list and tests exercise it.
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "1000/min"}}  # noqa: F405
# On SQLite the test database is a file, not shared-cache memory: like the embedded default it
# then has a busy timeout, so the threads of websocket and timer tests wait for the write lock
# instead of failing with "database table is locked"; a forked ASGI test server can open it too.
if DATABASES["default"]["ENGINE"] == "apps.core.sqlite":  # noqa: F405
    import os
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"asc-test-{os.getpid()}.sqlite3")}

# Keep tests on Redis apart from anything else using the same server.
if REDIS_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = "asc-test"  # noqa: F405
# Test workers listen on their own queue, so a test run never feeds anyone else's worker.
CELERY_TASK_DEFAULT_QUEUE = "asc-test"
# No background sweeper in test processes (a test that moves a deadline decides when to sweep);
# tests/core/test_sweeper.py and tests/reliability start one where they need it.
WEB_SWEEP_SECONDS = 0.0
