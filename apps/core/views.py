from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.bank.selectors import published_versions, resources_with_counts, topics_with_counts
from apps.core.health import health_report


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {
        "question_count": published_versions().count(),
        "topics": topics_with_counts(),
        "resource_count": resources_with_counts().count(),
    })


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, results = health_report()
    # A missing worker degrades the platform (skill updates wait, rounds close by the sweep)
    # but the web process itself serves: 200 with "degraded", so a probe does not restart it.
    state = "unavailable" if not healthy else (
        "degraded" if str(results.get("worker", "")).startswith("degraded") else "ok")
    return JsonResponse({"status": state, **results}, status=200 if healthy else 503)
