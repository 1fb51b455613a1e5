"""Query counts of the match's hot endpoints (issue 13): guards that fail when a query is added.
Counted as production runs them (tests/querycount.py). Today's counts, measured; they include the
answer's own round close check and the state's presence update, and should only go down."""

from __future__ import annotations

import pytest

from apps.matches.services import queue_join
from tests.matches.conftest import current_round, keys
from tests.querycount import Counted, api_client

pytestmark = pytest.mark.django_db
ANSWER, STATE = 13, 11


def test_a_match_answer_and_state(bank, world):
    queue_join(user=world["learner"])
    match = queue_join(user=world["other_learner"])
    me = api_client(world["learner"])
    url = f"/api/v1/matches/{match.public_id}/"
    me.get(url)  # question cards are read once per process
    picked = keys(current_round(match))
    with Counted() as answer:
        response = me.post(url + "answers/", {"round": 1, "choices": picked}, format="json")
    assert response.status_code == 200, response.content
    assert len(answer) <= ANSWER, answer.statements
    with Counted() as state:
        assert me.get(url).status_code == 200
    assert len(state) <= STATE, state.statements
