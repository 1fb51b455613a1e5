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
# Keep tests on Redis apart from anything else using the same server.
if REDIS_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = "asc-test"  # noqa: F405
# Test workers listen on their own queue, so a test run never feeds anyone else's worker.
CELERY_TASK_DEFAULT_QUEUE = "asc-test"
