"""Pages for head-to-head play. Answers are plain POSTs (htmx swaps the board); live updates come
over the websocket (static/js/match.js)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from apps.bank.models import Topic
from apps.core.ratelimit import rate_limit
from apps.matches import selectors, services
from apps.matches.models import Match
from apps.matches.services import MatchError


def _topic(request: HttpRequest) -> Topic | None:
    slug = request.POST.get("topic") or request.GET.get("topic")
    return Topic.objects.filter(slug=slug).first() if slug else None


def _go(match: Match) -> HttpResponse:
    return redirect("matches:play", public_id=match.public_id)


@login_required
@require_GET
def lobby(request: HttpRequest) -> HttpResponse:
    return render(request, "matches/lobby.html", {
        "rating": selectors.rating_for(request.user), "topics": Topic.objects.all(),
        "history": selectors.match_history(request.user)[:10],
    })


@login_required
@require_POST
@rate_limit("match_create")
def queue_join(request: HttpRequest) -> HttpResponse:
    result = services.queue_join(user=request.user, topic=_topic(request))
    if isinstance(result, Match):
        return _go(result)
    return redirect("matches:queue")


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    services.queue_wave_due()
    try:
        result = services.queue_status(user=request.user)
    except MatchError:
        return redirect("matches:lobby")
    if isinstance(result, Match):
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("matches:play", args=[result.public_id])
            return response
        return _go(result)
    from django.conf import settings
    from django.utils import timezone

    waited = (timezone.now() - result.joined_at).total_seconds()
    context = {"entry": result, "waited": int(waited),
               "offer_bot": waited >= settings.MATCH_QUEUE_BOT_OFFER_SECONDS
               * settings.PLAY_TIME_SCALE}
    template = "matches/queue.html#status" if request.headers.get("HX-Request") \
        else "matches/queue.html"
    return render(request, template, context)


@login_required
@require_POST
def queue_leave(request: HttpRequest) -> HttpResponse:
    match = services.queue_leave(user=request.user)
    if match is not None:
        return _go(match)
    messages.info(request, "You left the queue.")
    return redirect("matches:lobby")


@login_required
@require_POST
@rate_limit("match_create")
def bot_start(request: HttpRequest) -> HttpResponse:
    try:
        level = int(request.POST.get("level", "2"))
        services.queue_leave(user=request.user)
        match = services.bot_match_create(user=request.user, level=level, topic=_topic(request))
    except (ValueError, MatchError) as exc:
        messages.error(request, getattr(exc, "message", "Choose a bot level from 1 to 5."))
        return redirect("matches:lobby")
    return _go(match)


@login_required
@require_POST
@rate_limit("match_create")
def challenge_create(request: HttpRequest) -> HttpResponse:
    match = services.challenge_create(user=request.user,
                                      ranked=request.POST.get("ranked") == "on",
                                      topic=_topic(request))
    return redirect("matches:challenge", code=match.challenge_code)


@require_GET
def challenge_enter(request: HttpRequest) -> HttpResponse:
    """The lobby's "have a code?" box: a well-formed code opens its challenge page (which says
    when no challenge has it); anything else comes back to the lobby with a message."""
    code = "".join((request.GET.get("code") or "").split()).upper()
    if not re.fullmatch(r"[A-Z0-9]{4,12}", code):
        messages.error(request, "A challenge code is 4 to 12 letters and digits, e.g. K7QX2M.")
        return redirect("matches:lobby")
    return redirect("matches:challenge", code=code)


@require_GET
def challenge(request: HttpRequest, code: str) -> HttpResponse:
    match = Match.objects.filter(challenge_code=code.upper()).first()
    if match is None:
        return render(request, "matches/challenge.html", {"missing": True}, status=404)
    if match.state != Match.State.WAITING and request.user.is_authenticated and \
            match.players.filter(user=request.user).exists():
        if request.headers.get("HX-Request"):  # the waiting page's poll: leave for the match
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("matches:play", args=[match.public_id])
            return response
        return _go(match)
    creator = match.players.get(seat=0)
    return render(request, "matches/challenge.html", {
        "match": match, "creator": creator, "is_creator": creator.user_id == request.user.pk,
        "link": request.build_absolute_uri(reverse("matches:challenge", args=[code.upper()])),
    })


@login_required
@require_POST
@rate_limit("match_create")
def challenge_accept(request: HttpRequest, code: str) -> HttpResponse:
    try:
        match = services.challenge_accept(code=code, user=request.user,
                                          ranked=request.POST.get("ranked") == "on")
    except MatchError as exc:
        messages.error(request, exc.message)
        return redirect("matches:lobby")
    return _go(match)


def _board(request: HttpRequest, match: Match, notice: str = "") -> HttpResponse:
    state = selectors.match_state(match, request.user)
    template = "matches/play.html#board" if request.headers.get("HX-Request") \
        else "matches/play.html"
    return render(request, template, {"state": state, "notice": notice})


@never_cache  # Back then Forward must not show a question that has moved on
@login_required
@require_GET
def play(request: HttpRequest, public_id) -> HttpResponse:
    match = selectors.get_match_for_player(request.user, public_id)
    if match.state == Match.State.WAITING:
        return redirect("matches:challenge", code=match.challenge_code)
    services.player_seen(match=match, user=request.user)
    services.match_advance(match_id=match.pk)  # close-on-read
    return _board(request, match)


@login_required
@require_POST
def answer(request: HttpRequest, public_id) -> HttpResponse:
    match = selectors.get_match_for_player(request.user, public_id)
    notice = ""
    try:
        outcome = services.match_answer(match=match, user=request.user,
                                        number=int(request.POST.get("number", "0")),
                                        keys=request.POST.getlist("choice"))
    except ValueError:
        notice = "That answer did not say which round it was for."
    except MatchError as exc:
        notice = exc.message
    else:
        if outcome.kind == "late":
            notice = "Time was up before your answer arrived, so it was not counted."
        elif outcome.kind == "conflict":
            notice = "You already answered this round; your first answer counts."
    if not request.headers.get("HX-Request"):
        if notice:
            messages.warning(request, notice)
        return _go(match)
    return _board(request, match, notice)


@login_required
@require_POST
def tick(request: HttpRequest, public_id) -> HttpResponse:
    """The client's timer ran out: the server checks the clock itself and advances if due."""
    match = selectors.get_match_for_player(request.user, public_id)
    services.match_advance(match_id=match.pk)
    return _board(request, match)


@login_required
@require_POST
def claim(request: HttpRequest, public_id) -> HttpResponse:
    match = selectors.get_match_for_player(request.user, public_id)
    try:
        services.match_claim(match=match, user=request.user)
    except MatchError as exc:
        messages.warning(request, exc.message)
    return _go(match)


@login_required
@require_POST
@rate_limit("match_create")
def rematch(request: HttpRequest, public_id) -> HttpResponse:
    match = selectors.get_match_for_player(request.user, public_id)
    try:
        if match.kind == Match.Kind.BOT:
            return _go(services.bot_match_create(user=request.user, level=match.bot_level,
                                                 topic=match.topic))
        new = services.rematch_request(match=match, user=request.user)
    except MatchError as exc:
        messages.error(request, exc.message)
        return _go(match)
    if new.state == Match.State.WAITING:
        messages.info(request, "Rematch offered: it starts when your opponent accepts it from "
                               "their end screen (or send them this link).")
        return redirect("matches:challenge", code=new.challenge_code)
    return _go(new)


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    return render(request, "matches/history.html", {
        "matches": selectors.match_history(request.user),
        "rating": selectors.rating_for(request.user)})


