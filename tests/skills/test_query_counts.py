"""Query counts of the skill pages (issue 13): constant, whatever the learner's history.
Counted as production runs them (tests/querycount.py); today's counts, measured."""

from __future__ import annotations

import pytest

from tests.querycount import Counted, api_client

pytestmark = pytest.mark.django_db
DASHBOARD, LEADERBOARD_PAGE, MY_SKILLS, LEADERBOARD = 13, 7, 6, 2


@pytest.mark.parametrize(("url", "limit", "api"), [
    ("/skills/", DASHBOARD, False),
    ("/skills/leaderboards/", LEADERBOARD_PAGE, False),
    ("/api/v1/me/skills/", MY_SKILLS, True),
    ("/api/v1/leaderboards/rating/", LEADERBOARD, True),
])
def test_a_skill_page(client, world, small_bank, url, limit, api):
    if api:
        client = api_client(world["learner"])
    else:
        client.force_login(world["learner"])
        client.get("/")  # the session's first request stores its time zone
    client.get(url)
    with Counted() as page:
        assert client.get(url).status_code == 200
    assert len(page) <= limit, page.statements
