"""The live game's pages: join (any phone), host a game, the projector with its controls, the
player's screen, the report. Pages poll their board with the version they show (`?v=`) and get
204 (nothing to swap) until the game moves; the countdown runs in the browser from the server's
remaining time."""

from __future__ import annotations

import csv

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.ratelimit import RateLimited, rate_limit, refusal
from apps.live import controls, selectors, services
from apps.live.forms import GameForm, JoinForm
from apps.live.models import LiveGame, LivePlayer
from apps.live.services import LiveError

SEAT_COOKIE_SECONDS = 12 * 3600


def _cookie(game: LiveGame) -> str:
    return f"live-{game.public_id}"


def seated(player: LivePlayer, token: str) -> HttpResponse:
    """The redirect to the player's screen, carrying the seat's secret in its cookie (the join
    page and an LMS launch both end here)."""
    response = redirect("live:play", public_id=player.game.public_id)
    response.set_cookie(_cookie(player.game), token, max_age=SEAT_COOKIE_SECONDS,
                        httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
    return response


def _player(request: HttpRequest, game: LiveGame) -> LivePlayer:
    player = services.player_rejoin(game=game, token=request.COOKIES.get(_cookie(game), ""))
    if player is None:
        raise Http404("No such game.")
    return player


def _unchanged(request: HttpRequest, game: LiveGame, mark: str = "") -> bool:
    return request.headers.get("HX-Request") == "true" and \
        request.GET.get("v") == f"{game.version}{mark}"


@require_http_methods(["GET", "POST"])
@rate_limit("live_join", by_address=True)
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None, initial={"pin": request.GET.get("pin", "")})
    if request.method == "POST" and form.is_valid():
        try:
            player, token = controls.join_with_pin(request, form.cleaned_data["pin"],
                                     form.cleaned_data["nickname"])
        except RateLimited as exc:
            return refusal(request, exc)
        except LiveError as exc:
            form.add_error(None, exc.message)
        else:
            return seated(player, token)
    return render(request, "live/join.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("live_create")
def new(request: HttpRequest) -> HttpResponse:
    initial = {}
    replay = request.GET.get("replay")
    if replay:  # play a past game's set again: the host's own games only
        past = selectors.get_game_for_host(request.user, replay)
        initial["questions"] = "\n".join(past.questions.values_list("version__question__slug",
                                                                     flat=True))
    form = GameForm(request.POST or None, host=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            game = services.game_create(host=request.user, spec=form.spec())
        except LiveError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("live:host", public_id=game.public_id)
    return render(request, "live/new.html", {"form": form})


def _host_context(request: HttpRequest, game: LiveGame) -> dict:
    join_url = request.build_absolute_uri(reverse("live:join") + f"?pin={game.pin}")
    return {"game": game, "view": selectors.room_view(game),
            "join_url": join_url,
            "players": game.players.filter(removed=False).order_by("joined_at")
            if game.state == LiveGame.State.LOBBY else []}


@never_cache  # Back then Forward must not show a question that has moved on
@login_required
@require_GET
def host(request: HttpRequest, public_id) -> HttpResponse:
    game = services.game_refresh(game=selectors.get_game_for_host(request.user, public_id))
    # The projector also moves with each answer (its counter): its mark says how many.
    if _unchanged(request, game, f"-{selectors.answers_in(game)}"):
        return HttpResponse(status=204)
    template = "live/host.html#board" if request.headers.get("HX-Request") else "live/host.html"
    return render(request, template, _host_context(request, game))


@login_required
@require_POST
def host_control(request: HttpRequest, public_id, action: str) -> HttpResponse:
    game = selectors.get_game_for_host(request.user, public_id)
    if action not in controls.CONTROLS:
        raise Http404("Unknown control.")
    number = request.POST.get("number") or "0"
    if not number.isdigit():
        messages.error(request, "That control did not say which question it was for.")
        return redirect("live:host", public_id=game.public_id)
    data = {"question": int(number), "locked": request.POST.get("locked") == "true"}
    try:
        game = controls.CONTROLS[action](game, data)
    except LiveError as exc:
        messages.error(request, exc.message)
    return redirect("live:host", public_id=game.public_id)


@login_required
@require_POST
def host_remove(request: HttpRequest, public_id, player_id: int) -> HttpResponse:
    game = selectors.get_game_for_host(request.user, public_id)
    try:
        services.player_remove(game=game, player_id=player_id)
    except LiveError as exc:
        messages.error(request, exc.message)
    return redirect("live:host", public_id=game.public_id)


@login_required
@require_GET
def qr(request: HttpRequest, public_id) -> HttpResponse:
    """The join link as an SVG QR code, drawn here (segno): nothing fetched from elsewhere."""
    game = selectors.get_game_for_host(request.user, public_id)
    link = request.build_absolute_uri(reverse("live:join") + f"?pin={game.pin}")
    svg = segno.make(link, error="m").svg_inline(scale=8, border=2, dark="#111",
                                                  light="#fff")
    return HttpResponse(svg, content_type="image/svg+xml")


@never_cache  # Back then Forward must not show a question that has moved on
@require_GET
def play(request: HttpRequest, public_id) -> HttpResponse:
    game = selectors.get_game(public_id)
    player = _player(request, game)
    game = services.game_refresh(game=game)  # close-on-read
    if _unchanged(request, game):
        return HttpResponse(status=204)
    template = "live/play.html#board" if request.headers.get("HX-Request") else "live/play.html"
    return render(request, template, {"game": game, "view": selectors.player_view(game, player)})


@require_POST
def answer(request: HttpRequest, public_id) -> HttpResponse:
    game = selectors.get_game(public_id)
    player = _player(request, game)
    try:
        number = int(request.POST.get("number", ""))
        outcome = services.game_answer(game=game, player=player, number=number,
                                       keys=request.POST.getlist("choice"))
    except ValueError:
        messages.error(request, "That answer did not say which question it was for.")
    except LiveError as exc:
        messages.error(request, exc.message)
    except RateLimited as exc:
        return refusal(request, exc)
    else:
        if outcome.kind == "late":
            messages.warning(request, "Time was up before your answer arrived.")
        elif outcome.kind == "conflict":
            messages.warning(request, "You already answered; your first answer counts.")
    if request.headers.get("HX-Request") == "true":  # the page's script: the board at once
        game.refresh_from_db()
        return render(request, "live/play.html#board", {
            "game": game, "view": selectors.player_view(game, player)})
    return redirect("live:play", public_id=game.public_id)


@login_required
@require_GET
def report(request: HttpRequest, public_id) -> HttpResponse:
    game = selectors.get_game_for_host(request.user, public_id)
    return render(request, "live/report.html", {"game": game,
                                                "report": selectors.game_report(game)})


@login_required
@require_GET
def report_csv(request: HttpRequest, public_id) -> HttpResponse:
    game = selectors.get_game_for_host(request.user, public_id)
    data = selectors.game_report(game)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="live-game-{game.pin}.csv"'
    writer = csv.writer(response)
    writer.writerow(["nickname", "team", "signed_in", "removed", "score", "correct", "answered",
                     "mean_seconds"])
    for row in data["players"]:
        # A leading =, +, - or @ would be a formula in a spreadsheet: quote it as text.
        name = row["nickname"]
        writer.writerow(["'" + name if name[:1] in "=+-@" else name, row["team"] or "",
                         row["signed_in"],
                         row["removed"], row["score"], row["correct"], row["answered"],
                         row["mean_seconds"]])
    return response
