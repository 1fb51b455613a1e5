"""Reads for item analysis: first attempts of signed-in humans (quiz answers and head-to-head
answers; anonymous quizzes and bots excluded), analysed per current version."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404

from apps.accounts.roles import is_instructor
from apps.bank.models import Choice, Question
from apps.insights.analysis import Answer, ItemStats, analyse, first_attempts
from apps.matches.models import RoundAnswer
from apps.quiz.models import QuizAnswer


def require_instructor(user) -> None:
    """Instructor pages do not exist for anyone else: 404, not 403."""
    if not is_instructor(user):
        raise Http404


def human_answers() -> list[Answer]:
    quiz = QuizAnswer.objects.filter(question__attempt__user__isnull=False).values_list(
        "question__attempt__user_id", "question__version__question_id", "question__version_id",
        "picked", "is_correct", "elapsed_ms", "created_at")
    rounds = RoundAnswer.objects.filter(player__is_bot=False, player__user__isnull=False) \
        .values_list("player__user_id", "round__version__question_id", "round__version_id",
                     "picked", "is_correct", "elapsed_ms", "created_at")
    return [Answer(user_id=u, question_id=q, version_id=v, picked=tuple(p or ()),
                   is_correct=c, elapsed_ms=ms, at=at)
            for rows in (quiz, rounds) for u, q, v, p, c, ms, at in rows]


@dataclass
class QuestionStats:
    question: Question
    stats: ItemStats


def question_stats(*, slug: str | None = None, attention_only: bool = False) -> list[QuestionStats]:
    questions = Question.objects.select_related("current_version").exclude(current_version=None)
    if slug is not None:
        questions = questions.filter(slug=slug)
    questions = list(questions)
    firsts = first_attempts(human_answers())
    choices: dict[int, list[tuple[int, str, bool]]] = {}
    for c in Choice.objects.filter(version__in=[q.current_version_id for q in questions]):
        choices.setdefault(c.version_id, []).append((c.position, c.text, c.is_correct))
    out = []
    for q in questions:
        stats = analyse(firsts, version_id=q.current_version_id, question_id=q.id,
                        choices=sorted(choices.get(q.current_version_id, [])),
                        min_answers=settings.INSIGHTS_MIN_ANSWERS,
                        question_type=q.current_version.type)
        if attention_only and not stats.needs_attention:
            continue
        out.append(QuestionStats(question=q, stats=stats))
    return out


# The item-analysis table's sortable columns: a column's value for one row (None sorts last,
# whichever the direction). Anything else in `?sort=` falls back to DEFAULT_SORT.
SORT_KEYS = {
    "question": lambda r: r.question.slug,
    "answers": lambda r: r.stats.answers,
    "facility": lambda r: r.stats.facility,
    "discrimination": lambda r: r.stats.discrimination,
    "time": lambda r: r.stats.mean_ms,
    "attention": lambda r: len(r.stats.flags),
}
DEFAULT_SORT = ("attention", "desc")  # questions that need attention first, most flags first


def sort_order(sort: str | None, direction: str | None) -> tuple[str, str]:
    """A whitelisted (column, direction); an unknown column or direction gives the default
    column's order or the column's natural one (ascending), never an error."""
    if sort not in SORT_KEYS:
        return DEFAULT_SORT
    return sort, direction if direction in ("asc", "desc") else "asc"


def question_stats_sorted(rows: list[QuestionStats], *, sort: str,
                          direction: str) -> list[QuestionStats]:
    """`rows` by one column (see sort_order), ties broken by slug; empty values last."""
    key = SORT_KEYS[sort]
    rows = sorted(rows, key=lambda r: r.question.slug)
    present = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    return sorted(present, key=key, reverse=direction == "desc") + missing


def question_stats_for(user, slug: str) -> QuestionStats:
    require_instructor(user)
    found = question_stats(slug=slug)
    if not found:
        raise Http404
    return found[0]
