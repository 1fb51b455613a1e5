from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.bank.models import Question
from apps.quiz.models import AttemptQuestion, QuizAttempt
from apps.quiz.services import (
    QuizError,
    QuizSpec,
    quiz_answer,
    quiz_next,
    quiz_refresh,
    quiz_retry_missed,
    quiz_start,
)
from tests.quiz.conftest import current, key_of

pytestmark = pytest.mark.django_db


def test_it_starts_with_the_first_question_open_and_shuffled_opaque_keys(quiz_for, world):
    attempt = quiz_for(world["learner"])
    questions = list(attempt.questions.all())
    assert len(questions) == 5
    assert [q.state for q in questions] == ["open"] + ["pending"] * 4
    first = questions[0]
    assert first.deadline - first.sent_at == timedelta(seconds=20)
    keys = [k for q in questions for k in q.choice_keys]
    assert len(set(keys)) == len(keys)
    assert all(len(k) >= 10 and not k.isdigit() for k in keys)


def test_it_draws_only_published_questions_of_the_focus(small_bank, world):
    Question.objects.filter(slug="serialization-fixture-reduce").update(status="retired")
    with pytest.raises(QuizError, match="No published questions"):
        quiz_start(user=world["learner"], spec=QuizSpec(count=5, topic="dataset-poisoning"))
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5, topic="serialization"))
    slugs = {aq.version.question.slug for aq in attempt.questions.all()}
    assert slugs == {"serialization-fixture-safetensors-code"}


@pytest.mark.parametrize("spec", [QuizSpec(count=4), QuizSpec(count=31), QuizSpec(seconds=9),
                                  QuizSpec(seconds=61), QuizSpec(mode="blitz"),
                                  QuizSpec(difficulty=4)])
def test_it_refuses_out_of_range_settings(small_bank, world, spec):
    with pytest.raises(QuizError):
        quiz_start(user=world["learner"], spec=spec)


def test_extended_time_stretches_the_deadline(small_bank, world):
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5, seconds=20),
                         time_factor=1.5)
    first = attempt.questions.get(number=1)
    assert first.deadline - first.sent_at == timedelta(seconds=30)


def test_a_correct_answer_scores_by_time_and_streak(quiz_for, world):
    attempt = quiz_for(world["learner"])
    for expected_streak in (1, 2):
        aq = current(attempt)
        AttemptQuestion.objects.filter(pk=aq.pk).update(
            sent_at=timezone.now() - timedelta(seconds=5))
        outcome = quiz_answer(attempt=attempt, number=aq.number, keys=key_of(aq))
        assert outcome.kind == "accepted"
        assert outcome.question.is_correct
        bonus = 100 * (expected_streak - 1)
        assert 874 + bonus <= outcome.question.points <= 875 + bonus
        quiz_next(attempt=attempt, number=aq.number)
    attempt.refresh_from_db()
    assert attempt.streak == 2


def test_a_wrong_answer_scores_zero_and_resets_the_streak(quiz_for, world):
    attempt = quiz_for(world["learner"])
    aq = current(attempt)
    quiz_answer(attempt=attempt, number=1, keys=key_of(aq))
    quiz_next(attempt=attempt, number=1)
    aq = current(attempt)
    outcome = quiz_answer(attempt=attempt, number=2, keys=key_of(aq, correct=False)[:1])
    assert outcome.question.points == 0 and outcome.question.is_correct is False
    attempt.refresh_from_db()
    assert attempt.streak == 0


def test_multiple_questions_are_all_or_nothing(small_bank, world):
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5, topic="ml-threats"))
    aq = current(attempt)
    assert aq.version.type == "multiple"
    partial = quiz_answer(attempt=attempt, number=1, keys=key_of(aq)[:1])
    assert partial.question.is_correct is False


def test_the_same_answer_twice_returns_the_first_result(quiz_for, world):
    attempt = quiz_for(world["learner"])
    aq = current(attempt)
    first = quiz_answer(attempt=attempt, number=1, keys=key_of(aq))
    again = quiz_answer(attempt=attempt, number=1, keys=key_of(aq))
    assert (first.kind, again.kind) == ("accepted", "repeat")
    assert again.question.points == first.question.points
    attempt.refresh_from_db()
    assert attempt.score == first.question.points


def test_a_different_second_answer_is_a_conflict_and_changes_nothing(quiz_for, world):
    attempt = quiz_for(world["learner"])
    aq = current(attempt)
    first = quiz_answer(attempt=attempt, number=1, keys=key_of(aq, correct=False)[:1])
    second = quiz_answer(attempt=attempt, number=1, keys=key_of(aq))
    assert second.kind == "conflict"
    attempt.refresh_from_db()
    assert attempt.score == first.question.points == 0


def test_an_answer_after_the_deadline_is_refused_and_the_question_missed(quiz_for, world,
                                                                         settings):
    attempt = quiz_for(world["learner"])
    aq = current(attempt)
    AttemptQuestion.objects.filter(pk=aq.pk).update(
        deadline=timezone.now() - timedelta(seconds=settings.QUIZ_GRACE_SECONDS + 0.5))
    outcome = quiz_answer(attempt=attempt, number=1, keys=key_of(aq))
    assert outcome.kind == "late"
    aq.refresh_from_db()
    assert aq.state == "missed" and aq.points == 0
    assert not hasattr(aq, "answer") or aq.answer is None


def test_an_answer_within_the_grace_counts_at_the_slowest_speed(quiz_for, world):
    attempt = quiz_for(world["learner"])
    aq = current(attempt)
    AttemptQuestion.objects.filter(pk=aq.pk).update(
        sent_at=timezone.now() - timedelta(seconds=20.5),
        deadline=timezone.now() - timedelta(seconds=0.5))
    outcome = quiz_answer(attempt=attempt, number=1, keys=key_of(aq))
    assert outcome.kind == "accepted" and outcome.question.points == 500


def test_reading_after_the_deadline_closes_the_question_once(quiz_for, world):
    attempt = quiz_for(world["learner"])
    aq = current(attempt)
    AttemptQuestion.objects.filter(pk=aq.pk).update(deadline=timezone.now() - timedelta(seconds=5))
    quiz_refresh(attempt=attempt)
    quiz_refresh(attempt=attempt)
    aq.refresh_from_db()
    assert aq.state == "missed"
    assert aq.closed_at is not None


def test_next_is_idempotent_and_waits_for_the_question_to_close(quiz_for, world):
    attempt = quiz_for(world["learner"])
    quiz_next(attempt=attempt, number=1)
    assert current(attempt).number == 1  # still open: no skipping ahead
    quiz_answer(attempt=attempt, number=1, keys=key_of(current(attempt)))
    quiz_next(attempt=attempt, number=1)
    quiz_next(attempt=attempt, number=1)  # a second tab
    assert current(attempt).number == 2
    assert attempt.questions.filter(state="open").count() == 1


def test_a_pending_question_cannot_be_answered(quiz_for, world):
    attempt = quiz_for(world["learner"])
    aq = attempt.questions.get(number=2)
    with pytest.raises(QuizError, match="not open yet") as exc:
        quiz_answer(attempt=attempt, number=2, keys=key_of(aq))
    assert exc.value.status == 409


@pytest.mark.parametrize("keys", [[], ["nope"], "abc", [1]])
def test_malformed_picks_are_refused(quiz_for, world, keys):
    attempt = quiz_for(world["learner"])
    with pytest.raises(QuizError) as exc:
        quiz_answer(attempt=attempt, number=1, keys=keys)
    assert exc.value.status == 400
    assert current(attempt).state == "open"


def test_two_picks_on_a_single_question_are_refused(small_bank, world):
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5, topic="pipeline-integrity"))
    aq = current(attempt)
    with pytest.raises(QuizError, match="exactly one"):
        quiz_answer(attempt=attempt, number=1, keys=aq.choice_keys[:2])


def test_finishing_every_question_finishes_the_attempt(quiz_for, world):
    attempt = quiz_for(world["learner"])
    for number in range(1, 6):
        quiz_answer(attempt=attempt, number=number, keys=key_of(current(attempt)))
        quiz_next(attempt=attempt, number=number)
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.FINISHED and attempt.finished_at


def test_retry_missed_builds_a_quiz_of_the_misses(quiz_for, world):
    attempt = quiz_for(world["learner"])
    for number in range(1, 6):
        aq = current(attempt)
        keys = key_of(aq, correct=number != 2)[:1] if aq.version.type != "multiple" or \
            number == 2 else key_of(aq)
        quiz_answer(attempt=attempt, number=number, keys=keys)
        quiz_next(attempt=attempt, number=number)
    missed = set(attempt.questions.exclude(is_correct=True).values_list("version", flat=True))
    retry = quiz_retry_missed(attempt=attempt, user=world["learner"])
    assert set(retry.questions.values_list("version", flat=True)) == missed


def test_an_atlas_focus_draws_only_questions_about_that_technique(world, tmp_path):
    from tests.factories import load_small_bank_with_atlas

    load_small_bank_with_atlas(tmp_path, {"serialization-fixture-reduce": ["AML.T0010.003"],
                                          "hub-risks-fixture-defences": ["AML.T0010.001"]})
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5, atlas="AML.T0010"))
    assert sorted(attempt.questions.values_list("version__question__slug", flat=True)) == [
        "hub-risks-fixture-defences", "serialization-fixture-reduce"]
    assert attempt.focus_label == "ATLAS AML.T0010"


def test_it_refuses_an_atlas_focus_that_is_not_an_atlas_id(world, small_bank):
    with pytest.raises(QuizError, match="Unknown MITRE ATLAS id"):
        quiz_start(user=world["learner"], spec=QuizSpec(count=5, atlas="AML.T9999"))
