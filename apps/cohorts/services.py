"""Writes for cohorts: create, join, assign, start an assignment."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.bank.models import Question, Topic
from apps.bank.selectors import published_versions
from apps.cohorts.models import Assignment, AssignmentAttempt, Cohort, Membership
from apps.quiz.models import QuizAttempt
from apps.quiz.services import (
    MAX_COUNT,
    MIN_COUNT,
    QuizError,
    QuizSpec,
    quiz_start,
    quiz_start_review,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


class CohortError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def cohort_create(*, owner, name: str) -> Cohort:
    name = name.strip()
    if not name:
        raise CohortError("Give the cohort a name.")
    for _ in range(5):  # a code collision is astronomically rare; retry rather than fail
        try:
            with transaction.atomic():
                cohort = Cohort.objects.create(owner=owner, name=name[:120], join_code=_code())
                audit_record(actor=owner, action="cohort.create", subject=cohort.name,
                             data={"cohort": cohort.pk})
                return cohort
        except IntegrityError:
            continue
    raise CohortError("Could not make a join code; try again.", status=409)


def cohort_join(*, user, code: str) -> Cohort:
    """Join by code. Idempotent: joining twice keeps one membership."""
    cohort = Cohort.objects.filter(join_code=code.strip().upper()).first()
    if cohort is None:
        raise CohortError("No cohort has this join code.", status=404)
    with transaction.atomic():
        _, created = Membership.objects.get_or_create(cohort=cohort, user=user)
        if created:
            audit_record(actor=user, action="cohort.join", subject=cohort.name,
                         data={"cohort": cohort.pk})
    return cohort


def assignment_create(*, cohort: Cohort, by, title: str, due_at: datetime,
                      question_slugs: list[str] | None = None, topic: str | None = None,
                      count: int = 10) -> Assignment:
    """A fixed set (published question slugs) or a focus (a topic and a count), not both."""
    title = title.strip()
    slugs = list(dict.fromkeys(s.strip() for s in (question_slugs or []) if s.strip()))
    if not title:
        raise CohortError("Give the assignment a title.")
    if bool(slugs) == bool(topic):
        raise CohortError("Choose either a fixed set of questions or a topic.")
    if due_at <= timezone.now():
        raise CohortError("The due date must be in the future.")
    topic_row = None
    if slugs:
        if len(slugs) > MAX_COUNT:
            raise CohortError(f"At most {MAX_COUNT} questions.")
        published = set(Question.objects.filter(slug__in=slugs, status=Question.Status.PUBLISHED)
                        .values_list("slug", flat=True))
        missing = [s for s in slugs if s not in published]
        if missing:
            raise CohortError(f"Not published questions: {', '.join(missing)}.")
    else:
        topic_row = Topic.objects.filter(slug=topic).first()
        if topic_row is None:
            raise CohortError("Unknown topic.")
        if not MIN_COUNT <= count <= MAX_COUNT:
            raise CohortError(f"Choose between {MIN_COUNT} and {MAX_COUNT} questions.")
    with transaction.atomic():
        assignment = Assignment.objects.create(cohort=cohort, title=title[:120],
                                               question_slugs=slugs, topic=topic_row,
                                               count=count, due_at=due_at)
        audit_record(actor=by, action="assignment.create", subject=assignment.title,
                     data={"cohort": cohort.pk, "assignment": assignment.pk})
    return assignment


def assignment_start(*, user, assignment: Assignment, time_factor: float = 1.0) -> QuizAttempt:
    """The member's quiz for an assignment: the existing one if they started it already,
    else a new one (refused after the due date). The caller checked membership."""
    existing = AssignmentAttempt.objects.filter(assignment=assignment, user=user) \
        .select_related("attempt").first()
    if existing:
        return existing.attempt
    if assignment.due_at <= timezone.now():
        raise CohortError("This assignment is past its due date.", status=409)
    label = f"Assignment: {assignment.title}"[:200]
    try:
        with transaction.atomic():
            if assignment.is_fixed:
                versions = list(published_versions().filter(
                    question__slug__in=assignment.question_slugs).values_list(
                    "question__slug", "id"))
                by_slug = dict(versions)
                ids = [by_slug[s] for s in assignment.question_slugs if s in by_slug]
                if not ids:
                    raise CohortError("None of the assigned questions is published any more.",
                                      status=409)
                attempt = quiz_start_review(user=user, version_ids=ids, time_factor=time_factor,
                                            kind=QuizAttempt.Kind.ASSIGNMENT, label=label)
            else:
                attempt = quiz_start(user=user, time_factor=time_factor, spec=QuizSpec(
                    count=assignment.count, topic=assignment.topic.slug),
                    kind=QuizAttempt.Kind.ASSIGNMENT)
                attempt.focus_label = label
                QuizAttempt.objects.filter(pk=attempt.pk).update(focus_label=label)
            AssignmentAttempt.objects.create(assignment=assignment, user=user, attempt=attempt)
    except QuizError as exc:
        raise CohortError(exc.message, status=exc.status) from None
    except IntegrityError:  # a second click started it meanwhile: return that one
        return AssignmentAttempt.objects.get(assignment=assignment, user=user).attempt
    return attempt
