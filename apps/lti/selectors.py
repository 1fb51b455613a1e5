"""Reads for the LTI tool, with the access checks (404 to outsiders)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import Http404

from apps.cohorts.selectors import cohort_results
from apps.lti.models import (
    Course,
    LaunchedAttempt,
    LaunchedSeat,
    Placement,
    Registration,
    ScoreSend,
)


def require_staff(user) -> None:
    if not (user.is_authenticated and user.is_staff):
        raise Http404


def registrations() -> list[Registration]:
    return list(Registration.objects.prefetch_related("deployments"))


def platform_origins() -> list[str]:
    """The origins of every registered LMS (issuer and login URL hosts)."""
    origins = set()
    for issuer, login in Registration.objects.values_list("issuer", "auth_login_url"):
        for url in (issuer, login):
            parts = urlsplit(url)
            if parts.scheme in ("https", "http") and parts.netloc:
                origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


def get_placement_for_instructor(user, token: str) -> Placement:
    """A placement is visible to the instructors of its LMS course (those who launched or deep
    linked there as Instructor) and to the owner of its cohort."""
    if not user.is_authenticated or not isinstance(token, str) or len(token) != 32:
        raise Http404
    placement = (Placement.objects.select_related("course__cohort", "assignment", "topic",
                                                  "live_game")
                 .filter(token=token).first())
    if placement is None or not _teaches(user, placement.course):
        raise Http404
    return placement


def get_course_for_instructor(user, course_id) -> Course:
    if not user.is_authenticated:
        raise Http404
    try:
        course = Course.objects.select_related("cohort", "registration").get(pk=int(course_id))
    except (Course.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not _teaches(user, course):
        raise Http404
    return course


def _teaches(user, course: Course) -> bool:
    return course.cohort.owner_id == user.pk or course.instructors.filter(pk=user.pk).exists()


def placement_results(placement: Placement) -> dict:
    """What the results page shows: the learners' attempts and every grade passback."""
    rows = (cohort_results(placement.course.cohort, assignment=placement.assignment)
            if placement.assignment_id else [])
    attempts = (LaunchedAttempt.objects.filter(placement=placement)
                .select_related("attempt__user").order_by("-created_at")[:500])
    seats = (LaunchedSeat.objects.filter(placement=placement)
             .select_related("player__user").order_by("-created_at")[:500])
    scores = (ScoreSend.objects.filter(placement=placement).select_related("user")
              .order_by("-created_at")[:500])
    return {"rows": rows, "attempts": attempts, "seats": seats, "scores": scores,
            "failed": sum(1 for s in scores if s.status == ScoreSend.Status.FAILED)}
