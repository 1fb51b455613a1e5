"""The fault drills of issue 18 on a stack this module owns (tests/reliability/stack.py:
throwaway PostgreSQL and Redis on free ports, a Celery worker and beat, gunicorn), each drill
a set of head-to-head matches played by API clients while one component is killed (SIGKILL;
PostgreSQL's "immediate" stop) and brought back. The table of what was measured is printed at
the end of the run (tests/reliability/conftest.py); bench/drills.py prints it alone.

Marked `drills`: runs in the full-stack stage of CI (DATABASE_URL and REDIS_URL set), where a
skip fails the run; the embedded stage skips it."""

from __future__ import annotations

import pytest

from tests.reliability.drills import DRILLS, RESULTS, run_drill

pytestmark = pytest.mark.drills


@pytest.mark.parametrize("drill", DRILLS)
def test_it_finishes_every_match_and_loses_no_work_when_a_component_is_killed(stack, drill):
    result = run_drill(stack, drill)
    RESULTS.append(result)
    assert result.errors == []
    assert result.finished == result.matches
    # Every answer a client was told counted is stored, and nothing else is.
    assert result.acked_matches_stored, (result.acked, result.stored)
    assert result.acked > 0
    # One skill update per human per closed round (the answers and the misses), exactly.
    assert (result.skill_seen, result.outbox_left) == (result.skill_expected, 0)
    assert result.skill_expected == 2 * result.matches * result.rounds
    # An outage is a 503 with Retry-After, never a 500; and it says so in a line, no traceback.
    assert result.server_errors == 0
    assert result.tracebacks["web"] == 0
    assert result.worker_alive, result.worker_detail
    if drill != "web":  # only a killed web process refuses connections
        assert result.refused == 0
