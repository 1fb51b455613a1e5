"""Reads for cohorts: access checks (404 to outsiders), results and weakest topics."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from apps.accounts.roles import is_instructor
from apps.cohorts.models import Assignment, AssignmentAttempt, Cohort
from apps.quiz.models import AttemptQuestion


def require_instructor(user) -> None:
    if not is_instructor(user):
        raise Http404


def cohorts_owned(user) -> QuerySet[Cohort]:
    require_instructor(user)
    return Cohort.objects.filter(owner=user).annotate(members=Count("memberships"))


def get_cohort_for_owner(user, cohort_id) -> Cohort:
    """A cohort is visible to the instructor who owns it only."""
    require_instructor(user)
    try:
        return Cohort.objects.get(pk=int(cohort_id), owner=user)
    except (Cohort.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def get_assignment_for_owner(user, assignment_id) -> Assignment:
    """An assignment is managed by the instructor who owns its cohort only."""
    require_instructor(user)
    try:
        return Assignment.objects.select_related("cohort", "topic").get(
            pk=int(assignment_id), cohort__owner=user)
    except (Assignment.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def get_assignment_for_member(user, assignment_id) -> Assignment:
    if not user.is_authenticated:
        raise Http404
    try:
        return Assignment.objects.select_related("cohort", "topic").get(
            pk=int(assignment_id), cohort__memberships__user=user)
    except (Assignment.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def memberships_of(user) -> list[tuple[Cohort, list[tuple[Assignment, AssignmentAttempt | None]]]]:
    """The learner's cohorts, each with its assignments and the learner's attempt at each."""
    cohorts = Cohort.objects.filter(memberships__user=user).prefetch_related("assignments")
    mine = {a.assignment_id: a for a in AssignmentAttempt.objects.filter(user=user)
            .select_related("attempt")}
    return [(c, [(a, mine.get(a.pk)) for a in c.assignments.all()]) for c in cohorts]


@dataclass
class ResultRow:
    username: str
    assignment: str
    state: str  # not started | in progress | finished
    score: int | None
    correct: int | None
    total: int | None


def cohort_results(cohort: Cohort, assignment: Assignment | None = None) -> list[ResultRow]:
    """Every member against every assignment of the cohort (or just `assignment`)."""
    members = list(cohort.memberships.select_related("user").order_by("user__username"))
    assignments = [assignment] if assignment else list(cohort.assignments.all())
    attempts = {(a.assignment_id, a.user_id): a.attempt for a in AssignmentAttempt.objects
                .filter(assignment__cohort=cohort).select_related("attempt")}
    counts = {
        (a.assignment_id, a.user_id): (a.right, a.total) for a in AssignmentAttempt.objects
        .filter(assignment__cohort=cohort)
        .annotate(right=Count("attempt__questions", filter=Q(attempt__questions__is_correct=True)),
                  total=Count("attempt__questions"))
    }
    rows = []
    for m in members:
        for a in assignments:
            attempt = attempts.get((a.pk, m.user_id))
            if attempt is None:
                rows.append(ResultRow(m.user.username, a.title, "not started", None, None, None))
                continue
            right, total = counts[(a.pk, m.user_id)]
            state = "finished" if attempt.state == attempt.State.FINISHED else "in progress"
            rows.append(ResultRow(m.user.username, a.title, state, attempt.score, right, total))
    return rows


@dataclass
class TopicRow:
    slug: str
    name: str
    answered: int
    correct: int

    @property
    def share(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


def weakest_topics(cohort: Cohort, limit: int = 5) -> list[TopicRow]:
    """Main topics of the questions members answered in the cohort's assignments, weakest
    first (share correct), from closed questions only."""
    rows = (AttemptQuestion.objects
            .filter(attempt__in=AssignmentAttempt.objects.filter(assignment__cohort=cohort)
                    .values("attempt"),
                    state__in=[AttemptQuestion.State.ANSWERED, AttemptQuestion.State.MISSED])
            .values("version__main_topic__slug", "version__main_topic__name")
            .annotate(answered=Count("id"), correct=Count("id", filter=Q(is_correct=True))))
    topics = [TopicRow(r["version__main_topic__slug"], r["version__main_topic__name"],
                       r["answered"], r["correct"]) for r in rows]
    return sorted(topics, key=lambda t: (t.share, -t.answered, t.slug))[:limit]


def most_missed_questions(cohort: Cohort, limit: int) -> list[int]:
    """The questions the cohort's members missed most (every mode's recorded answers, first
    answers only), most misses first: a live game's "what we got wrong" round."""
    from apps.skills.models import AnswerEvent

    rows = (AnswerEvent.objects
            .filter(user__in=cohort.memberships.values("user"), first=True)
            .values("question_id")
            .annotate(missed=Count("id", filter=Q(is_correct=False)), answered=Count("id"))
            .filter(missed__gt=0)
            .order_by("-missed", "-answered", "question_id"))
    return [r["question_id"] for r in rows[:limit]]
