"""Writes for the speed quiz. The server decides deadlines, correctness and points.

Locking: every service that changes an attempt takes the attempt's row lock first
(`select_for_update` inside `atomic`) and only then touches its questions, so concurrent
requests for one attempt run one after another and two services never wait on each other in
opposite orders. On SQLite, where row locks do not exist, the IMMEDIATE transaction mode gives the
same serialisation.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from apps.bank.atlas import catalogue as atlas_catalogue
from apps.bank.models import Question, QuestionVersion
from apps.bank.selectors import published_versions
from apps.core.compiled import CompiledQuery
from apps.core.holds import questions_in_play
from apps.core.outbox import outbox_enqueue
from apps.play.cards import card, cards
from apps.play.deal import PickError, deal_for, parse_pick
from apps.play.present import credit as pick_credit
from apps.play.present import is_correct as pick_is_correct
from apps.play.scoring import answer_points
from apps.quiz.hooks import attempt_finished
from apps.quiz.models import AttemptQuestion, QuizAnswer, QuizAttempt
from apps.skills import tasks as skill_tasks
from apps.skills.adaptive import adaptive_pick
from apps.skills.services import AnswerFacts

MIN_COUNT, MAX_COUNT = 5, 30
MIN_SECONDS, MAX_SECONDS = 10, 60


class QuizError(Exception):
    """A refusal with the HTTP status that describes it (400 bad input, 404, 409 conflict)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


class QuizNotFound(QuizError):
    """The attempt does not exist, or the caller may not touch it: a 404 like any outsider's."""

    def __init__(self):
        super().__init__("No such quiz.", status=404)


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
class AttemptRef:
    """An attempt named by a client: its public id and who may touch it (selectors.attempt_owner).
    The services resolve it in the same locking query that reads the questions, so the access
    check costs no query of its own; anyone else gets a 404."""

    public_id: object
    owner: Q
    # Set when `owner` is exactly this signed-in user's attempts (no visitor attempts remembered
    # in the session): the locking read then runs as a statement compiled once (_LOCKED_READS).
    user_id: int | None = None


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


def _create(*, user, versions: list[int], spec: QuizSpec, time_factor: float,
            label: str, kind: str = QuizAttempt.Kind.PRACTICE) -> QuizAttempt:
    """Two INSERTs: the attempt, and its questions with the first one already open. Returns the
    attempt with `current_question` set. `versions`: version ids, in play order."""
    now = timezone.now()
    attempt = QuizAttempt.objects.create(
        user=user if user is not None and user.is_authenticated else None, mode=spec.mode,
        kind=kind, seconds_per_question=spec.seconds, time_factor=time_factor,
        focus_label=label[:200], question_count=len(versions), current_number=1)
    the_cards = cards(versions)
    rows = []
    for number, version_id in enumerate(versions, start=1):
        deal = deal_for(the_cards[version_id])
        row = AttemptQuestion(attempt=attempt, number=number, version_id=version_id,
                              choice_order=list(deal.order), choice_keys=list(deal.keys))
        if number == 1:
            row.state, row.sent_at = AttemptQuestion.State.OPEN, now
            row.deadline = now + timedelta(seconds=limit_seconds(attempt))
        rows.append(row)
    AttemptQuestion.objects.bulk_create(rows)
    attempt.current_question = rows[0]
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
    with transaction.atomic():
        return _create(user=user, versions=chosen, spec=spec,
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
        return _create(user=user, versions=[v.pk for v in current], spec=spec,
                       time_factor=attempt.time_factor,
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
        return _create(user=user, versions=[v.pk for v in ordered], spec=spec,
                       time_factor=time_factor,
                       label=label, kind=kind)


def _open(*, attempt: QuizAttempt, number: int, now: datetime) -> None:
    deadline = now + timedelta(seconds=limit_seconds(attempt))
    AttemptQuestion.objects.filter(attempt=attempt, number=number,
                                   state=AttemptQuestion.State.PENDING).update(
        state=AttemptQuestion.State.OPEN, sent_at=now, deadline=deadline)
    QuizAttempt.objects.filter(pk=attempt.pk).update(current_number=number)
    attempt.current_number = number


def _through_attempt(q: Q) -> Q:
    """The owner filter (on QuizAttempt) as a filter on its questions: a join, not a subquery
    (the hot path's one query compiles and plans faster)."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    out.children = [_through_attempt(c) if isinstance(c, Q) else (f"attempt__{c[0]}", c[1])
                    for c in q.children]
    return out


def _scope(attempt: QuizAttempt | AttemptRef) -> tuple[tuple[Q, ...], dict]:
    if isinstance(attempt, QuizAttempt):
        return (), {"attempt_id": attempt.pk}
    return (_through_attempt(attempt.owner),), {"attempt__public_id": attempt.public_id}


def _locking_read(*filters: Q, **scope) -> QuerySet:
    return (AttemptQuestion.objects.select_related("attempt", "answer")
            .select_for_update(of=("attempt",)).order_by().filter(*filters, **scope))


# The locking read of every answer and every move on, in the shapes the hot paths use (by the
# attempt's id, or by its public id for its signed-in owner; one or two question numbers),
# compiled once per process. The markers only stand in for the values while compiling.
_N1, _N2, _ID, _USER = 32001, 32002, 2_000_000_001, 2_000_000_002
_PUBLIC = uuid.UUID("00000000-0000-4000-8000-00000000c0de")
_LOCKED_READS = {
    ("attempt", 1): CompiledQuery(lambda a, n: _locking_read(attempt_id=a, number__in=[n]),
                                  _ID, _N1),
    ("attempt", 2): CompiledQuery(lambda a, n, m: _locking_read(attempt_id=a,
                                                                number__in=[n, m]),
                                  _ID, _N1, _N2),
    ("user", 1): CompiledQuery(lambda p, u, n: _locking_read(
        attempt__public_id=p, attempt__user_id=u, number__in=[n]), _PUBLIC, _USER, _N1),
    ("user", 2): CompiledQuery(lambda p, u, n, m: _locking_read(
        attempt__public_id=p, attempt__user_id=u, number__in=[n, m]), _PUBLIC, _USER, _N1, _N2),
}


def _locked_rows(attempt: QuizAttempt | AttemptRef, numbers: list[int]) -> list[AttemptQuestion]:
    if isinstance(attempt, QuizAttempt) and len(numbers) <= 2:
        return _LOCKED_READS[("attempt", len(numbers))].fetch(attempt.pk, *numbers)
    if isinstance(attempt, AttemptRef) and attempt.user_id is not None and len(numbers) <= 2:
        try:
            public_id = attempt.public_id if isinstance(attempt.public_id, uuid.UUID) \
                else uuid.UUID(str(attempt.public_id))
        except ValueError:
            return []
        return _LOCKED_READS[("user", len(numbers))].fetch(public_id, attempt.user_id,
                                                          *numbers)
    owner, scope = _scope(attempt)
    return list(_locking_read(*owner, number__in=numbers, **scope))


def _locked_questions(attempt: QuizAttempt | AttemptRef, numbers: list[int]
                      ) -> tuple[QuizAttempt, dict[int, AttemptQuestion]]:
    """Lock the attempt's row and read questions `numbers` with their answers: one query. The
    attempt comes back as the questions' `attempt`, fresh under the lock. 404 for an attempt the
    caller may not touch; a number the attempt does not have is simply absent."""
    rows = _locked_rows(attempt, numbers)
    if rows:
        locked = rows[0].attempt
        for row in rows[1:]:
            row.attempt = locked
        return locked, {row.number: row for row in rows}
    try:  # no such question: name the attempt (and take its lock) to say which error it is
        if isinstance(attempt, QuizAttempt):
            locked = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        else:
            locked = QuizAttempt.objects.select_for_update().get(
                attempt.owner, public_id=attempt.public_id)
    except (QuizAttempt.DoesNotExist, ValueError, TypeError):
        raise QuizNotFound() from None
    return locked, {}


def _facts(attempt: QuizAttempt, aq: AttemptQuestion, *, answer: QuizAnswer | None,
           now: datetime) -> dict:
    """What skills learn from one closed question (apps.skills takes it as data)."""
    return AnswerFacts(
        source_key=f"quiz:{aq.pk}", user_id=attempt.user_id, version_id=aq.version_id,
        is_correct=bool(answer and answer.is_correct), timed_out=answer is None,
        elapsed_ms=answer.elapsed_ms if answer else None,
        limit_ms=round(limit_seconds(attempt) * 1000),
        answered_at=now).as_data()


def _close_if_overdue(attempt: QuizAttempt, aq: AttemptQuestion | None, now: datetime) -> bool:
    """Idempotent: the open question `aq`, if past its deadline plus grace, becomes missed (the
    streak breaks, the attempt finishes after its last question). Holds the attempt's lock;
    updates `attempt` and `aq` in memory. True if it closed it."""
    if aq is None or aq.state != AttemptQuestion.State.OPEN or aq.deadline is None \
            or aq.deadline >= now - _grace():
        return False
    closed = AttemptQuestion.objects.filter(pk=aq.pk, state=AttemptQuestion.State.OPEN).update(
        state=AttemptQuestion.State.MISSED, closed_at=now, is_correct=False, points=0)
    if not closed:
        return False
    aq.state, aq.closed_at, aq.is_correct, aq.points = (AttemptQuestion.State.MISSED, now,
                                                        False, 0)
    fields = {"streak": 0}
    if aq.number >= attempt.question_count:
        fields.update(state=QuizAttempt.State.FINISHED, finished_at=now)
    QuizAttempt.objects.filter(pk=attempt.pk).update(**fields)
    for name, value in fields.items():
        setattr(attempt, name, value)
    if "finished_at" in fields:
        attempt_finished(attempt)
    if attempt.user_id:  # a timeout counts as a wrong answer for skill tracking
        outbox_enqueue(skill_tasks.record_answers_task, [_facts(attempt, aq, answer=None, now=now)])
    return True


def quiz_refresh(*, attempt: QuizAttempt | AttemptRef) -> QuizAttempt:
    """Close the current question if its time is up (close-on-read) and return the attempt,
    with `current_question` set to its current question (loaded with its answer). Reads without
    a lock; takes the lock only when there is something to close."""
    owner, scope = _scope(attempt)
    current = (AttemptQuestion.objects.select_related("attempt", "answer").order_by()
               .filter(*owner, number=F("attempt__current_number"), **scope)[:1])
    current = current[0] if current else None
    if current is None:
        raise QuizNotFound()
    found = current.attempt
    if current.state == AttemptQuestion.State.OPEN and current.deadline is not None \
            and current.deadline < timezone.now() - _grace():
        with transaction.atomic():
            found, questions = _locked_questions(found, [found.current_number])
            current = questions.get(found.current_number)
            _close_if_overdue(found, current, timezone.now())
    found.current_question = current
    return found


def quiz_next(*, attempt: QuizAttempt | AttemptRef, number: int) -> QuizAttempt:
    """Open question `number + 1` once question `number` is closed. Idempotent: a repeated or
    stale request (another tab already moved on) changes nothing. Returns the attempt with
    `current_question` set. Holds the attempt's lock."""
    with transaction.atomic():
        locked, questions = _locked_questions(attempt, [number, number + 1])
        now = timezone.now()
        here, following = questions.get(number), questions.get(number + 1)
        if number == locked.current_number and here is not None:
            _close_if_overdue(locked, here, now)
            if here.is_closed and following is not None:
                _open(attempt=locked, number=number + 1, now=now)
                following.state, following.sent_at = AttemptQuestion.State.OPEN, now
                following.deadline = now + timedelta(seconds=limit_seconds(locked))
    current = questions.get(locked.current_number)
    if current is None:  # a stale number far from the current one: read the current question
        return quiz_refresh(attempt=locked)
    locked.current_question = current
    return locked


def quiz_answer(*, attempt: QuizAttempt | AttemptRef, number: int, keys: list[str]
                ) -> AnswerOutcome:
    """Score the one answer to question `number`. Holds the attempt's row lock; the one-to-one
    QuizAnswer is the database's guarantee against a second score (should it ever be hit, the
    whole transaction rolls back and the answer is read again as a repeat or a conflict).

    The question comes back with its answer and its `attempt` (updated in memory: score,
    streak, state): the caller renders the result without reading again."""
    try:
        return _answer(attempt, number, keys)
    except IntegrityError:
        return _answer(attempt, number, keys)


def _answer(attempt: QuizAttempt | AttemptRef, number: int, keys: list[str]) -> AnswerOutcome:
    with transaction.atomic():
        locked, questions = _locked_questions(attempt, [number])
        now = timezone.now()
        question = questions.get(number)
        if question is None:
            raise QuizError(f"This quiz has no question {number}.", status=404)
        if isinstance(attempt, QuizAttempt):
            attempt.state = locked.state
        the_card = card(question.version_id)
        try:
            picked = parse_pick(question.deal, keys, the_card)
        except PickError as exc:
            raise QuizError(str(exc)) from None
        if question.state == AttemptQuestion.State.ANSWERED:
            same = question.answer.picked == picked
            return AnswerOutcome("repeat" if same else "conflict", question)
        if question.state == AttemptQuestion.State.PENDING:
            raise QuizError("This question is not open yet.", status=409)
        if question.state == AttemptQuestion.State.MISSED or _close_if_overdue(
                locked, question, now):
            _sync(attempt, locked)
            return AnswerOutcome("late", question)
        correct = pick_is_correct(the_card, picked)
        elapsed = (now - question.sent_at).total_seconds()
        streak = locked.streak + 1 if correct else 0
        points = answer_points(mode=locked.mode, correct=correct, elapsed=elapsed,
                               limit=limit_seconds(locked), streak=streak,
                               credit=pick_credit(the_card, picked))
        answer = QuizAnswer.objects.create(question=question, picked=picked, is_correct=correct,
                                           points=points, elapsed_ms=round(elapsed * 1000))
        AttemptQuestion.objects.filter(pk=question.pk).update(
            state=AttemptQuestion.State.ANSWERED, closed_at=now, is_correct=correct,
            points=points)
        fields = {"score": locked.score + points, "streak": streak}
        if number >= locked.question_count:  # questions open in order: the last one ends it
            fields.update(state=QuizAttempt.State.FINISHED, finished_at=now)
        QuizAttempt.objects.filter(pk=locked.pk).update(**fields)
        for name, value in fields.items():
            setattr(locked, name, value)
        if "finished_at" in fields:
            attempt_finished(locked)
        _sync(attempt, locked)
        question.state, question.closed_at = AttemptQuestion.State.ANSWERED, now
        question.is_correct, question.points, question.answer = correct, points, answer
        if locked.user_id:
            outbox_enqueue(skill_tasks.record_answers_task,
                    [_facts(locked, question, answer=answer, now=now)])
    return AnswerOutcome("accepted", question)


def _sync(attempt: QuizAttempt | AttemptRef, locked: QuizAttempt) -> None:
    """Callers holding a QuizAttempt see its new score, streak and state."""
    if isinstance(attempt, QuizAttempt) and attempt is not locked:
        for name in ("score", "streak", "state", "finished_at", "current_number"):
            setattr(attempt, name, getattr(locked, name))


def quiz_claim(*, user, public_ids: list[str]) -> int:
    """Give the anonymous attempts of this browser session to the account just created, and
    hand what was already played to skill tracking (streak, skills, the review queue) exactly
    as if the learner had been signed in: the same facts, the same source keys, so a question
    is never recorded twice."""
    with transaction.atomic():
        ids = list(QuizAttempt.objects.select_for_update()
                   .filter(public_id__in=public_ids, user=None).values_list("pk", flat=True))
        claimed = QuizAttempt.objects.filter(pk__in=ids).update(user=user)
        facts = []
        for aq in (AttemptQuestion.objects.filter(attempt_id__in=ids, state__in=[
                AttemptQuestion.State.ANSWERED, AttemptQuestion.State.MISSED])
                .select_related("attempt", "answer").order_by("attempt_id", "number")):
            answer = _stored_answer(aq)
            facts.append(_facts(aq.attempt, aq, answer=answer, now=aq.closed_at or timezone.now()))
        if facts:
            outbox_enqueue(skill_tasks.record_answers_task, facts)
    return claimed


def _stored_answer(aq: AttemptQuestion) -> QuizAnswer | None:
    try:
        return aq.answer
    except AttemptQuestion.answer.RelatedObjectDoesNotExist:
        return None
