"""Reads for the speed quiz, and the only place that decides what a client may see of a
question: `question_public()` for an open question (no key), `question_result()` once it is
closed for that attempt."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from apps.bank import atlas
from apps.bank.models import Citation
from apps.core.holds import questions_in_play
from apps.quiz.models import AttemptQuestion, QuizAttempt

SESSION_KEY = "quiz_attempts"


def session_attempt_ids(session) -> list[str]:
    return list(session.get(SESSION_KEY, []))


def get_attempt_for(*, user, session, public_id) -> QuizAttempt:
    """The attempt if it belongs to this user (or, for a visitor, to this browser session);
    404 for everyone else."""
    try:
        attempt = QuizAttempt.objects.get(public_id=public_id)
    except (QuizAttempt.DoesNotExist, ValueError, TypeError):
        raise Http404("No such quiz.") from None
    if attempt.user_id is not None:
        if user is not None and user.is_authenticated and attempt.user_id == user.pk:
            return attempt
        raise Http404("No such quiz.")
    if session is not None and str(attempt.public_id) in session_attempt_ids(session):
        return attempt
    raise Http404("No such quiz.")


def _choices(aq: AttemptQuestion) -> list[tuple[str, Any]]:
    by_position = {c.position: c for c in aq.version.choices.all()}
    return [(key, by_position[pos]) for key, pos in zip(aq.choice_keys, aq.choice_order,
                                                        strict=True)]


def remaining_ms(aq: AttemptQuestion) -> int:
    if aq.state != AttemptQuestion.State.OPEN or aq.deadline is None:
        return 0
    return max(0, int((aq.deadline - timezone.now()).total_seconds() * 1000))


def question_public(aq: AttemptQuestion) -> dict[str, Any]:
    """What a client may see of a question that is not closed for it: never the key."""
    version = aq.version
    return {
        "number": aq.number,
        "state": aq.state,
        "type": version.type,
        "style": version.style,
        "difficulty": version.difficulty,
        "topics": [t.name for t in version.topics.all()],
        "stem": version.stem,
        "stem_html": version.stem_html,
        "artifact": ({"kind": version.artifact_kind, "content": version.artifact_content}
                     if version.artifact_kind else None),
        "choices": [{"key": key, "text": choice.text} for key, choice in _choices(aq)],
        "remaining_ms": remaining_ms(aq),
        "limit_ms": (int((aq.deadline - aq.sent_at).total_seconds() * 1000)
                     if aq.deadline and aq.sent_at else 0),
    }


def question_result(aq: AttemptQuestion) -> dict[str, Any]:
    """The key and the teaching, only for a question closed for this attempt."""
    if not aq.is_closed:
        raise ValueError("the key of an open question must not be shown")
    answer = getattr(aq, "answer", None) if aq.state == AttemptQuestion.State.ANSWERED else None
    picked_positions = set(answer.picked) if answer else set()
    choices = _choices(aq)
    version = aq.version
    return {
        "number": aq.number,
        "state": aq.state,
        "timed_out": aq.state == AttemptQuestion.State.MISSED,
        "is_correct": bool(aq.is_correct),
        "points": aq.points,
        "elapsed_ms": answer.elapsed_ms if answer else None,
        "picked": [key for key, c in choices if c.position in picked_positions],
        "correct": [key for key, c in choices if c.is_correct],
        "choices": [{"key": key, "text": c.text, "correct": c.is_correct,
                     "picked": c.position in picked_positions,
                     "misconception": c.misconception if c.position in picked_positions
                     and not c.is_correct else ""} for key, c in choices],
        "explanation": version.explanation,
        "explanation_html": version.explanation_html,
        "resources": [{"title": cit.resource.title, "url": cit.resource.url,
                       "locator": cit.locator} for cit in version.citations.all()],
        # From the version's own content: no query. Only here, never in question_public(): the
        # ids name the attack or the defence, which can give the answer away.
        "atlas": atlas.links((version.content or {}).get("atlas") or []),
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
    return question_withheld(aq) if aq.version.question_id in in_play else question_result(aq)


def closed_question_result(attempt: QuizAttempt, aq: AttemptQuestion, *,
                           session_attempt_ids=()) -> dict[str, Any]:
    """The result of one closed question of `attempt` (the answer endpoint, and a repeat of an
    answer long after), withheld while the learner has the question in play elsewhere."""
    return _result(aq, _in_play_elsewhere(attempt, session_attempt_ids))


def attempt_questions(attempt: QuizAttempt, *, topics: bool = True):
    """The attempt's questions with all that a client is shown of them: four queries (three
    without `topics`, which only the open question's card shows, not a result)."""
    related = ["version__choices",
               Prefetch("version__citations", queryset=Citation.objects.select_related("resource"))]
    if topics:
        related.append("version__topics")
    return attempt.questions.select_related("version", "answer").prefetch_related(*related)


def attempt_state(attempt: QuizAttempt, *, session_attempt_ids=()) -> dict[str, Any]:
    questions = list(attempt_questions(attempt))
    in_play = _in_play_elsewhere(attempt, session_attempt_ids)
    current = next((q for q in questions if q.number == attempt.current_number), None)
    return {
        "id": str(attempt.public_id),
        "mode": attempt.mode,
        "state": attempt.state,
        "count": len(questions),
        "seconds_per_question": attempt.seconds_per_question,
        "time_factor": attempt.time_factor,
        "focus": attempt.focus_label,
        "score": attempt.score,
        "streak": attempt.streak,
        "current": (None if current is None else
                    {**question_public(current),
                     "result": _result(current, in_play) if current.is_closed else None}),
        "results": [_result(q, in_play) for q in questions if q.is_closed],
    }


def attempt_summary(attempt: QuizAttempt, *, session_attempt_ids=()) -> dict[str, Any]:
    questions = list(attempt_questions(attempt))
    in_play = _in_play_elsewhere(attempt, session_attempt_ids)
    answered = [q for q in questions if q.is_closed]
    correct = [q for q in answered if q.is_correct]
    times = [q.answer.elapsed_ms for q in answered
             if q.state == AttemptQuestion.State.ANSWERED and hasattr(q, "answer")]
    per_topic: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for q in answered:
        for topic in q.version.topics.all():
            per_topic[topic.name][1] += 1
            per_topic[topic.name][0] += 1 if q.is_correct else 0
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
        "withheld": sum(1 for q in answered if q.version.question_id in in_play),
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
