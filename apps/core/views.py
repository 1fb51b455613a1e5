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
    """200 while this process can serve ("ok", or "degraded" when only the worker is missing: a
    web process must not be restarted for that), 503 when a service it needs is unreachable."""
    status, results = health_report()
    return JsonResponse({"status": status, **results},
                        status=503 if status == "unavailable" else 200)
