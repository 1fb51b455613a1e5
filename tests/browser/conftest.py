"""Playwright driving Debian's chromium against pytest-django's live server."""

from __future__ import annotations

import os

import pytest

from tests.services import CHROMIUM

# Playwright's sync API runs an event loop in this thread; the ORM calls our fixtures make are
# still plain synchronous code, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _fresh_asgiref_executor() -> None:
    """asgiref runs thread-sensitive work (Channels' AuthMiddleware looking up the session user)
    on one class-wide executor. Once a test in this process has used it, a forked child (the
    ASGI server below) inherits the executor but not its thread: every websocket connect in the
    child would wait for ever. The child gets an executor of its own."""
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import SyncToAsync

    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)


os.register_at_fork(after_in_child=_fresh_asgiref_executor)

# Flags for a root user on a machine without a network beyond loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def asgi_live_server(transactional_db):
    """Daphne (HTTP and websockets) in a child process over the test database, as Channels'
    ChannelsLiveServerTestCase runs it. The child opens the same test database (a file on
    SQLite, see config/settings/test.py)."""
    from functools import partial

    from channels.testing.live import make_application
    from daphne.testing import DaphneProcess
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.db import connections

    # The child is forked: it must not inherit an open database socket, and it already has the
    # test database's name in its connection settings.
    connections.close_all()
    process = DaphneProcess("localhost", partial(make_application,
                                                 static_wrapper=ASGIStaticFilesHandler))
    process.start()
    if not process.ready.wait(timeout=30):
        process.terminate()
        raise RuntimeError("the ASGI test server did not start")
    yield f"http://localhost:{process.port.value}"
    process.terminate()
    process.join()
