from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.bank.selectors import resources_with_counts, topics_with_counts


@require_GET
def resource_list(request: HttpRequest) -> HttpResponse:
    return render(request, "bank/resource_list.html", {"resources": resources_with_counts()})


@require_GET
def topic_list(request: HttpRequest) -> HttpResponse:
    return render(request, "bank/topic_list.html", {"topics": topics_with_counts()})
