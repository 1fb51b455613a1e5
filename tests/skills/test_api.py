from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.skills.conftest import record

pytestmark = pytest.mark.django_db


def test_it_returns_my_skills(client, world, versions):
    record(world["learner"], versions["ml-threats-fixture-owasp-ids"], True)
    client.force_login(world["learner"])
    body = client.get("/api/v1/me/skills/").json()
    assert body["overall"]["evidence"] == 1
    topic = next(t for t in body["topics"] if t["slug"] == "ml-threats")
    assert set(topic) == {"name", "slug", "mastery", "uncertainty", "evidence", "correct",
                          "percentile"}
    assert body["due_reviews"] == 0


def test_it_returns_my_history(client, world, versions):
    record(world["learner"], versions["ml-threats-fixture-owasp-ids"], True)
    client.force_login(world["learner"])
    body = client.get("/api/v1/me/history/").json()
    assert body["streak"] == 1
    assert [a["accuracy"] for a in body["accuracy"]] == [100]
    assert body["rating"] == []


def test_my_review_lists_due_questions_without_their_key(client, world, versions):
    record(world["learner"], versions["ml-threats-fixture-owasp-ids"], False,
           at=timezone.now() - timedelta(hours=1))
    client.force_login(world["learner"])
    [row] = client.get("/api/v1/me/review/").json()
    assert row["question"] == "ml-threats-fixture-owasp-ids" and row["lapses"] == 1
    assert set(row) == {"question", "topic", "stem", "due", "reviews", "lapses"}


def test_the_api_refuses_visitors(client):
    for url in ("/api/v1/me/skills/", "/api/v1/me/history/", "/api/v1/me/review/",
                "/api/v1/leaderboards/rating/"):
        assert client.get(url).status_code == 401
