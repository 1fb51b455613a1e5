from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.quiz.models import QuizAttempt
from apps.skills.models import LeaderboardPreference, ReviewCard
from tests.factories import UserFactory
from tests.skills.conftest import record

pytestmark = pytest.mark.django_db


def test_it_shows_the_dashboard_with_charts_and_tables(client, world, versions):
    answered = timezone.now() - timedelta(hours=1)  # yesterday in the first hour of a day
    record(world["learner"], versions["ml-threats-fixture-owasp-ids"], True, at=answered)
    record(world["learner"], versions["signing-attestation-fixture-rekor"], False, at=answered)
    client.force_login(world["learner"])
    response = client.get("/skills/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-chart="topics-chart"' in html and 'data-chart="resources-chart"' in html
    assert 'data-chart="accuracy-chart"' in html
    assert "How your skills stack up, per topic" in html
    # One chart per question a learner asks; the tables sit behind the charts.
    assert "Where am I weak? By topic" in html and "Am I improving?" in html
    assert '<details class="chart-table"><summary>Every topic as a table</summary>' in html
    day = timezone.localdate(answered).strftime("%Y-%m-%d")
    assert f'class="x-label">{day}</text>' in html  # the accuracy chart's dates on its axis
    assert '<strong class="due-count">1</strong>' in html
    assert '<strong class="streak">1</strong>' in html
    assert "<script" not in html.split("</head>")[1]


def test_review_now_starts_a_quiz_of_the_due_questions(client, world, versions):
    version = versions["ml-threats-fixture-owasp-ids"]
    record(world["learner"], version, False, at=timezone.now() - timedelta(hours=1))
    client.force_login(world["learner"])
    response = client.post("/skills/review/")
    attempt = QuizAttempt.objects.get(user=world["learner"])
    assert response.status_code == 302 and response.url == f"/quiz/{attempt.public_id}/"
    assert [q.version_id for q in attempt.questions.all()] == [version.pk]
    assert attempt.focus_label == "Review of due questions"


def test_review_now_with_nothing_due_explains_and_starts_nothing(client, world, versions):
    record(world["learner"], versions["ml-threats-fixture-owasp-ids"], False)  # due in 10 min
    client.force_login(world["learner"])
    response = client.post("/skills/review/", follow=True)
    assert "Nothing is due for review." in response.content.decode()
    assert not QuizAttempt.objects.exists()
    assert client.get("/skills/review/").status_code == 405


def test_another_learners_cards_never_enter_my_review(client, world, versions):
    record(world["other_learner"], versions["ml-threats-fixture-owasp-ids"], False,
           at=timezone.now() - timedelta(hours=1))
    client.force_login(world["learner"])
    client.post("/skills/review/")
    assert not QuizAttempt.objects.exists()
    assert client.get("/api/v1/me/review/").json() == []


def test_a_learner_can_hide_and_show_their_name(client, world):
    client.force_login(world["learner"])
    client.post("/skills/privacy/", {"hide_name": "on"})
    assert LeaderboardPreference.objects.get(user=world["learner"]).hide_name
    client.post("/skills/privacy/", {"hide_name": "off"})
    assert not LeaderboardPreference.objects.get(user=world["learner"]).hide_name
    response = client.post("/skills/privacy/", {"hide_name": "maybe"}, follow=True)
    assert "Choose whether to show your name" in response.content.decode()
    assert not LeaderboardPreference.objects.get(user=world["learner"]).hide_name


def test_unknown_leaderboards_are_404(client, world, versions):
    client.force_login(world["learner"])
    assert client.get("/skills/leaderboards/?kind=nope").status_code == 404
    assert client.get("/api/v1/leaderboards/nope/").status_code == 404
    assert client.get("/skills/leaderboards/?kind=topic-ml-threats").status_code == 200


def test_calibration_is_for_instructors_only(client, world, versions):
    for role, status in (("learner", 404), ("instructor", 200), ("staff", 200)):
        client.force_login(world[role])
        assert client.get("/skills/calibration/").status_code == status
    client.logout()
    assert client.get("/skills/calibration/").status_code == 404


def _crowd(versions, n):
    for i in range(n):
        user = UserFactory(username=f"crowd{n}-{i}")
        for version in versions.values():
            record(user, version, i % 3 != 0, at=timezone.now() - timedelta(days=i))


@pytest.mark.parametrize("url", ["/skills/", "/skills/leaderboards/?kind=topic-ml-threats",
                                 "/skills/leaderboards/?kind=rating-week",
                                 "/api/v1/me/skills/", "/api/v1/me/history/",
                                 "/api/v1/me/review/", "/api/v1/leaderboards/rating/"])
def test_pages_run_a_constant_number_of_queries(client, world, versions, url):
    client.force_login(world["learner"])
    client.get("/")  # the session's first request stores the learner's time zone in it
    for version in list(versions.values())[:2]:
        record(world["learner"], version, False, at=timezone.now() - timedelta(hours=1))
    _crowd(versions, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _crowd(versions, 12)
    for version in versions.values():
        record(world["learner"], version, False, at=timezone.now() - timedelta(days=2))
    assert ReviewCard.objects.filter(user=world["learner"]).count() == len(versions)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_dashboards_adaptive_button_starts_an_adaptive_quiz(client, world, versions):
    client.force_login(world["learner"])
    assert 'value="adaptive"' in client.get("/skills/").content.decode()
    response = client.post("/quiz/new/", {"count": 5, "seconds": 20, "mode": "accuracy",
                                          "focus": "adaptive"})
    attempt = QuizAttempt.objects.get(user=world["learner"])
    assert response.status_code == 302 and attempt.focus_label == "adaptive"
    assert attempt.questions.count() == 5


def test_a_new_learner_sees_an_empty_state_not_invented_figures(client, world, versions):
    """Review: a new user's dashboard showed "50% ± 23%" and topics at 37-62% from 0 answers."""
    client.force_login(world["learner"])
    html = client.get("/skills/").content.decode()
    assert 'data-testid="no-evidence"' in html and "Start a quiz" in html
    assert "± " not in html and 'data-chart="topics-chart"' not in html
    record(world["learner"], versions["ml-threats-fixture-owasp-ids"], True,
           at=timezone.now() - timedelta(hours=1))
    html = client.get("/skills/").content.decode()
    assert 'data-testid="no-evidence"' not in html and "± " in html
    # Topics without answers say so instead of showing the prior as a figure.
    assert "no answers yet" in html
