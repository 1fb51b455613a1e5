"""No path shows the key of a question that another attempt or match of the same learner still
has to play (audit item 1: retrying an unfinished assignment revealed its keys).

Two rules close the class (apps.core.holds): a new attempt or match never includes a question the
learner has in an active attempt or unfinished match; a finished attempt or match withholds the
key of any question the learner has in play elsewhere.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.cohorts import services as cohorts
from apps.cohorts.services import CohortError
from apps.matches.models import Match, Round
from apps.matches.selectors import match_state
from apps.matches.services import bot_match_create
from apps.quiz.models import QuizAttempt
from apps.quiz.services import (
    QuizError,
    QuizSpec,
    quiz_answer,
    quiz_next,
    quiz_retry_missed,
    quiz_start,
)
from tests.quiz.conftest import key_of
from tests.quiz.keyleak import assert_no_key_leak

pytestmark = pytest.mark.django_db
FIXED = ["serialization-fixture-reduce", "hub-risks-fixture-defences"]


def _pick(aq, correct: bool) -> list[str]:
    keys = key_of(aq, correct=correct)
    return keys if correct else keys[:1]


def _slugs(attempt) -> set[str]:
    return set(attempt.questions.values_list("version__question__slug", flat=True))


def _play_through(attempt, *, correct=False):
    for aq in attempt.questions.order_by("number").select_related("version"):
        if aq.number > 1:
            quiz_next(attempt=attempt, number=aq.number - 1)
        quiz_answer(attempt=attempt, number=aq.number, keys=_pick(aq, correct))
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.FINISHED


def _assert_teaching_absent(body: bytes, aq) -> None:
    text = body.decode()
    assert aq.version.explanation.strip()[:60] not in text
    for choice in aq.version.choices.all():
        assert not choice.misconception or choice.misconception not in text


@pytest.fixture
def assignment(world, small_bank):
    cohort = cohorts.cohort_create(owner=world["instructor"], name="Class")
    cohorts.cohort_join(user=world["learner"], code=cohort.join_code)
    return cohorts.assignment_create(cohort=cohort, by=world["instructor"], title="Graded",
                                     due_at=timezone.now() + timedelta(days=3),
                                     question_slugs=FIXED)


def test_the_audited_exploit_retry_of_an_unfinished_assignment_is_refused(client, world,
                                                                         assignment):
    attempt = cohorts.assignment_start(user=world["learner"], assignment=assignment)
    assert attempt.kind == QuizAttempt.Kind.ASSIGNMENT
    client.force_login(world["learner"])
    response = client.post(f"/quiz/{attempt.public_id}/retry/")
    assert response.status_code == 302 and response["Location"].endswith("/results/")
    assert QuizAttempt.objects.filter(user=world["learner"]).count() == 1
    # Even finished, a graded attempt is never retried.
    _play_through(attempt)
    with pytest.raises(QuizError, match="graded once"):
        quiz_retry_missed(attempt=attempt, user=world["learner"])


def test_retry_needs_a_finished_attempt_and_takes_only_the_misses(world, small_bank):
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
    with pytest.raises(QuizError, match="Finish this quiz") as refused:
        quiz_retry_missed(attempt=attempt, user=world["learner"])
    assert refused.value.status == 409
    first = attempt.questions.get(number=1)
    quiz_answer(attempt=attempt, number=1, keys=key_of(first, correct=True))
    for aq in attempt.questions.filter(number__gt=1).order_by("number").select_related("version"):
        quiz_next(attempt=attempt, number=aq.number - 1)
        quiz_answer(attempt=attempt, number=aq.number, keys=_pick(aq, False))
    retry = quiz_retry_missed(attempt=attempt, user=world["learner"])
    assert retry.kind == QuizAttempt.Kind.RETRY
    assert _slugs(retry) == _slugs(attempt) - {first.version.question.slug}


def test_a_practice_quiz_leaves_out_what_an_open_assignment_holds(world, assignment):
    cohorts.assignment_start(user=world["learner"], assignment=assignment)
    practice = quiz_start(user=world["learner"], spec=QuizSpec(count=30))
    assert practice.questions.count() == 6 - len(FIXED)
    assert not _slugs(practice) & set(FIXED)


def test_an_assignment_waits_while_a_practice_quiz_holds_its_questions(world, assignment):
    practice = quiz_start(user=world["learner"], spec=QuizSpec(count=30))
    with pytest.raises(CohortError, match="not finished yet") as refused:
        cohorts.assignment_start(user=world["learner"], assignment=assignment)
    assert refused.value.status == 409
    _play_through(practice)
    assert cohorts.assignment_start(user=world["learner"], assignment=assignment)


def test_a_finished_quiz_hides_keys_the_learner_still_has_to_play(client, world, assignment):
    practice = quiz_start(user=world["learner"], spec=QuizSpec(count=30))
    _play_through(practice, correct=False)
    graded = cohorts.assignment_start(user=world["learner"], assignment=assignment)
    held = graded.questions.get(number=1)
    client.force_login(world["learner"])
    # The results page, the API state and a repeated answer: none shows the held key.
    page = client.get(f"/quiz/{practice.public_id}/results/")
    assert page.status_code == 200 and b"Answer hidden for now" in page.content
    _assert_teaching_absent(page.content, held)
    api = APIClient()
    api.force_authenticate(world["learner"])
    state = api.get(f"/api/v1/quizzes/{practice.public_id}/results/").json()
    withheld = [r for r in state["results"] if r.get("withheld")]
    assert len(withheld) == len(FIXED)
    assert all(set(r) == {"number", "state", "withheld", "timed_out", "points"}
               for r in withheld)
    same = practice.questions.select_related("version").get(
        version__question__slug=held.version.question.slug)
    again = api.post(f"/api/v1/quizzes/{practice.public_id}/answers/",
                     {"question": same.number, "choices": _pick(same, False)},
                     format="json")
    assert again.status_code == 200 and again.json()["withheld"] is True
    assert_no_key_leak(again.content, held)
    _assert_teaching_absent(again.content, held)
    # Once the assignment is over, the practice quiz teaches again.
    _play_through(graded)
    state = api.get(f"/api/v1/quizzes/{practice.public_id}/results/").json()
    assert not any(r.get("withheld") for r in state["results"])


def test_a_visitor_second_quiz_leaves_out_the_first_ones_questions(client, small_bank):
    client.post("/quiz/new/", {"count": 5, "seconds": 20, "mode": "speed"})
    client.post("/quiz/new/", {"count": 5, "seconds": 20, "mode": "speed"})
    first, second = QuizAttempt.objects.order_by("created_at")
    assert first.user is None and second.user is None
    assert not _slugs(first) & _slugs(second)


def test_a_match_leaves_out_questions_of_an_open_quiz_and_hides_them_once_over(world,
                                                                               small_bank,
                                                                               settings):
    settings.MATCH_ROUNDS = 1
    practice = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
    match = bot_match_create(user=world["learner"], level=1)
    assert not set(match.rounds.values_list("version__question__slug", flat=True)) & \
        _slugs(practice)
    # A finished match withholds a key the player has in play in a quiz started since.
    match.rounds.update(state=Round.State.CLOSED, closed_at=timezone.now())
    Match.objects.filter(pk=match.pk).update(state=Match.State.FINISHED)
    _play_through(practice)
    match_slug = match.rounds.get().version.question.slug
    quiz = quiz_start(user=world["learner"], spec=QuizSpec(count=30))
    assert match_slug in _slugs(quiz)
    match.refresh_from_db()
    state = match_state(match, world["learner"])
    [row] = state["history"]
    assert row["withheld"] is True and "correct" not in row and "explanation" not in row
