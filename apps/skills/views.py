from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.services import profile_get_or_create
from apps.bank.models import Topic
from apps.core.ratelimit import rate_limit
from apps.quiz.services import MAX_COUNT, QuizError, quiz_start_review
from apps.skills import charts, selectors, services
from apps.skills.access import require_instructor
from apps.skills.models import LeaderboardPreference


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    summary = selectors.skill_summary(request.user)
    if summary["stats_stale"]:
        services.skill_stats_refresh_soon()
    # The middleware activated the learner's zone from the session: no profile read.
    past = selectors.history(request.user, zone=timezone.get_current_timezone())
    hidden = LeaderboardPreference.objects.filter(user=request.user, hide_name=True).exists()
    return render(request, "skills/dashboard.html", {
        "summary": summary,
        "history": past,
        # Charts show what the learner has evidence for; the tables list everything.
        "topic_chart": charts.bar_chart([t for t in summary["topics"] if t["evidence"]]),
        "resource_chart": charts.bar_chart([r for r in summary["resources"] if r["evidence"]]),
        "rating_chart": charts.line_chart([r["rating"] for r in past["rating"]],
                                          dates=[timezone.localtime(r["at"]) for r in past["rating"]]),
        "accuracy_chart": charts.line_chart([a["accuracy"] for a in past["accuracy"]],
                                            dates=[a["day"] for a in past["accuracy"]],
                                            low=0, high=100),
        "due": selectors.due_count(request.user),
        "hide_name": hidden,
    })


@login_required
@require_POST
@rate_limit("quiz_start")
def review_start(request: HttpRequest) -> HttpResponse:
    due = selectors.due_reviews(request.user)[:MAX_COUNT]
    ids = [card.question.current_version_id for card in due]
    try:
        attempt = quiz_start_review(
            user=request.user, version_ids=ids,
            time_factor=profile_get_or_create(user=request.user).time_factor)
    except QuizError as exc:
        messages.info(request, exc.message)
        return redirect("skills:dashboard")
    return redirect("quiz:play", public_id=attempt.public_id)


@login_required
@require_POST
def privacy(request: HttpRequest) -> HttpResponse:
    value = request.POST.get("hide_name", "")
    if value not in ("on", "off"):
        messages.error(request, "Choose whether to show your name on leaderboards.")
        return redirect("skills:leaderboards")
    services.leaderboard_preference_set(user=request.user, hide_name=value == "on")
    messages.success(request, "Leaderboards now show you as "
                     + ("“Anonymous learner”." if value == "on" else "your username."))
    return redirect("skills:leaderboards")


@login_required
@require_GET
def leaderboards(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "rating")
    topics = list(Topic.objects.all())
    board = selectors.leaderboard(kind=kind, viewer=request.user, topics=topics)
    hidden = LeaderboardPreference.objects.filter(user=request.user, hide_name=True).exists()
    return render(request, "skills/leaderboards.html", {
        "board": board, "kinds": selectors.leaderboard_kinds(topics), "hide_name": hidden})


@require_GET
def calibration(request: HttpRequest) -> HttpResponse:
    require_instructor(request)
    return render(request, "skills/calibration.html",
                  {"report": selectors.calibration_report()})
