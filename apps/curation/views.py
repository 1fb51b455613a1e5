"""HTML pages for instructor curation and learner reports. Every instructor page 404s for
everyone else (through the selectors' access helpers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.audit.selectors import audit_events
from apps.bank import limits
from apps.bank import selectors as bank_selectors
from apps.bank.atlas import catalogue as atlas_catalogue
from apps.bank.markdown import render_markdown
from apps.core.ratelimit import rate_limit
from apps.curation import selectors, services
from apps.curation.diff import version_field_diff
from apps.curation.forms import (
    QuestionForm,
    ReportForm,
    ReportHandleForm,
    SearchForm,
    TransitionForm,
)
from apps.curation.models import Report
from apps.curation.services import CurationError

PAGE_SIZE = 25


def _page(request: HttpRequest, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def question_list(request: HttpRequest) -> HttpResponse:
    selectors.require_instructor(request.user)
    form = SearchForm(request.GET or None)
    filters = selectors.SearchFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.SearchFilters(q=d["q"].strip(), topic=d["topic"],
                                          resource=d["resource"], difficulty=d["difficulty"],
                                          type=d["type"], status=d["status"],
                                          author=d["author"].strip(), atlas=d["atlas"])
    page = _page(request, selectors.question_search(filters))
    template = ("curation/question_list.html#results" if request.headers.get("HX-Request")
                else "curation/question_list.html")
    return render(request, template, {"form": form, "page": page,
                                      "query": _query_without_page(request)})


def _run_validation(form: QuestionForm, slug: str | None = None) -> dict | None:
    """Run Django's field parsing and the bank's rules; returns the item if both pass."""
    django_ok = form.is_valid()
    # A field Django refused (e.g. over its length limit) is missing from the item: show
    # Django's own message, not the bank's "required", in that field's section.
    refused = form.refused_sections()
    form.set_errors(refused)
    item = form.item()
    if slug is not None:  # an edit keeps the question's id
        item = {"id": slug, **item}
    try:
        services.question_validate(item=item)
    except CurationError as exc:
        form.set_errors({k: v for k, v in exc.errors.items() if k not in refused})
        return None
    return item if django_ok else None


@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest) -> HttpResponse:
    selectors.require_instructor(request.user)
    form = QuestionForm(request.POST or None, creating=True)
    if request.method == "POST":
        item = _run_validation(form)
        if item is not None:
            try:
                question = services.question_create(user=request.user, item=item)
            except CurationError as exc:
                form.set_errors(exc.errors)
            else:
                messages.success(request, f"Draft {question.slug} created.")
                return redirect("curation:question", slug=question.slug)
    return render(request, "curation/question_form.html", {"form": form, "question": None},
                  status=400 if form.section_errors or form.errors else 200)


@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, slug: str) -> HttpResponse:
    question = selectors.get_question_for_instructor(request.user, slug)
    initial = QuestionForm.initial_from(question.current_version.content)
    form = QuestionForm(request.POST or None, initial=initial, creating=False)
    if request.method == "POST":
        item = _run_validation(form, slug=question.slug)
        if item is not None:
            try:
                version = services.question_update(user=request.user, question=question,
                                                   item=item)
            except CurationError as exc:
                form.set_errors(exc.errors)
            else:
                messages.success(request, f"Saved as version {version.number}.")
                return redirect("curation:question", slug=question.slug)
    return render(request, "curation/question_form.html", {"form": form, "question": question},
                  status=400 if form.section_errors or form.errors else 200)


@require_POST
def question_preview(request: HttpRequest) -> HttpResponse:
    """The learner's view of the form's current content, rendered and sanitised like play."""
    selectors.require_instructor(request.user)
    form = QuestionForm(request.POST, creating="id" in request.POST)
    form.is_valid()
    item = form.item()
    artifact = item.get("artifact") or None
    content = (artifact or {}).get("content") or ""
    preview = {
        "stem_html": render_markdown(item.get("stem") or ""),
        "artifact": artifact if artifact and artifact.get("content") else None,
        "type": item.get("type"),
        "choices": [c["text"] for c in item.get("choices", [])],
        # Hotspot: the artifact's lines (capped like the bank) with the key lines marked, for the
        # author to click; ordering: the steps as written (learners see them shuffled).
        "lines": [{"number": n, "text": line, "key": n in (item.get("key_lines") or [])}
                  for n, line in enumerate(content.rstrip("\n").split("\n")[:limits.HOTSPOT_MAX_LINES],
                                           start=1)] if item.get("type") == "hotspot" and content
        else [],
        "steps": item.get("steps") or [],
    }
    return render(request, "curation/_preview.html", {"preview": preview})


@require_GET
def question_detail(request: HttpRequest, slug: str) -> HttpResponse:
    question = selectors.get_question_for_instructor(request.user, slug)
    return render(request, "curation/question_detail.html", {
        "question": question,
        "version": selectors.version_detail(question.current_version),
        "pending": selectors.pending_review(question),
        "reviews": selectors.question_reviews(question)[:20],
        "events": audit_events(question=question)[:20],
        "open_reports": selectors.report_queue().filter(question=question),
        "transition_form": TransitionForm(),
    })


@require_POST
def question_transition(request: HttpRequest, slug: str) -> HttpResponse:
    question = selectors.get_question_for_instructor(request.user, slug)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That action is not known, or the comment is over 2,000 "
                                "characters.")
        return redirect("curation:question", slug=question.slug)
    try:
        changed = services.question_transition(user=request.user, question=question,
                                               action=form.cleaned_data["action"],
                                               comment=form.cleaned_data["comment"])
    except CurationError as exc:
        messages.error(request, exc.message)
    else:
        question.refresh_from_db()
        if changed:
            messages.success(request, f"The question is now {question.get_status_display()}.")
        else:
            messages.info(request, f"Nothing to do: the question is already "
                                   f"{question.get_status_display()}.")
    return redirect("curation:question", slug=question.slug)


@require_GET
def question_versions(request: HttpRequest, slug: str) -> HttpResponse:
    """The version history, and two versions compared field by field: the ones the form
    names (`a` to `b`), else the current version against its predecessor."""
    question = selectors.get_question_for_instructor(request.user, slug)
    versions = list(selectors.question_versions(question))
    diff, old, new = None, None, None
    if "a" in request.GET and "b" in request.GET:
        old = selectors.version_get(question, request.GET["a"])
        new = selectors.version_get(question, request.GET["b"])
    elif len(versions) > 1:
        new, old = versions[0], versions[1]
    if old is not None and new is not None:
        diff = version_field_diff(old.content, new.content)
    return render(request, "curation/question_versions.html", {
        "question": question, "versions": versions, "diff": diff, "old": old, "new": new,
        "changed": [f for f in diff or [] if f.changed],
        "unchanged": [f.label for f in diff or [] if not f.changed],
    })


@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    selectors.require_instructor(request.user)
    return render(request, "curation/audit_list.html",
                  {"page": _page(request, audit_events())})


@require_GET
def atlas_coverage(request: HttpRequest) -> HttpResponse:
    selectors.require_instructor(request.user)
    return render(request, "curation/atlas_coverage.html",
                  {"coverage": bank_selectors.atlas_coverage(),
                   "version": atlas_catalogue().version})


@require_GET
def report_queue(request: HttpRequest) -> HttpResponse:
    selectors.require_instructor(request.user)
    state = request.GET.get("state", Report.State.OPEN)
    if state not in Report.State.values:
        state = ""
    return render(request, "curation/report_queue.html", {
        "page": _page(request, selectors.report_queue(state=state)), "state": state,
        "states": Report.State.values, "handle_form": ReportHandleForm(),
    })


@require_POST
def report_handle(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.get_report_for_instructor(request.user, report_id)
    form = ReportHandleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose resolve or dismiss and write a note for the learner.")
        return redirect("curation:reports")
    try:
        changed = services.report_handle(user=request.user, report=report,
                                         state=form.cleaned_data["state"],
                                         note=form.cleaned_data["note"])
    except CurationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Report {report.pk} {form.cleaned_data['state']}."
                         if changed else f"Report {report.pk} was already handled.")
    return redirect("curation:reports")


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("report_create")
def report_create(request: HttpRequest, public_id, number: int) -> HttpResponse:
    aq = selectors.get_answered_question_for(request.user, public_id, number)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(user=request.user, attempt_question=aq,
                                   kind=form.cleaned_data["kind"],
                                   comment=form.cleaned_data["comment"])
        except CurationError as exc:
            for field, errors in exc.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, "Thank you: an instructor will look at your report.")
            return redirect("curation:my_reports")
    return render(request, "curation/report_form.html", {
        "form": form, "aq": aq, "stem_html": aq.version.stem_html,
    }, status=400 if form.errors else 200)


@login_required
@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    return render(request, "curation/my_reports.html",
                  {"page": _page(request, selectors.reports_of(request.user))})
