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
    rows = selectors.question_stats(attention_only=attention)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "insights/question_list.html", {"page": page, "attention": attention})


@require_GET
def question_detail(request: HttpRequest, slug: str) -> HttpResponse:
    row = selectors.question_stats_for(request.user, slug)
    return render(request, "insights/question_detail.html", {"row": row})
