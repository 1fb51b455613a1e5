"""Instructor pages for item analysis. Everyone else gets 404."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.insights import selectors


@require_GET
def question_list(request: HttpRequest) -> HttpResponse:
    selectors.require_instructor(request.user)
    attention = request.GET.get("attention") == "1"
    sort, direction = selectors.sort_order(request.GET.get("sort"), request.GET.get("dir"))
    rows = selectors.question_stats_sorted(selectors.question_stats(attention_only=attention),
                                           sort=sort, direction=direction)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    columns = [_column(request, name, label, sort, direction) for name, label in COLUMNS]
    return render(request, "insights/question_list.html", {
        "page": page, "attention": attention, "columns": columns, "direction": direction,
        "query": _query(request, sort=sort, dir=direction)})


COLUMNS = (("question", "Question"), ("answers", "Answers"), ("facility", "Facility"),
           ("discrimination", "Discrimination"), ("time", "Mean time"),
           ("attention", "Needs attention"))


def _query(request: HttpRequest, **changes) -> str:
    """The page's query string with `changes` (and without `page`: a new order starts again)."""
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


def _column(request: HttpRequest, name: str, label: str, sort: str, direction: str) -> dict:
    """A header: its link sorts by the column (again: the other way round), and `aria_sort`
    tells assistive technology which column the table is sorted by."""
    active = name == sort
    # Counts and flags read best largest first; names and times smallest first.
    first = "desc" if name in ("answers", "attention") else "asc"
    next_dir = ("asc" if direction == "desc" else "desc") if active else first
    return {"name": name, "label": label, "active": active,
            "aria_sort": ("ascending" if direction == "asc" else "descending") if active else "",
            "arrow": ("▲" if direction == "asc" else "▼") if active else "",
            "href": "?" + _query(request, sort=name, dir=next_dir)}


@require_GET
def question_detail(request: HttpRequest, slug: str) -> HttpResponse:
    row = selectors.question_stats_for(request.user, slug)
    return render(request, "insights/question_detail.html", {"row": row})
