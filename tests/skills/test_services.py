from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from apps.skills import elo
from apps.skills.models import (
    AnswerEvent,
    DailyActivity,
    QuestionSkill,
    ReviewCard,
    SkillEstimate,
)
from apps.skills.selectors import due_reviews
from tests.factories import UserFactory
from tests.skills.conftest import record

pytestmark = pytest.mark.django_db


def overall(user) -> SkillEstimate:
    return SkillEstimate.objects.get(user=user, kind="overall")


def test_it_converges_strong_above_weak_and_hard_above_easy(versions):
    """Simulated learners of known ability answer every question once; answers are drawn
    from the same logistic model with true difficulties that contradict the author's: the
    author's easiest question is truly the hardest."""
    rng = random.Random(5)
    easy_by_author = versions["serialization-fixture-reduce"]        # author: 1
    hard_by_author = versions["pipeline-integrity-fixture-slsa"]    # author: 3
    truth = {v.pk: 0.0 for v in versions.values()}
    truth[easy_by_author.pk] = 2.5    # truly hard
    truth[hard_by_author.pk] = -2.5   # truly easy
    abilities = [-2.0 + 4.0 * i / 39 for i in range(40)]
    learners = [UserFactory(username=f"sim{i}") for i in range(len(abilities))]
    for user, ability in zip(learners, abilities, strict=True):
        for version in versions.values():
            record(user, version, rng.random() < elo.expected(ability, truth[version.pk]))
    weak, strong = learners[0], learners[-1]
    assert overall(strong).theta > overall(weak).theta
    assert overall(strong).answers == len(versions)
    calibrated = {qs.question_id: qs.difficulty for qs in QuestionSkill.objects.all()}
    assert calibrated[easy_by_author.question_id] > calibrated[hard_by_author.question_id]
    assert QuestionSkill.objects.get(question_id=easy_by_author.question_id).answers == 40


def test_it_updates_topic_and_resource_estimates(world, versions):
    version = versions["hub-risks-fixture-defences"]
    record(world["learner"], version, True)
    kinds = sorted(SkillEstimate.objects.filter(user=world["learner"])
                   .values_list("kind", flat=True))
    topics = version.topics.count()
    resources = version.citations.count()
    assert kinds == sorted(["overall"] + ["topic"] * topics + ["resource"] * resources)
    assert all(e.theta > 0 and e.answers == 1 and e.correct == 1
               for e in SkillEstimate.objects.filter(user=world["learner"]))


def test_it_counts_only_the_first_answer_for_calibration(world, versions):
    version = versions["signing-attestation-fixture-rekor"]
    first = record(world["learner"], version, False)
    theta = overall(world["learner"]).theta
    difficulty = QuestionSkill.objects.get(question_id=version.question_id).difficulty
    retry = record(world["learner"], version, True)
    assert first.first and not retry.first
    assert retry.predicted is None
    assert overall(world["learner"]).theta == theta
    assert overall(world["learner"]).answers == 1
    skill = QuestionSkill.objects.get(question_id=version.question_id)
    assert (skill.difficulty, skill.answers) == (difficulty, 1)
    # Every answer still counts for the learner's own activity and review schedule.
    assert DailyActivity.objects.get(user=world["learner"]).answers == 2
    assert ReviewCard.objects.get(user=world["learner"]).reviews == 2


def test_it_records_a_play_record_once(world, versions):
    version = versions["ml-threats-fixture-owasp-ids"]
    assert record(world["learner"], version, True, key="quiz:1") is not None
    assert record(world["learner"], version, True, key="quiz:1") is None
    assert AnswerEvent.objects.count() == 1
    assert overall(world["learner"]).answers == 1
    assert DailyActivity.objects.get(user=world["learner"]).answers == 1


def test_it_starts_from_the_authors_difficulty(world, versions):
    record(world["learner"], versions["pipeline-integrity-fixture-slsa"], True)
    event = AnswerEvent.objects.get()
    assert event.predicted == pytest.approx(elo.expected(0.0, elo.prior(3)))


def test_it_counts_the_day_in_the_learners_time_zone(world, versions):
    profile = world["learner"].profile
    profile.timezone = "Pacific/Auckland"
    profile.save()
    at = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # 2 March in Auckland
    record(world["learner"], versions["ml-threats-fixture-owasp-ids"], True, at=at)
    assert DailyActivity.objects.get(user=world["learner"]).day.isoformat() == "2026-03-02"


def test_fsrs_brings_a_missed_question_back(world, versions):
    version = versions["ml-threats-fixture-owasp-ids"]
    now = timezone.now()
    record(world["learner"], version, False, at=now)
    card = ReviewCard.objects.get(user=world["learner"])
    assert card.lapses == 1
    assert now < card.due <= now + timedelta(minutes=10)
    assert not due_reviews(world["learner"], now + timedelta(minutes=1)).exists()
    assert list(due_reviews(world["learner"], now + timedelta(minutes=11))) == [card]
    # Answered right on review, it moves out by days, not minutes.
    later = now + timedelta(minutes=11)
    record(world["learner"], version, True, at=later)
    card.refresh_from_db()
    assert card.due >= later + timedelta(days=1)
    assert not due_reviews(world["learner"], later + timedelta(hours=1)).exists()


def test_a_slow_right_answer_comes_back_and_a_quick_one_does_not(world, versions):
    record(world["learner"], versions["ml-threats-fixture-owasp-ids"], True, elapsed_ms=15000,
           limit_ms=20000)
    record(world["learner"], versions["signing-attestation-fixture-rekor"], True,
           elapsed_ms=3000, limit_ms=20000)
    assert list(ReviewCard.objects.values_list("question__slug", flat=True)) == [
        "ml-threats-fixture-owasp-ids"]


def test_a_timeout_counts_as_a_wrong_answer(world, versions):
    event = record(world["learner"], versions["ml-threats-fixture-owasp-ids"], False,
                   elapsed_ms=None, timed_out=True)
    assert event.first and event.timed_out
    assert overall(world["learner"]).theta < 0
    assert ReviewCard.objects.filter(user=world["learner"]).exists()
