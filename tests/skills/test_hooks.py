"""The play services hand every signed-in human's answer (and timeout) to skill tracking."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from apps.matches.models import RoundAnswer
from apps.matches.services import bot_answer, bot_match_create, match_advance, match_answer
from apps.quiz.models import AttemptQuestion
from apps.quiz.services import QuizSpec, quiz_answer, quiz_refresh, quiz_start
from apps.skills.models import AnswerEvent, ReviewCard, SkillEstimate
from tests.matches.conftest import current_round, expire_round, keys
from tests.quiz.conftest import current, key_of
from tests.worker import wait_for


@pytest.mark.django_db
def test_a_quiz_answer_is_recorded_for_a_signed_in_learner(small_bank, world, run_hooks):
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
    aq = current(attempt)
    quiz_answer(attempt=attempt, number=1, keys=key_of(aq))
    assert run_hooks() == ["skills.record_answers"]
    event = AnswerEvent.objects.get()
    assert (event.user, event.source_key, event.is_correct, event.first) == (
        world["learner"], f"quiz:{aq.pk}", True, True)
    assert event.elapsed_ms is not None
    # A repeated answer is not a new answer.
    quiz_answer(attempt=attempt, number=1, keys=key_of(aq))
    assert run_hooks() == []


@pytest.mark.django_db
def test_an_anonymous_quiz_teaches_nothing(small_bank, run_hooks):
    attempt = quiz_start(user=None, spec=QuizSpec(count=5))
    quiz_answer(attempt=attempt, number=1, keys=key_of(current(attempt)))
    assert run_hooks() == []
    assert not AnswerEvent.objects.exists()


@pytest.mark.django_db
def test_a_timed_out_quiz_question_counts_as_wrong(small_bank, world, run_hooks):
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
    AttemptQuestion.objects.filter(attempt=attempt, number=1).update(
        deadline=timezone.now() - timedelta(minutes=5))
    quiz_refresh(attempt=attempt)
    assert run_hooks() == ["skills.record_answers"]
    event = AnswerEvent.objects.get()
    assert event.timed_out and not event.is_correct and event.first
    assert ReviewCard.objects.filter(user=world["learner"]).count() == 1
    assert SkillEstimate.objects.get(user=world["learner"], kind="overall").theta < 0


@pytest.mark.django_db
def test_a_match_records_the_human_and_never_the_bot(small_bank, world, run_hooks, settings):
    settings.MATCH_ROUNDS = 3
    match = bot_match_create(user=world["learner"], level=5)
    rnd = current_round(match)
    bot_answer(match_id=match.pk, number=1)
    match_answer(match=match, user=world["learner"], number=1, keys=keys(rnd))
    # One task per round, sent when the round closes (here: both have answered).
    assert run_hooks() == ["skills.record_answers"]
    assert list(AnswerEvent.objects.values_list("user__username", "is_correct")) == [
        ("learner", True)]
    assert RoundAnswer.objects.filter(round=rnd).count() == 2
    # A retried task records nothing twice.
    from apps.skills.tasks import record_answers_task

    facts = [{"source_key": f"match:{rnd.pk}:{p.pk}", "user_id": p.user_id,
              "version_id": rnd.version_id, "is_correct": True, "timed_out": False,
              "elapsed_ms": 1000, "limit_ms": 20_000, "answered_at": "2026-12-05T10:00:00+00:00"}
             for p in match.players.filter(is_bot=False)]
    assert record_answers_task(facts) == 0
    assert AnswerEvent.objects.count() == 1


@pytest.mark.django_db
def test_an_answer_in_a_round_cut_short_by_a_claim_still_counts(small_bank, world, run_hooks,
                                                                settings):
    from apps.matches.services import match_claim, queue_join

    settings.MATCH_ROUNDS = 3
    queue_join(user=world["learner"])
    match = queue_join(user=world["other_learner"])
    match_answer(match=match, user=world["learner"], number=1, keys=keys(current_round(match)))
    assert run_hooks() == []  # the round is still open: nothing yet
    match.players.filter(user=world["other_learner"]).update(
        last_seen_at=timezone.now() - timedelta(seconds=settings.MATCH_CLAIM_AFTER_SECONDS + 1),
        connections=0)
    match_claim(match=match, user=world["learner"])
    assert run_hooks() == ["skills.record_answers"]
    assert list(AnswerEvent.objects.values_list("user__username", "is_correct",
                                                "timed_out")) == [("learner", True, False)]


@pytest.mark.django_db
def test_a_match_round_the_human_let_time_out_counts_as_wrong(small_bank, world, run_hooks,
                                                              settings):
    settings.MATCH_ROUNDS = 3
    match = bot_match_create(user=world["learner"], level=5)
    bot_answer(match_id=match.pk, number=1)
    expire_round(match)
    match_advance(match_id=match.pk)
    assert current_round(match).state == "closed"
    assert run_hooks() == ["skills.record_answers"]
    event = AnswerEvent.objects.get()
    assert (event.user, event.timed_out, event.is_correct) == (world["learner"], True, False)


@pytest.mark.django_db(transaction=True)
def test_it_records_off_the_request_path_after_commit(small_bank, world):
    """The embedded default: the real enqueue runs the task in-process once the answer commits."""
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
    with transaction.atomic():
        quiz_answer(attempt=attempt, number=1, keys=key_of(current(attempt)))
        assert not AnswerEvent.objects.exists()
    assert wait_for(lambda: AnswerEvent.objects.exists(), timeout=10)


@pytest.mark.django_db
def test_a_quiz_claimed_at_sign_up_feeds_skills_streak_and_reviews(small_bank, world,
                                                                    run_hooks):
    """Review: a quiz played anonymously and claimed at sign-up showed in history but not in
    skills, streak or the review queue, although the results page promises it."""
    from apps.quiz.services import quiz_claim, quiz_next
    from apps.skills.models import DailyActivity

    attempt = quiz_start(user=None, spec=QuizSpec(count=5))
    quiz_answer(attempt=attempt, number=1, keys=key_of(current(attempt)))
    quiz_next(attempt=attempt, number=1)
    quiz_answer(attempt=attempt, number=2, keys=key_of(current(attempt), correct=False)[:1])
    assert run_hooks() == []  # a visitor's answers are not tracked
    assert quiz_claim(user=world["learner"], public_ids=[str(attempt.public_id)]) == 1
    assert run_hooks() == ["skills.record_answers"]
    events = AnswerEvent.objects.filter(user=world["learner"]).order_by("source_key")
    assert sorted(e.is_correct for e in events) == [False, True]
    assert all(e.source_key.startswith("quiz:") and e.first for e in events)
    assert DailyActivity.objects.filter(user=world["learner"]).exists()
    assert ReviewCard.objects.filter(user=world["learner"]).count() == 1  # the one missed
    # Claiming again finds nothing to claim and records nothing twice.
    assert quiz_claim(user=world["learner"], public_ids=[str(attempt.public_id)]) == 0
    assert run_hooks() == []
