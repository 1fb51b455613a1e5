from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.services import profile_get_or_create
from apps.core.ratelimit import rate_limit
from apps.quiz import selectors, services
from apps.quiz.forms import QuizForm
from apps.quiz.models import QuizAttempt
from apps.quiz.services import QuizError, QuizSpec


def _time_factor(request: HttpRequest) -> float:
    if request.user.is_authenticated:
        return profile_get_or_create(user=request.user).time_factor
    return 1.0


def _remember(request: HttpRequest, attempt: QuizAttempt) -> None:
    if attempt.user_id is None:
        ids = selectors.session_attempt_ids(request.session)
        request.session[selectors.SESSION_KEY] = [*ids[-49:], str(attempt.public_id)]


def _attempt(request: HttpRequest, public_id) -> QuizAttempt:
    return selectors.get_attempt_for(user=request.user, session=request.session,
                                     public_id=public_id)


def _ref(request: HttpRequest, public_id) -> services.AttemptRef:
    """The attempt the URL names, resolved by the service's first query (404 to outsiders)."""
    signed_in_only = request.user.is_authenticated and not selectors.session_attempt_ids(
        request.session)
    return services.AttemptRef(public_id, selectors.attempt_owner(user=request.user,
                                                                  session=request.session),
                               user_id=request.user.pk if signed_in_only else None)


def _refresh(request: HttpRequest, public_id) -> QuizAttempt:
    try:
        return services.quiz_refresh(attempt=_ref(request, public_id))
    except services.QuizNotFound:
        raise Http404("No such quiz.") from None


def _start(request: HttpRequest, spec: QuizSpec) -> HttpResponse:
    try:
        attempt = services.quiz_start(
            user=request.user, spec=spec, time_factor=_time_factor(request),
            session_attempt_ids=selectors.session_attempt_ids(request.session))
    except QuizError as exc:
        messages.error(request, exc.message)
        return redirect("quiz:new")
    _remember(request, attempt)
    return redirect("quiz:play", public_id=attempt.public_id)


@require_POST
@rate_limit("quiz_start")
def quick_start(request: HttpRequest) -> HttpResponse:
    return _start(request, QuizSpec(count=settings.QUIZ_DEFAULT_QUESTIONS,
                                    seconds=settings.QUIZ_DEFAULT_SECONDS))


@require_http_methods(["GET", "POST"])
@rate_limit("quiz_start")
def new(request: HttpRequest) -> HttpResponse:
    form = QuizForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _start(request, form.spec())
    return render(request, "quiz/new.html", {"form": form})


def _render_play(request: HttpRequest, attempt: QuizAttempt, status: int = 200,
                 notice: str = "") -> HttpResponse:
    if attempt.state == QuizAttempt.State.FINISHED and not request.headers.get("HX-Request"):
        return redirect("quiz:results", public_id=attempt.public_id)
    template = "quiz/play.html#card" if request.headers.get("HX-Request") else "quiz/play.html"
    context = {
        "attempt": attempt, "notice": notice,
        "state": selectors.attempt_state(
            attempt, current=getattr(attempt, "current_question", None),
            session_attempt_ids=selectors.session_attempt_ids(request.session)),
        "grace_ms": int(settings.QUIZ_GRACE_SECONDS * settings.PLAY_TIME_SCALE * 1000),
        "play_url": reverse("quiz:play", args=[attempt.public_id]),
    }
    return render(request, template, context, status=status)


@never_cache  # Back then Forward must not show a question that has moved on
@require_GET
def play(request: HttpRequest, public_id) -> HttpResponse:
    attempt = _refresh(request, public_id)
    return _render_play(request, attempt)


def _number(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("number", ""))
    except ValueError:
        return None


@require_POST
def answer(request: HttpRequest, public_id) -> HttpResponse:
    number = _number(request)
    notice, status, attempt = "", 200, None
    if number is None:
        notice, status = "That answer did not say which question it was for.", 400
    else:
        try:
            outcome = services.quiz_answer(attempt=_ref(request, public_id), number=number,
                                           keys=request.POST.getlist("choice"))
        except services.QuizNotFound:
            raise Http404("No such quiz.") from None
        except QuizError as exc:
            notice, status = exc.message, exc.status
        else:
            attempt = outcome.question.attempt
            if outcome.question.number == attempt.current_number:
                attempt.current_question = outcome.question
            if outcome.kind == "late":
                notice = "Time was up before your answer arrived, so it was not counted."
            elif outcome.kind == "conflict":
                notice = "You already answered this question; your first answer counts."
    if attempt is None:
        attempt = _refresh(request, public_id)
    if not request.headers.get("HX-Request"):
        if notice:
            messages.warning(request, notice)
        return redirect("quiz:play", public_id=attempt.public_id)
    # htmx swaps only 2xx responses by default; errors are shown inside the card.
    return _render_play(request, attempt, notice=notice, status=200 if status < 500 else status)


@require_POST
def next_question(request: HttpRequest, public_id) -> HttpResponse:
    number = _number(request)
    try:
        attempt = (services.quiz_next(attempt=_ref(request, public_id), number=number)
                   if number is not None else services.quiz_refresh(
                       attempt=_ref(request, public_id)))
    except services.QuizNotFound:
        raise Http404("No such quiz.") from None
    if attempt.state == QuizAttempt.State.FINISHED:
        url = reverse("quiz:results", args=[attempt.public_id])
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    if request.headers.get("HX-Request"):
        return _render_play(request, attempt)
    return redirect("quiz:play", public_id=attempt.public_id)


@require_GET
def results(request: HttpRequest, public_id) -> HttpResponse:
    attempt = _refresh(request, public_id)
    if attempt.state != QuizAttempt.State.FINISHED:
        return redirect("quiz:play", public_id=attempt.public_id)
    return render(request, "quiz/results.html",
                  {"attempt": attempt, "summary": selectors.attempt_summary(
                      attempt, session_attempt_ids=selectors.session_attempt_ids(
                          request.session))})


@require_POST
@rate_limit("quiz_start")
def retry(request: HttpRequest, public_id) -> HttpResponse:
    attempt = _attempt(request, public_id)
    try:
        new_attempt = services.quiz_retry_missed(
            attempt=attempt, user=request.user,
            session_attempt_ids=selectors.session_attempt_ids(request.session))
    except QuizError as exc:
        messages.info(request, exc.message)
        return redirect("quiz:results", public_id=attempt.public_id)
    _remember(request, new_attempt)
    return redirect("quiz:play", public_id=new_attempt.public_id)


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    return render(request, "quiz/history.html",
                  {"attempts": selectors.attempt_history(request.user)})
