"""Reads from the question bank. Learners are only ever served questions through
`published_versions()`."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from apps.bank.models import Question, QuestionVersion, Resource, Topic


def published_versions(
    *, topic: str | None = None, resource: str | None = None, difficulty: int | None = None
) -> QuerySet[QuestionVersion]:
    """The current versions of published questions, optionally narrowed to a focus."""
    qs = QuestionVersion.objects.filter(
        question__status=Question.Status.PUBLISHED, question__current_version=F("id")
    )
    if topic:
        qs = qs.filter(topics__slug=topic)
    if resource:
        qs = qs.filter(citations__resource__slug=resource)
    if difficulty:
        qs = qs.filter(difficulty=difficulty)
    return qs.distinct()


def resources_with_counts() -> QuerySet[Resource]:
    """Curated resources with how many published questions cite them."""
    return Resource.objects.annotate(
        question_count=Count(
            "citations__version",
            filter=Q(citations__version__question__status=Question.Status.PUBLISHED)
            & Q(citations__version__question__current_version=F("citations__version")),
            distinct=True,
        )
    ).order_by("position", "slug")  # Meta.ordering does not apply to aggregate queries


def topics_with_counts() -> QuerySet[Topic]:
    """Topics with how many published questions they cover."""
    return Topic.objects.annotate(
        question_count=Count(
            "question_versions",
            filter=Q(question_versions__question__status=Question.Status.PUBLISHED)
            & Q(question_versions__question__current_version=F("question_versions")),
            distinct=True,
        )
    ).order_by("position", "slug")
