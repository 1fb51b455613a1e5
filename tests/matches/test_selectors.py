"""The match state read: every HTTP read goes to the database; a push for version v may reuse
a read of version >= v from the last second, so the answer's response and both players' pushes
cost one read, and what each player may see is still decided per player."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.matches import selectors
from apps.matches.models import Match
from apps.matches.selectors import match_state
from apps.matches.services import match_answer, queue_join
from tests.matches.conftest import current_round, keys

pytestmark = pytest.mark.django_db


def paired(world) -> Match:
    queue_join(user=world["learner"])
    return queue_join(user=world["other_learner"])


def reads(func) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as queries:
        result = func()
    return result, len(queries.captured_queries)


def test_a_push_reuses_the_read_of_its_version_for_the_other_player(bank, world):
    match = paired(world)
    mine, _ = reads(lambda: match_state(match, world["learner"]))
    theirs, count = reads(lambda: match_state(match, world["other_learner"],
                                              version=mine["version"]))
    assert count == 0
    assert theirs["version"] == mine["version"]
    assert theirs["you"]["name"] == world["other_learner"].username
    assert mine["you"]["name"] == world["learner"].username


def test_http_reads_always_go_to_the_database(bank, world):
    match = paired(world)
    match_state(match, world["learner"])
    again, count = reads(lambda: match_state(match, world["learner"]))
    assert count > 0


def test_a_push_for_a_newer_version_reads_again_and_sees_the_change(bank, world):
    match = paired(world)
    before = match_state(match, world["learner"])
    match_answer(match=match, user=world["other_learner"], number=1,
                 keys=keys(current_round(match)))
    match.refresh_from_db()
    assert match.version > before["version"]
    after, count = reads(lambda: match_state(match, world["learner"], version=match.version))
    assert count > 0
    assert after["version"] == match.version and after["opponent"]["answered"] is True
    # The player who answered sees their own answer from the same read, and no key leaks to
    # the other while the round is open.
    theirs, count = reads(lambda: match_state(match, world["other_learner"],
                                              version=match.version))
    assert count == 0 and theirs["round"]["you_answered"] is True
    assert after["round"]["result"] is None and theirs["round"]["result"] is None


def test_an_old_read_is_not_reused(bank, world, monkeypatch):
    match = paired(world)
    state = match_state(match, world["learner"])
    monkeypatch.setattr(selectors, "SNAPSHOT_REUSE_SECONDS", 0.0)
    _, count = reads(lambda: match_state(match, world["learner"], version=state["version"]))
    assert count > 0
