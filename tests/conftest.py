from __future__ import annotations

import os

import pytest

from tests.services import missing_reason

SERVICE_MARKERS = ("postgres", "redis", "worker", "browser", "drills")


def pytest_collection_modifyitems(config, items):
    for item in items:
        for marker in SERVICE_MARKERS:
            if item.get_closest_marker(marker):
                reason = missing_reason(marker)
                if reason:
                    item.add_marker(pytest.mark.skip(reason=reason))


def pytest_sessionfinish(session, exitstatus):
    """Under CI=true a skipped test is a failure: CI must run everything on real services."""
    if os.environ.get("CI", "").lower() != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI=true: {len(skipped)} test(s) skipped; a skip fails CI.",
                            red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters live in the cache: start every test from a clean one."""
    from django.core.cache import cache

    from apps.play.cards import cards_forget

    cache.clear()
    cards_forget()  # question cards are kept per process; each test's database starts anew
    yield
    cache.clear()


@pytest.fixture
def world(db):
    """The standard users of the permission matrix."""
    from tests.factories import InstructorFactory, StaffFactory, UserFactory

    return {
        "anonymous": None,
        "learner": UserFactory(username="learner"),
        "other_learner": UserFactory(username="other"),
        "instructor": InstructorFactory(username="instructor"),
        "staff": StaffFactory(username="staff"),
    }


@pytest.fixture
def small_bank(db):
    """The repository's topics and resources plus three questions, loaded through the service."""
    from tests.factories import load_small_bank

    return load_small_bank()


@pytest.fixture
def hands_on_bank(db):
    """Two hotspot questions and one ordering question, loaded through the service."""
    from tests.factories import load_hands_on_bank

    return load_hands_on_bank()


@pytest.fixture(autouse=True)
def _tasks_run_where_the_test_says(request, settings):
    """Tests run tasks in-process unless they ask for a real worker (`worker` marker), so a
    stray task never waits in a Redis queue for a worker that is not there. Timers a test left
    pending are cancelled when it ends."""
    from apps.core.tasks import cancel_pending

    settings.CELERY_ENABLED = bool(request.node.get_closest_marker("worker"))
    yield
    cancel_pending()


@pytest.fixture
def real_worker(transactional_db):
    from tests.worker import start_worker, stop_worker

    process = start_worker()
    yield process
    stop_worker(process)
