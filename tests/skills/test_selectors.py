from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.http import Http404

from apps.matches.models import Match, Rating, RatingChange
from apps.skills import selectors
from apps.skills.models import DailyActivity, LeaderboardPreference, QuestionSkill, SkillEstimate
from apps.skills.services import leaderboard_preference_set, skill_stats_refresh
from tests.factories import UserFactory
from tests.skills.conftest import record

pytestmark = pytest.mark.django_db


def test_it_reports_mastery_with_uncertainty_evidence_and_percentile(world, versions):
    version = versions["ml-threats-fixture-owasp-ids"]
    record(world["learner"], version, True)
    record(world["other_learner"], version, False)
    skill_stats_refresh()  # percentiles are as of the last refresh
    summary = selectors.skill_summary(world["learner"])
    topic = next(t for t in summary["topics"] if t["slug"] == "ml-threats")
    assert topic["evidence"] == 1 and topic["mastery"] > 50
    assert 0 < topic["uncertainty"] < 50
    assert topic["percentile"] == 50  # ahead of the other learner, one of two
    untouched = next(t for t in summary["topics"] if t["slug"] == "pipeline-integrity")
    assert untouched["evidence"] == 0 and untouched["percentile"] is None
    assert summary["strongest"][0]["slug"] == "ml-threats"
    theirs = selectors.skill_summary(world["other_learner"])
    assert next(t for t in theirs["topics"] if t["slug"] == "ml-threats")["percentile"] == 0


def test_it_counts_a_streak_in_the_learners_time_zone(world):
    profile = world["learner"].profile
    profile.timezone = "America/Los_Angeles"
    profile.save()
    for day in (date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3), date(2026, 2, 27)):
        DailyActivity.objects.create(user=world["learner"], day=day, answers=2, correct=1)
    # 06:00 UTC on 4 March is still 3 March in Los Angeles: three days in a row.
    assert selectors.history(world["learner"],
                             datetime(2026, 3, 4, 6, 0, tzinfo=UTC))["streak"] == 3
    # Late on 4 March in Los Angeles, yesterday still counts.
    assert selectors.history(world["learner"],
                             datetime(2026, 3, 5, 6, 0, tzinfo=UTC))["streak"] == 3
    # A full day without answers breaks it.
    assert selectors.history(world["learner"],
                             datetime(2026, 3, 6, 6, 0, tzinfo=UTC))["streak"] == 0


def test_weeks_start_on_monday_midnight_utc():
    assert selectors.week_start(datetime(2026, 11, 26, 1, 0, tzinfo=UTC)) == datetime(
        2026, 11, 23, tzinfo=UTC)
    assert selectors.week_start(datetime(2026, 11, 23, 0, 0, tzinfo=UTC)) == datetime(
        2026, 11, 23, tzinfo=UTC)


def _rated(user, mu, gains):
    Rating.objects.create(user=user, mu=mu, sigma=5, games=len(gains))
    for when, gain in gains:
        match = Match.objects.create(kind="ranked", ranked=True, state="finished")
        change = RatingChange.objects.create(match=match, user=user, mu_before=25,
                                             sigma_before=5, mu_after=25, sigma_after=5,
                                             display_before=1500, display_after=1500 + gain)
        RatingChange.objects.filter(pk=change.pk).update(created_at=when)


def test_rating_leaderboards_all_time_and_this_week(world):
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    _rated(world["learner"], 30, [(now - timedelta(days=10), 200), (now, 10)])
    _rated(world["other_learner"], 27, [(now - timedelta(hours=1), 50)])
    board = selectors.leaderboard(kind="rating", viewer=world["learner"], now=now)
    assert [(r["name"], r["is_you"]) for r in board["rows"]] == [("learner", True),
                                                                   ("other", False)]
    week = selectors.leaderboard(kind="rating-week", viewer=world["learner"], now=now)
    assert [(r["name"], r["value"]) for r in week["rows"]] == [("other", 50), ("learner", 10)]


def test_an_opted_out_learner_is_ranked_without_a_name(world):
    _rated(world["learner"], 30, [(datetime(2026, 1, 1, tzinfo=UTC), 5)])
    leaderboard_preference_set(user=world["learner"], hide_name=True)
    seen_by_other = selectors.leaderboard(kind="rating", viewer=world["other_learner"])
    assert seen_by_other["rows"][0]["name"] == selectors.HIDDEN_NAME
    assert "'learner'" not in str(seen_by_other)
    seen_by_self = selectors.leaderboard(kind="rating", viewer=world["learner"])
    assert seen_by_self["rows"][0]["name"] == "learner"
    assert LeaderboardPreference.objects.get(user=world["learner"]).hide_name


def test_topic_leaderboard_needs_evidence_and_refuses_unknown_kinds(world, versions):
    topic_id = versions["ml-threats-fixture-owasp-ids"].main_topic_id
    SkillEstimate.objects.create(user=world["learner"], kind="topic", ref=topic_id, theta=1,
                                 answers=selectors.LEADERBOARD_MIN_ANSWERS)
    SkillEstimate.objects.create(user=world["other_learner"], kind="topic", ref=topic_id,
                                 theta=3, answers=1)
    board = selectors.leaderboard(kind="topic-ml-threats", viewer=world["other_learner"])
    assert [r["name"] for r in board["rows"]] == ["learner"]
    for kind in ("topic-nope", "elo", ""):
        with pytest.raises(Http404):
            selectors.leaderboard(kind=kind, viewer=world["learner"])


def test_calibration_lists_the_biggest_disagreements(versions):
    easy = versions["serialization-fixture-reduce"]  # author 1
    QuestionSkill.objects.create(question_id=easy.question_id, difficulty=1.0, answers=30,
                                 correct=6)
    QuestionSkill.objects.create(question_id=versions["ml-threats-fixture-owasp-ids"]
                                 .question_id, difficulty=-0.8, answers=30, correct=20)
    QuestionSkill.objects.create(question_id=versions["pipeline-integrity-fixture-slsa"]
                                 .question_id, difficulty=-2.0, answers=2, correct=2)
    report = selectors.calibration_report()
    assert [q["slug"] for q in report["disagree"]] == [
        "serialization-fixture-reduce", "ml-threats-fixture-owasp-ids"]
    assert report["disagree"][0]["calibrated"] == 3.0 and report["disagree"][0]["gap"] == 2.0
    assert len(report["questions"]) == len(versions)


def test_many_learners_do_not_add_queries(world, versions, django_assert_num_queries):
    """The summary's query count does not grow with learners or topics touched."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    record(world["learner"], versions["ml-threats-fixture-owasp-ids"], True)
    skill_stats_refresh()
    with CaptureQueriesContext(connection) as few:
        selectors.skill_summary(world["learner"])
    for i in range(15):
        user = UserFactory(username=f"crowd{i}")
        for version in versions.values():
            record(user, version, i % 2 == 0)
    for version in versions.values():
        record(world["learner"], version, True)
    skill_stats_refresh()
    with CaptureQueriesContext(connection) as many:
        selectors.skill_summary(world["learner"])
    # estimates with their percentile cuts, aggregates, topics, resources
    assert len(many) == len(few) == 4
