"""Reads for the speed quiz, and the only place that decides what a client may see of a
question: `question_public()` for an open question (no key), `question_result()` once it is
closed for that attempt."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from apps.core.holds import questions_in_play
from apps.play.cards import card, cards
from apps.play.present import question_closed, question_open
from apps.quiz.models import AttemptQuestion, QuizAttempt

SESSION_KEY = "quiz_attempts"


def session_attempt_ids(session) -> list[str]:
    return list(session.get(SESSION_KEY, []))


def get_attempt_for(*, user, session, public_id) -> QuizAttempt:
    """The attempt if it belongs to this user (or, for a visitor, to this browser session);
    404 for everyone else."""
    try:
        return QuizAttempt.objects.get(attempt_owner(user=user, session=session),
                                       public_id=public_id)
    except (QuizAttempt.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404("No such quiz.") from None


def attempt_owner(*, user, session) -> Q:
    """Who may touch an attempt, as a filter on QuizAttempt: the signed-in user's own attempts,
    or a visitor's attempts remembered in this browser session. Used by every read and by the
    services' locking reads, so that the access check and the lock are one query."""
    owner = Q(pk__in=[])
    if user is not None and user.is_authenticated:
        owner |= Q(user=user)
    ids = session_attempt_ids(session) if session is not None else []
    if ids:
        owner |= Q(public_id__in=ids, user=None)
    return owner


def remaining_ms(aq: AttemptQuestion) -> int:
    if aq.state != AttemptQuestion.State.OPEN or aq.deadline is None:
        return 0
    return max(0, int((aq.deadline - timezone.now()).total_seconds() * 1000))


def question_public(aq: AttemptQuestion) -> dict[str, Any]:
    """What a client may see of a question that is not closed for it: never the key."""
    return {
        "number": aq.number,
        "state": aq.state,
        **question_open(card(aq.version_id), aq.deal),
        "remaining_ms": remaining_ms(aq),
        "limit_ms": (int((aq.deadline - aq.sent_at).total_seconds() * 1000)
                     if aq.deadline and aq.sent_at else 0),
    }


def _answer(aq: AttemptQuestion):
    if aq.state != AttemptQuestion.State.ANSWERED:
        return None
    try:
        return aq.answer
    except AttemptQuestion.answer.RelatedObjectDoesNotExist:
        return None


def question_result(aq: AttemptQuestion) -> dict[str, Any]:
    """The key and the teaching, only for a question closed for this attempt."""
    if not aq.is_closed:
        raise ValueError("the key of an open question must not be shown")
    answer = _answer(aq)
    return {
        "number": aq.number,
        "state": aq.state,
        "timed_out": aq.state == AttemptQuestion.State.MISSED,
        "is_correct": bool(aq.is_correct),
        "points": aq.points,
        "elapsed_ms": answer.elapsed_ms if answer else None,
        **question_closed(card(aq.version_id), aq.deal, answer.picked if answer else ()),
    }


def question_withheld(aq: AttemptQuestion) -> dict[str, Any]:
    """A closed question whose key must wait: the learner has it in play elsewhere."""
    return {"number": aq.number, "state": aq.state, "withheld": True,
            "timed_out": aq.state == AttemptQuestion.State.MISSED, "points": aq.points}


def _in_play_elsewhere(attempt: QuizAttempt, session_attempt_ids) -> set[int]:
    """Questions whose keys this attempt must not show: those the learner has in play in another
    attempt or match. An active attempt never shares a question with another one (apps.core.holds
    refuses it at creation), so only a finished attempt needs the look-up."""
    if attempt.state != QuizAttempt.State.FINISHED:
        return set()
    return questions_in_play(user=attempt.user,
                             session_attempt_ids=() if attempt.user_id else session_attempt_ids)


def _result(aq: AttemptQuestion, in_play: set[int]) -> dict[str, Any]:
    if card(aq.version_id).question_id in in_play:
        return question_withheld(aq)
    return question_result(aq)


def closed_question_result(attempt: QuizAttempt, aq: AttemptQuestion, *,
                           session_attempt_ids=()) -> dict[str, Any]:
    """The result of one closed question of `attempt` (the answer endpoint, and a repeat of an
    answer long after), withheld while the learner has the question in play elsewhere."""
    return _result(aq, _in_play_elsewhere(attempt, session_attempt_ids))


def attempt_questions(attempt: QuizAttempt):
    """The attempt's questions with their answers, in one query; what they show comes from the
    cards (apps.play.cards), loaded for all of them at once."""
    questions = list(attempt.questions.select_related("answer"))
    cards([q.version_id for q in questions])
    return questions


def current_question(attempt: QuizAttempt) -> AttemptQuestion | None:
    return attempt.questions.select_related("answer").filter(
        number=attempt.current_number).first()


def attempt_state(attempt: QuizAttempt, *, current: AttemptQuestion | None = None,
                  session_attempt_ids=()) -> dict[str, Any]:
    """The attempt as a client resumes it: the current question (its result once closed), the
    score and how far along it is. Its size does not grow with the questions already answered:
    their results are at `attempt_results()`. `current`: the current question if the caller has
    it loaded (with its answer)."""
    if current is None or current.number != attempt.current_number:
        current = current_question(attempt)
    in_play = (_in_play_elsewhere(attempt, session_attempt_ids)
               if current is not None and current.is_closed else set())
    answered = attempt.current_number - (0 if current is not None and current.is_closed else 1)
    return {
        "id": str(attempt.public_id),
        "mode": attempt.mode,
        "state": attempt.state,
        "count": attempt.question_count,
        "answered": max(answered, 0),
        "seconds_per_question": attempt.seconds_per_question,
        "time_factor": attempt.time_factor,
        "focus": attempt.focus_label,
        "score": attempt.score,
        "streak": attempt.streak,
        "current": (None if current is None else
                    {**question_public(current),
                     "result": _result(current, in_play) if current.is_closed else None}),
    }


def attempt_results(attempt: QuizAttempt, *, session_attempt_ids=()) -> list[dict[str, Any]]:
    """The results of the attempt's closed questions, in order (keys withheld for questions the
    learner has in play elsewhere)."""
    in_play = _in_play_elsewhere(attempt, session_attempt_ids)
    return [_result(q, in_play) for q in attempt_questions(attempt) if q.is_closed]


def attempt_summary(attempt: QuizAttempt, *, session_attempt_ids=()) -> dict[str, Any]:
    questions = attempt_questions(attempt)
    in_play = _in_play_elsewhere(attempt, session_attempt_ids)
    answered = [q for q in questions if q.is_closed]
    correct = [q for q in answered if q.is_correct]
    times = [a.elapsed_ms for a in map(_answer, answered) if a is not None]
    per_topic: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for q in answered:
        for topic in card(q.version_id).topics:
            per_topic[topic][1] += 1
            per_topic[topic][0] += 1 if q.is_correct else 0
    return {
        "score": attempt.score,
        "count": len(questions),
        "correct": len(correct),
        "accuracy": round(100 * len(correct) / len(questions)) if questions else 0,
        "mean_seconds": round(sum(times) / len(times) / 1000, 1) if times else None,
        "per_topic": sorted(
            ({"topic": name, "correct": c, "total": t, "accuracy": round(100 * c / t)}
             for name, (c, t) in per_topic.items()), key=lambda row: (row["accuracy"],
                                                                     row["topic"])),
        "missed": [{**question_public(q), "result": _result(q, in_play)}
                   for q in answered if not q.is_correct],
        "withheld": sum(1 for q in answered if card(q.version_id).question_id in in_play),
    }


def questions_in_active_attempts(*, user, session_attempt_ids=()) -> set[int]:
    """apps.core.holds provider: the questions of the learner's active attempts (any state)."""
    owner = Q(attempt__user=user) if user is not None else Q()
    if session_attempt_ids:
        owner |= Q(attempt__public_id__in=list(session_attempt_ids), attempt__user=None)
    if not owner:
        return set()
    return set(AttemptQuestion.objects.filter(owner, attempt__state=QuizAttempt.State.ACTIVE)
               .values_list("version__question_id", flat=True))


def attempt_history(user):
    return QuizAttempt.objects.filter(user=user).order_by("-created_at")[:100]
