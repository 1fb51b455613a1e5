"""Cohort pages. Instructors see only their own cohorts; learners see cohorts they joined."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.services import profile_get_or_create
from apps.cohorts import selectors, services
from apps.cohorts.forms import AssignmentForm, CohortForm, JoinForm
from apps.cohorts.services import CohortError
from apps.core.ratelimit import rate_limit


@require_http_methods(["GET", "POST"])
@rate_limit("cohort_create")
def cohort_list(request: HttpRequest) -> HttpResponse:
    cohorts = selectors.cohorts_owned(request.user)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(owner=request.user, name=form.cleaned_data["name"])
        except CohortError as exc:
            form.add_error("name", exc.message)
        else:
            return redirect("cohorts:detail", cohort_id=cohort.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cohorts/list.html", {"cohorts": cohorts, "form": form},
                  status=status)


def _detail(request, cohort, form, status=200):
    return render(request, "cohorts/detail.html", {
        "cohort": cohort, "form": form,
        "members": cohort.memberships.select_related("user"),
        "assignments": cohort.assignments.select_related("topic"),
        "results": selectors.cohort_results(cohort),
        "weakest": selectors.weakest_topics(cohort),
    }, status=status)


@require_GET
def cohort_detail(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = selectors.get_cohort_for_owner(request.user, cohort_id)
    return _detail(request, cohort, AssignmentForm())


@require_POST
@rate_limit("cohort_create")
def assignment_create(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = selectors.get_cohort_for_owner(request.user, cohort_id)
    form = AssignmentForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_create(
                cohort=cohort, by=request.user, title=form.cleaned_data["title"],
                due_at=form.cleaned_data["due_at"], question_slugs=form.slugs(),
                topic=form.cleaned_data["topic"] or None, count=form.cleaned_data["count"])
        except CohortError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Assignment created.")
            return redirect("cohorts:detail", cohort_id=cohort.pk)
    return _detail(request, cohort, form, status=400)


@require_GET
def results_csv(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = selectors.get_cohort_for_owner(request.user, cohort_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cohort-{cohort.pk}-results.csv"'
    writer = csv.writer(response)
    writer.writerow(["member", "assignment", "state", "score", "correct", "questions"])
    for row in selectors.cohort_results(cohort):
        # A leading =, +, - or @ would make a spreadsheet run the cell as a formula.
        writer.writerow([_cell(row.username), _cell(row.assignment), row.state,
                         row.score if row.score is not None else "",
                         row.correct if row.correct is not None else "",
                         row.total if row.total is not None else ""])
    return response


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("cohort_join")
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or request.GET or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_join(user=request.user, code=form.cleaned_data["code"])
        except CohortError as exc:
            form.add_error("code", exc.message)
        else:
            messages.success(request, f"You joined {cohort.name}.")
            return redirect("cohorts:mine")
    status = 400 if request.method == "POST" else 200
    return render(request, "cohorts/join.html", {"form": form}, status=status)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "cohorts/mine.html", {"cohorts": selectors.memberships_of(request.user)})


@login_required
@require_POST
def assignment_start(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.get_assignment_for_member(request.user, assignment_id)
    try:
        attempt = services.assignment_start(
            user=request.user, assignment=assignment,
            time_factor=profile_get_or_create(user=request.user).time_factor)
    except CohortError as exc:
        messages.error(request, exc.message)
        return redirect("cohorts:mine")
    return redirect("quiz:play", public_id=attempt.public_id)
