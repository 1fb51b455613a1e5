"""Writes for the speed quiz. The server decides deadlines, correctness and points.

Locking: every service that changes an attempt takes the attempt's row lock first
(`select_for_update` inside `atomic`) and only then touches its questions, so concurrent
requests for one attempt run one after another and two services never wait on each other in
opposite orders. On SQLite, where row locks do not exist, the IMMEDIATE transaction mode gives the
same serialisation.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.bank.atlas import catalogue as atlas_catalogue
from apps.bank.models import Question, QuestionVersion
from apps.bank.selectors import published_versions
from apps.core.holds import questions_in_play
from apps.core.tasks import enqueue
from apps.quiz import selectors
from apps.quiz.models import AttemptQuestion, QuizAnswer, QuizAttempt
from apps.quiz.scoring import answer_points
from apps.skills import tasks as skill_tasks
from apps.skills.adaptive import adaptive_pick

MIN_COUNT, MAX_COUNT = 5, 30
MIN_SECONDS, MAX_SECONDS = 10, 60


class QuizError(Exception):
    """A refusal with the HTTP status that describes it (400 bad input, 404, 409 conflict)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class QuizSpec:
    count: int = 10
    seconds: int = 20
    mode: str = QuizAttempt.Mode.SPEED
    topic: str | None = None
    resource: str | None = None
    difficulty: int | None = None
    adaptive: bool = False  # questions picked for the learner's level (apps.skills)
    atlas: str | None = None  # a MITRE ATLAS id; a technique includes its sub-techniques

    def validate(self) -> None:
        if not MIN_COUNT <= self.count <= MAX_COUNT:
            raise QuizError(f"Choose between {MIN_COUNT} and {MAX_COUNT} questions.")
        if not MIN_SECONDS <= self.seconds <= MAX_SECONDS:
            raise QuizError(f"Choose between {MIN_SECONDS} and {MAX_SECONDS} seconds a question.")
        if self.mode not in QuizAttempt.Mode.values:
            raise QuizError("Mode must be speed or accuracy.")
        if self.difficulty is not None and self.difficulty not in (1, 2, 3):
            raise QuizError("Difficulty must be 1, 2 or 3.")
        if self.atlas is not None and atlas_catalogue().get(self.atlas) is None:
            raise QuizError("Unknown MITRE ATLAS id.")


@dataclass(frozen=True)
class AnswerOutcome:
    """`accepted`: scored now; `repeat`: the same answer again, first result returned;
    `conflict`: a different answer to an answered question; `late`: after the deadline."""

    kind: str
    question: AttemptQuestion


def limit_seconds(attempt: QuizAttempt) -> float:
    return attempt.seconds_per_question * attempt.time_factor * settings.PLAY_TIME_SCALE


def _grace() -> timedelta:
    return timedelta(seconds=min(settings.QUIZ_GRACE_SECONDS, 1.0) * settings.PLAY_TIME_SCALE)


def _focus_label(spec: QuizSpec) -> str:
    parts = ["adaptive"] if spec.adaptive else []
    if spec.topic:
        parts.append(f"topic {spec.topic}")
    if spec.resource:
        parts.append(f"resource {spec.resource}")
    if spec.difficulty:
        parts.append(f"difficulty {spec.difficulty}")
    if spec.atlas:
        parts.append(f"ATLAS {spec.atlas}")
    return ", ".join(parts) or "Mixed"


def _create(*, user, versions: list[QuestionVersion], spec: QuizSpec, time_factor: float,
            label: str, kind: str = QuizAttempt.Kind.PRACTICE) -> QuizAttempt:
    now = timezone.now()
    attempt = QuizAttempt.objects.create(
        user=user if user is not None and user.is_authenticated else None, mode=spec.mode,
        kind=kind, seconds_per_question=spec.seconds, time_factor=time_factor,
        focus_label=label[:200])
    rows = []
    for number, version in enumerate(versions, start=1):
        positions = list(range(version.choices.count()))
        secrets.SystemRandom().shuffle(positions)
        rows.append(AttemptQuestion(
            attempt=attempt, number=number, version=version, choice_order=positions,
            choice_keys=[secrets.token_urlsafe(8) for _ in positions]))
    AttemptQuestion.objects.bulk_create(rows)
    _open(attempt=attempt, number=1, now=now)
    return attempt


IN_PLAY_MESSAGE = ("These questions are in a quiz or match you have not finished yet: finish it "
                   "first, so that no answer is shown before you have played it.")


def quiz_start(*, user, spec: QuizSpec, time_factor: float = 1.0,
               session_attempt_ids: Iterable[str] = (),
               kind: str = QuizAttempt.Kind.PRACTICE) -> QuizAttempt:
    """Start an attempt of `spec.count` published questions drawn at random from the focus,
    leaving out every question the learner still has in play elsewhere (apps.core.holds)."""
    spec.validate()
    pool = published_versions(topic=spec.topic, resource=spec.resource,
                              difficulty=spec.difficulty, atlas=spec.atlas)
    in_play = questions_in_play(user=user, session_attempt_ids=session_attempt_ids)
    ids = list(pool.exclude(question_id__in=in_play).values_list("id", flat=True))
    if not ids:
        if in_play and pool.exists():
            raise QuizError(IN_PLAY_MESSAGE, status=409)
        raise QuizError("No published questions match this focus yet.")
    chosen = (adaptive_pick(user=user, version_ids=ids, count=spec.count) if spec.adaptive
              else secrets.SystemRandom().sample(ids, min(spec.count, len(ids))))
    by_id = QuestionVersion.objects.in_bulk(chosen)
    with transaction.atomic():
        return _create(user=user, versions=[by_id[i] for i in chosen], spec=spec,
                       time_factor=time_factor, label=_focus_label(spec), kind=kind)


def quiz_retry_missed(*, attempt: QuizAttempt, user,
                      session_attempt_ids: Iterable[str] = ()) -> QuizAttempt:
    """A new attempt of the questions this one missed (answered wrong or timed out), at their
    current published versions. Only from a finished attempt, and never from a graded one (a
    cohort assignment): a retry must not become a way to see keys of questions still to play.
    Questions the learner has in play elsewhere are left out."""
    attempt = quiz_refresh(attempt=attempt)  # close-on-read: an overdue last question closes
    if attempt.kind == QuizAttempt.Kind.ASSIGNMENT:
        raise QuizError("An assignment is graded once: it cannot be retried. Start a practice "
                        "quiz on its topic instead.", status=409)
    if attempt.state != QuizAttempt.State.FINISHED:
        raise QuizError("Finish this quiz before retrying what you missed.", status=409)
    missed = list(attempt.questions.filter(
        state__in=[AttemptQuestion.State.ANSWERED, AttemptQuestion.State.MISSED],
        is_correct=False).select_related("version__question__current_version"))
    current = [
        aq.version.question.current_version for aq in missed
        if aq.version.question.status == Question.Status.PUBLISHED
    ]
    if not current:
        raise QuizError("Nothing to retry: every question was answered correctly.", status=409)
    in_play = questions_in_play(user=user, session_attempt_ids=session_attempt_ids)
    current = [v for v in current if v.question_id not in in_play]
    if not current:
        raise QuizError(IN_PLAY_MESSAGE, status=409)
    spec = QuizSpec(count=len(current), seconds=attempt.seconds_per_question, mode=attempt.mode)
    with transaction.atomic():
        return _create(user=user, versions=current, spec=spec, time_factor=attempt.time_factor,
                       label="Retry of missed questions", kind=QuizAttempt.Kind.RETRY)


def quiz_start_review(*, user, version_ids: list[int], time_factor: float = 1.0,
                      kind: str = QuizAttempt.Kind.REVIEW,
                      label: str = "Review of due questions") -> QuizAttempt:
    """An accuracy quiz of the given versions, in that order (the learner's due reviews, or an
    assignment's fixed questions). A review leaves out questions the learner has in play
    elsewhere; an assignment is graded as set, so it is refused (409) until they are finished."""
    versions = QuestionVersion.objects.in_bulk(version_ids[:MAX_COUNT])
    if not versions:
        raise QuizError("Nothing is due for review.", status=409)
    in_play = questions_in_play(user=user)
    if kind == QuizAttempt.Kind.ASSIGNMENT and any(
            v.question_id in in_play for v in versions.values()):
        raise QuizError(IN_PLAY_MESSAGE, status=409)
    ordered = [versions[i] for i in version_ids if i in versions
               and versions[i].question_id not in in_play]
    if not ordered:
        raise QuizError(IN_PLAY_MESSAGE, status=409)
    spec = QuizSpec(count=len(ordered), mode=QuizAttempt.Mode.ACCURACY)
    with transaction.atomic():
        return _create(user=user, versions=ordered, spec=spec, time_factor=time_factor,
                       label=label, kind=kind)


def _open(*, attempt: QuizAttempt, number: int, now: datetime) -> None:
    deadline = now + timedelta(seconds=limit_seconds(attempt))
    AttemptQuestion.objects.filter(attempt=attempt, number=number,
                                   state=AttemptQuestion.State.PENDING).update(
        state=AttemptQuestion.State.OPEN, sent_at=now, deadline=deadline)
    QuizAttempt.objects.filter(pk=attempt.pk).update(current_number=number)
    attempt.current_number = number


def _lock(attempt: QuizAttempt) -> QuizAttempt:
    return QuizAttempt.objects.select_for_update().get(pk=attempt.pk)


def _finish_if_done(attempt: QuizAttempt, now: datetime) -> bool:
    """Finish the attempt when no question is left to play (idempotent). True when finished."""
    if attempt.questions.exclude(state__in=[AttemptQuestion.State.ANSWERED,
                                            AttemptQuestion.State.MISSED]).exists():
        return False
    QuizAttempt.objects.filter(pk=attempt.pk, state=QuizAttempt.State.ACTIVE).update(
        state=QuizAttempt.State.FINISHED, finished_at=now)
    return True


def _close_if_overdue(attempt: QuizAttempt, now: datetime) -> None:
    """Idempotent: only an open question past its deadline plus grace becomes missed."""
    closed = AttemptQuestion.objects.filter(
        attempt=attempt, state=AttemptQuestion.State.OPEN, deadline__lt=now - _grace()
    ).update(state=AttemptQuestion.State.MISSED, closed_at=now, is_correct=False, points=0)
    if closed:
        QuizAttempt.objects.filter(pk=attempt.pk).update(streak=0)
        _finish_if_done(attempt, now)
        if attempt.user_id:  # timeouts count as wrong answers for skill tracking
            enqueue(skill_tasks.record_quiz_timeouts_task, attempt.pk)


def quiz_refresh(*, attempt: QuizAttempt) -> QuizAttempt:
    """Close the current question if its time is up (close-on-read) and return fresh state."""
    with transaction.atomic():
        locked = _lock(attempt)
        _close_if_overdue(locked, timezone.now())
    return QuizAttempt.objects.get(pk=attempt.pk)


def quiz_next(*, attempt: QuizAttempt, number: int) -> QuizAttempt:
    """Open question `number + 1` once question `number` is closed. Idempotent: a repeated or
    stale request (another tab already moved on) changes nothing."""
    with transaction.atomic():
        locked = _lock(attempt)
        now = timezone.now()
        _close_if_overdue(locked, now)
        current = locked.questions.get(number=locked.current_number)
        if number == locked.current_number and current.is_closed:
            if locked.questions.filter(number=number + 1).exists():
                _open(attempt=locked, number=number + 1, now=now)
    return QuizAttempt.objects.get(pk=attempt.pk)


def _parse_pick(question: AttemptQuestion, keys: list[str]) -> list[int]:
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
        raise QuizError("Pick at least one choice.")
    if len(set(keys)) != len(keys):
        raise QuizError("A choice is listed twice.")
    index = {key: question.choice_order[i] for i, key in enumerate(question.choice_keys)}
    unknown = [k for k in keys if k not in index]
    if unknown:
        raise QuizError("Unknown choice for this question.")
    if question.version.type != "multiple" and len(keys) != 1:
        raise QuizError("This question takes exactly one choice.")
    return sorted(index[k] for k in keys)


def quiz_answer(*, attempt: QuizAttempt, number: int, keys: list[str]) -> AnswerOutcome:
    """Score the one answer to question `number`. Holds the attempt's row lock; the one-to-one
    QuizAnswer is the database's guarantee against a second score.

    The question comes back with everything its result shows (version, choices, topics,
    citations, the answer) loaded once, its fields updated in memory: the caller renders the
    result without reading it again. `attempt.state` is set to the attempt's state after it."""
    with transaction.atomic():
        locked = _lock(attempt)
        now = timezone.now()
        question = selectors.attempt_questions(locked, topics=False).filter(number=number).first()
        if question is None:
            raise QuizError(f"This quiz has no question {number}.", status=404)
        picked = _parse_pick(question, keys)
        attempt.state = locked.state
        if question.state == AttemptQuestion.State.ANSWERED:
            same = question.answer.picked == picked
            return AnswerOutcome("repeat" if same else "conflict", question)
        if question.state == AttemptQuestion.State.PENDING:
            raise QuizError("This question is not open yet.", status=409)
        late = (question.state == AttemptQuestion.State.MISSED or (
            question.deadline is not None and question.deadline < now - _grace()))
        if late:  # only the open question can be overdue: nothing to close otherwise
            _close_if_overdue(locked, now)
            question.refresh_from_db(fields=["state", "closed_at", "is_correct", "points"])
            attempt.state = QuizAttempt.objects.values_list("state", flat=True).get(pk=locked.pk)
            return AnswerOutcome("late", question)
        choices = list(question.version.choices.all())  # prefetched: no query
        correct = sorted(c.position for c in choices if c.is_correct)
        is_correct = picked == correct
        elapsed = (now - question.sent_at).total_seconds()
        streak = locked.streak + 1 if is_correct else 0
        points = answer_points(mode=locked.mode, correct=is_correct, elapsed=elapsed,
                               limit=limit_seconds(locked), streak=streak)
        try:
            with transaction.atomic():
                answer = QuizAnswer.objects.create(
                    question=question, picked=picked, is_correct=is_correct, points=points,
                    elapsed_ms=round(elapsed * 1000))
        except IntegrityError:  # lost a race that the lock should have prevented; be safe
            question = selectors.attempt_questions(locked, topics=False).get(pk=question.pk)
            return AnswerOutcome("repeat" if question.answer.picked == picked else "conflict",
                                 question)
        if locked.user_id:
            enqueue(skill_tasks.record_quiz_question_task, question.pk)
        updated = AttemptQuestion.objects.filter(
            pk=question.pk, state=AttemptQuestion.State.OPEN
        ).update(state=AttemptQuestion.State.ANSWERED, closed_at=now, is_correct=is_correct,
                 points=points)
        assert updated == 1, "the attempt lock guarantees the question is still open"
        QuizAttempt.objects.filter(pk=locked.pk).update(score=locked.score + points,
                                                         streak=streak)
        question.state, question.closed_at = AttemptQuestion.State.ANSWERED, now
        question.is_correct, question.points, question.answer = is_correct, points, answer
        if _finish_if_done(locked, now):
            attempt.state = QuizAttempt.State.FINISHED
    return AnswerOutcome("accepted", question)


def quiz_claim(*, user, public_ids: list[str]) -> int:
    """Give the anonymous attempts of this browser session to the account just created."""
    return QuizAttempt.objects.filter(public_id__in=public_ids, user=None).update(user=user)
