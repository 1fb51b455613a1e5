"""Which real services this test run can reach. Tests that need one are marked
(`@pytest.mark.postgres`, `redis`, `worker`, `browser`, `drills`) and skip with a reason naming what is
missing; under CI=true any skip fails the run (see conftest.py)."""

from __future__ import annotations

import functools
import shutil

from django.conf import settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@functools.cache
def redis_reachable() -> bool:
    if not settings.REDIS_URL:
        return False
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except Exception:
        return False
    return True


def missing_reason(marker: str) -> str | None:
    if marker == "postgres" and not on_postgres():
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if marker in ("redis", "worker") and not redis_reachable():
        return "needs Redis: set REDIS_URL=redis://... to a running server"
    if marker == "drills":
        # The drills start servers of their own; they run where the other full-stack tests do.
        if not (on_postgres() and redis_reachable()):
            return "the fault drills run in the full-stack stage: set DATABASE_URL and REDIS_URL"
        from tests.reliability.stack import missing_binaries

        if missing_binaries():
            return ("the fault drills start their own servers: install "
                    + ", ".join(missing_binaries()))
    if marker == "browser" and not CHROMIUM:
        return "needs Debian's chromium (apt-get install chromium) for Playwright"
    return None
