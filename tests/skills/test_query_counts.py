"""Query counts of the skill pages (issue 13): constant, whatever the learner's history or the
number of learners. Counted as production runs them (tests/querycount.py), in the steady state:
the learner has answers in several topics and the precomputed tables have been refreshed."""

from __future__ import annotations

import pytest

from apps.skills.services import skill_stats_refresh
from tests.factories import UserFactory
from tests.querycount import Counted, api_client
from tests.skills.conftest import record

pytestmark = pytest.mark.django_db
# The dashboard's 12 include the two permission reads of the base template.
DASHBOARD, LEADERBOARD_PAGE, MY_SKILLS, LEADERBOARD, TOPIC_LEADERBOARD = 12, 7, 6, 2, 3
WEEK_PAGE = LEADERBOARD_PAGE + 1  # the week's gains, then their learners
URLS = [
    ("/skills/", DASHBOARD, False),
    ("/skills/leaderboards/", LEADERBOARD_PAGE, False),
    ("/skills/leaderboards/?kind=topic-ml-threats", LEADERBOARD_PAGE, False),
    ("/skills/leaderboards/?kind=rating-week", WEEK_PAGE, False),
    ("/api/v1/me/skills/", MY_SKILLS, True),
    ("/api/v1/leaderboards/rating/", LEADERBOARD, True),
    ("/api/v1/leaderboards/topic-ml-threats/", TOPIC_LEADERBOARD, True),
]


def _count(client, world, url, api) -> Counted:
    if api:
        client = api_client(world["learner"])
    else:
        client.force_login(world["learner"])
        client.get("/")  # the session's first request stores its time zone
    client.get(url)
    with Counted() as page:
        assert client.get(url).status_code == 200
    return page


@pytest.mark.parametrize(("url", "limit", "api"), URLS)
def test_a_skill_page(client, world, versions, url, limit, api):
    for i, version in enumerate(versions.values()):
        record(world["learner"], version, i % 2 == 0)
        record(world["other_learner"], version, i % 3 == 0)
    skill_stats_refresh()
    page = _count(client, world, url, api)
    assert len(page) <= limit, page.statements


@pytest.mark.parametrize(("url", "limit", "api"), URLS)
def test_more_learners_and_answers_add_no_query(client, world, versions, url, limit, api):
    record(world["learner"], next(iter(versions.values())), True)
    skill_stats_refresh()
    few = len(_count(client, world, url, api))
    for user in [world["other_learner"], *UserFactory.create_batch(3)]:
        for i, version in enumerate(versions.values()):
            record(user, version, i % 2 == 0)
    for i, version in enumerate(versions.values()):
        record(world["learner"], version, i % 2 == 1)
    skill_stats_refresh()
    assert len(_count(client, world, url, api)) == few
