"""Reads for instructor curation, and the access helpers that 404 everyone else."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from apps.accounts.roles import is_instructor
from apps.bank.export import dump_yaml
from apps.bank.models import Question, QuestionVersion
from apps.bank.selectors import atlas_match
from apps.curation.models import Report, Review
from apps.quiz.models import AttemptQuestion
from apps.quiz.selectors import get_attempt_for


def require_instructor(user) -> None:
    """Curation is invisible to everyone but instructors: 404, not 403."""
    if not is_instructor(user):
        raise Http404("No such page.")


def get_question_for_instructor(user, slug: str) -> Question:
    require_instructor(user)
    try:
        return Question.objects.select_related("current_version").get(
            slug=slug, current_version__isnull=False)
    except (Question.DoesNotExist, ValueError, TypeError):
        raise Http404("No such question.") from None


def get_report_for_instructor(user, report_id) -> Report:
    require_instructor(user)
    try:
        return Report.objects.select_related("question", "version", "reporter").get(
            pk=int(report_id))
    except (Report.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such report.") from None


def get_answered_question_for(user, public_id, number) -> AttemptQuestion:
    """An attempt question the signed-in user answered in their own attempt; 404 otherwise
    (another learner's attempt, a visitor's attempt, an open or missed question)."""
    if not user.is_authenticated:
        raise Http404("No such question.")
    attempt = get_attempt_for(user=user, session=None, public_id=public_id)
    try:
        return attempt.questions.select_related("version__question").get(
            number=int(number), state=AttemptQuestion.State.ANSWERED)
    except (AttemptQuestion.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such question.") from None


@dataclass(frozen=True)
class SearchFilters:
    q: str = ""
    topic: str = ""
    resource: str = ""
    difficulty: int | None = None
    type: str = ""
    status: str = ""
    author: str = ""
    atlas: str = ""  # a MITRE ATLAS id; a technique includes its sub-techniques


def question_search(filters: SearchFilters) -> QuerySet[Question]:
    """Questions by their current version. `q` matches stems and explanations (icontains, so
    it behaves the same on SQLite and PostgreSQL); `author` is anyone who wrote a version."""
    qs = Question.objects.exclude(current_version=None).select_related(
        "current_version__main_topic", "current_version__created_by").prefetch_related(
        "current_version__choices")
    if filters.q:
        match = (Q(current_version__stem__icontains=filters.q)
                 | Q(current_version__explanation__icontains=filters.q)
                 | Q(slug__icontains=filters.q))
        if connection.vendor == "postgresql":
            # Full-text search adds stemming ("backdoors" finds "backdoor") and word queries
            # ("pickle -torch"); the substring match above still finds partial words.
            qs = qs.annotate(search=SearchVector("current_version__stem",
                                                 "current_version__explanation",
                                                 config="english"))
            match |= Q(search=SearchQuery(filters.q, search_type="websearch", config="english"))
        qs = qs.filter(match)
    if filters.topic:
        qs = qs.filter(current_version__topics__slug=filters.topic)
    if filters.resource:
        qs = qs.filter(current_version__citations__resource__slug=filters.resource)
    if filters.difficulty:
        qs = qs.filter(current_version__difficulty=filters.difficulty)
    if filters.type:
        qs = qs.filter(current_version__type=filters.type)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.author:
        qs = qs.filter(versions__created_by__username=filters.author)
    if filters.atlas:
        qs = qs.filter(atlas_match(filters.atlas, through="current_version__"))
    return qs.distinct().order_by("slug")


def version_detail(version: QuestionVersion) -> dict[str, Any]:
    """A version with its key, for instructors only."""
    return {
        "number": version.number,
        "type": version.type,
        "style": version.style,
        "difficulty": version.difficulty,
        "topics": [t.slug for t in version.topics.all()],
        "stem_html": version.stem_html,
        "artifact": ({"kind": version.artifact_kind, "content": version.artifact_content}
                     if version.artifact_kind else None),
        "choices": [{"text": c.text, "correct": c.is_correct, "misconception": c.misconception}
                    for c in version.choices.all()],
        "explanation_html": version.explanation_html,
        "resources": [{"slug": c.resource.slug, "title": c.resource.title, "url": c.resource.url,
                       "locator": c.locator} for c in version.citations.all()],
        "created_at": version.created_at,
        "created_by": version.created_by.username if version.created_by else "",
    }


def question_versions(question: Question) -> QuerySet[QuestionVersion]:
    return question.versions.select_related("created_by").order_by("-number")


def version_get(question: Question, number) -> QuestionVersion:
    try:
        return question.versions.select_related("created_by").get(number=int(number))
    except (QuestionVersion.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such version.") from None


QUESTION_ORDER = ("id", "type", "style", "difficulty", "topics", "resources", "stem", "artifact",
                  "choices", "explanation", "status")
NESTED_ORDER = {"resources": ("slug", "locator"), "artifact": ("kind", "content"),
                "choices": ("text", "correct", "misconception")}


def _ordered(data: dict, order: tuple[str, ...]) -> dict:
    rank = {key: i for i, key in enumerate(order)}
    return {k: data[k] for k in sorted(data, key=lambda k: (rank.get(k, len(rank)), k))}


def canonical_content(content: dict[str, Any]) -> dict[str, Any]:
    """`content` in the bank's key order. PostgreSQL's jsonb does not keep key order, so a
    version read back from it must be reordered before it is shown as YAML."""
    out = _ordered(content, QUESTION_ORDER)
    for key, order in NESTED_ORDER.items():
        value = out.get(key)
        if isinstance(value, dict):
            out[key] = _ordered(value, order)
        elif isinstance(value, list):
            out[key] = [_ordered(v, order) if isinstance(v, dict) else v for v in value]
    return out


def version_yaml(version: QuestionVersion) -> str:
    return dump_yaml(canonical_content(version.content))


def version_diff(old: QuestionVersion, new: QuestionVersion) -> list[str]:
    """A unified diff of the two versions in the bank's YAML format."""
    return list(difflib.unified_diff(
        version_yaml(old).splitlines(), version_yaml(new).splitlines(),
        fromfile=f"v{old.number}", tofile=f"v{new.number}", lineterm=""))


def question_reviews(question: Question) -> QuerySet[Review]:
    return question.reviews.select_related("submitted_by", "reviewer", "version")


def pending_review(question: Question) -> Review | None:
    return question.reviews.filter(decision=Review.Decision.PENDING).first()


def report_queue(*, state: str = Report.State.OPEN) -> QuerySet[Report]:
    qs = Report.objects.select_related("question", "version", "reporter", "handled_by")
    if state:
        qs = qs.filter(state=state)
    return qs


def reports_of(user) -> QuerySet[Report]:
    return Report.objects.filter(reporter=user).select_related("question", "version")
