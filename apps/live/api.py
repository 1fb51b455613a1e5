"""The live-game API: the host's endpoints answer 404 to anyone but the host; players act with
the seat secret `game_join` returned (header `X-Live-Player`, or the seat cookie of the pages)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from apps.bank.models import Resource, Topic
from apps.core import push
from apps.core.api import ErrorOut
from apps.core.ratelimit import RateLimited, rate_limit, refusal
from apps.live import controls, selectors, services
from apps.live.models import NICKNAME_MAX, LiveGame
from apps.live.services import (
    MAX_COUNT,
    MAX_SECONDS,
    MAX_TEAMS,
    MIN_COUNT,
    MIN_SECONDS,
    GameSpec,
    LiveError,
)
from apps.play.api import picks_field

PLAYER_HEADER = OpenApiParameter("X-Live-Player", str, OpenApiParameter.HEADER, required=True,
                                 description="The seat secret returned by join")


class GameCreateInput(serializers.Serializer):
    count = serializers.IntegerField(min_value=MIN_COUNT, max_value=MAX_COUNT, default=10)
    seconds_per_question = serializers.IntegerField(min_value=MIN_SECONDS,
                                                    max_value=MAX_SECONDS, default=20)
    scoring = serializers.ChoiceField(choices=LiveGame.Scoring.values, default="speed")
    topic = serializers.SlugField(required=False)
    resource = serializers.SlugField(required=False)
    difficulty = serializers.IntegerField(min_value=1, max_value=3, required=False)
    teams = serializers.IntegerField(min_value=0, max_value=MAX_TEAMS, default=0,
                                     help_text="0 for solo, else 2 to 6 teams (balanced)")
    questions = serializers.ListField(
        child=serializers.SlugField(max_length=120), max_length=MAX_COUNT, required=False,
        help_text="A hand-picked set: question ids, played in this order")
    assignment = serializers.IntegerField(min_value=1, required=False,
                                          help_text="One of your cohorts' assignments")
    missed_by_cohort = serializers.IntegerField(
        min_value=1, required=False, help_text="One of your cohorts: what it missed most")

    def validate_teams(self, value):
        if value == 1:
            raise serializers.ValidationError("One team is no team: 0, or 2 to 6.")
        return value

    def validate_topic(self, value):
        if not Topic.objects.filter(slug=value).exists():
            raise serializers.ValidationError("Unknown topic.")
        return value

    def validate_resource(self, value):
        if not Resource.objects.filter(slug=value).exists():
            raise serializers.ValidationError("Unknown resource.")
        return value


class JoinInput(serializers.Serializer):
    pin = serializers.RegexField(r"^\d{6}$", error_messages={"invalid": "A PIN is 6 digits."})
    nickname = serializers.CharField(required=False, allow_blank=True, max_length=NICKNAME_MAX)


class JoinOut(serializers.Serializer):
    game = serializers.UUIDField()
    player = serializers.IntegerField()
    nickname = serializers.CharField()
    token = serializers.CharField(help_text="The seat secret: send it as X-Live-Player")


class AnswerInput(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=MAX_COUNT)
    choices = picks_field()


class NumberInput(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=MAX_COUNT)


class LockInput(serializers.Serializer):
    locked = serializers.BooleanField()


class GameOut(serializers.Serializer):
    """The room's view: the question without its key while open; the key, the answer
    distribution and the explanation only once it is closed."""

    id = serializers.UUIDField()
    pin = serializers.CharField()
    state = serializers.ChoiceField(choices=LiveGame.State.values)
    version = serializers.IntegerField()
    number = serializers.IntegerField()
    count = serializers.IntegerField()
    scoring = serializers.CharField()
    seconds_per_question = serializers.IntegerField()
    paused = serializers.BooleanField()
    locked = serializers.BooleanField()
    players = serializers.IntegerField()
    lobby = serializers.ListField(child=serializers.CharField(), required=False)
    question = serializers.DictField(allow_null=True)
    reveal = serializers.DictField(allow_null=True)
    top = serializers.ListField(child=serializers.DictField(),
                                help_text="The top 5: nickname, score, team, moved (places up "
                                          "since the last reveal)")
    teams = serializers.ListField(child=serializers.DictField(),
                                  help_text="Team standings (team games): mean score per team")


class PlayerGameOut(GameOut):
    me = serializers.DictField()


def _error(exc: LiveError) -> Response:
    return Response({"detail": exc.message}, status=exc.status)


def _host_game(request: Request, game_id) -> LiveGame:
    return selectors.get_game_for_host(request.user, game_id)


def _seat(request: Request, game: LiveGame):
    """The API knows a seat by its header only: a cookie is sent by the browser on its own, so
    the pages (with their CSRF check) are the only door that reads it."""
    return services.player_rejoin(game=game, token=request.headers.get("X-Live-Player") or "")


# --- Host --------------------------------------------------------------------------------------

@extend_schema(request=GameCreateInput,
               responses={201: GameOut, 400: ErrorOut, 401: ErrorOut, 409: ErrorOut,
                          429: ErrorOut},
               summary="Host a live game (a PIN for the room)")
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@rate_limit("live_create")
def game_create(request: Request) -> Response:
    data = GameCreateInput(data=request.data)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    try:
        game = services.game_create(host=request.user, spec=GameSpec(
            count=v["count"], seconds=v["seconds_per_question"], scoring=v["scoring"],
            topic=v.get("topic"), resource=v.get("resource"), difficulty=v.get("difficulty"),
            teams=v["teams"], questions=tuple(v.get("questions", ())),
            assignment=v.get("assignment"), missed_by_cohort=v.get("missed_by_cohort")))
    except LiveError as exc:
        return _error(exc)
    return Response(selectors.room_view(game), status=status.HTTP_201_CREATED)


@extend_schema(responses={200: GameOut, 401: ErrorOut, 404: ErrorOut},
               summary="The game as the projector shows it (host only)")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def game_detail(request: Request, game_id) -> Response:
    game = services.game_refresh(game=_host_game(request, game_id))  # close-on-read
    return Response(selectors.room_view(game))


CONTROL_INPUT = {"next": NumberInput, "skip": NumberInput, "lock": LockInput}


@extend_schema(request=None, responses={200: GameOut, 400: ErrorOut, 401: ErrorOut,
                                        404: ErrorOut, 409: ErrorOut},
               summary="A host's control: start, next, skip, pause, resume, end or lock "
                       "(next and skip take {question}, lock takes {locked}); each idempotent")
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def game_control(request: Request, game_id, action: str) -> Response:
    game = _host_game(request, game_id)
    if action not in controls.CONTROLS:
        return Response({"detail": "Unknown control."}, status=status.HTTP_404_NOT_FOUND)
    data = {}
    if action in CONTROL_INPUT:
        form = CONTROL_INPUT[action](data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
    try:
        game = controls.CONTROLS[action](game, data)
    except LiveError as exc:
        return _error(exc)
    return Response(selectors.room_view(game))


@extend_schema(request=None, responses={200: GameOut, 401: ErrorOut, 404: ErrorOut},
               summary="Remove a player (host only)")
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def player_remove(request: Request, game_id, player_id: int) -> Response:
    game = _host_game(request, game_id)
    try:
        services.player_remove(game=game, player_id=player_id)
    except LiveError as exc:
        return _error(exc)
    game.refresh_from_db()
    return Response(selectors.room_view(game))


@extend_schema(responses={200: serializers.DictField(), 401: ErrorOut, 404: ErrorOut},
               summary="The game's report: per player and per question (host only)")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def game_report(request: Request, game_id) -> Response:
    return Response(selectors.game_report(_host_game(request, game_id)))


class TicketOut(serializers.Serializer):
    ticket = serializers.CharField()
    expires_in = serializers.IntegerField()
    url = serializers.CharField(help_text="Open this websocket within expires_in seconds")


@extend_schema(parameters=[OpenApiParameter(
                   "X-Live-Player", str, OpenApiParameter.HEADER, required=False,
                   description="A player's seat secret (the host authenticates as usual)")],
               request=None, responses={201: TicketOut, 404: ErrorOut, 429: ErrorOut},
               summary="A short-lived, single-use ticket to open the game's websocket "
                       "(a player's or the host's)")
@api_view(["POST"])
@permission_classes([AllowAny])
@rate_limit("live_ticket", by_address=True)
def game_ticket(request: Request, game_id) -> Response:
    game = selectors.get_game(game_id)
    player = _seat(request, game)
    if player is not None:
        value = (game.pk, "player", player.pk)
    elif request.user.is_authenticated and game.host_id == request.user.pk:
        value = (game.pk, "host", request.user.pk)
    else:
        return Response({"detail": "No such game."}, status=status.HTTP_404_NOT_FOUND)
    ticket = push.ticket_issue("live", value)
    return Response({"ticket": ticket, "expires_in": push.TICKET_SECONDS,
                     "url": f"/ws/live/{game.public_id}/?ticket={ticket}"},
                    status=status.HTTP_201_CREATED)


# --- Players -----------------------------------------------------------------------------------

@extend_schema(request=JoinInput,
               responses={201: JoinOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                          409: ErrorOut, 429: ErrorOut},
               summary="Join a game with its PIN (signed in: as yourself; else a nickname)")
@api_view(["POST"])
@permission_classes([AllowAny])
@rate_limit("live_join", by_address=True)
def game_join(request: Request) -> Response:
    data = JoinInput(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        player, token = controls.join_with_pin(request, data.validated_data["pin"],
                             data.validated_data.get("nickname", ""))
    except RateLimited as exc:
        return refusal(request, exc)
    except LiveError as exc:
        return _error(exc)
    return Response({"game": str(player.game.public_id), "player": player.pk,
                     "nickname": player.nickname, "token": token},
                    status=status.HTTP_201_CREATED)


@extend_schema(parameters=[PLAYER_HEADER, OpenApiParameter(
                   "v", int, description="The version you have: 204 while it is still current")],
               responses={200: PlayerGameOut, 204: None, 404: ErrorOut},
               summary="The game as this player sees it (their score, rank and result)")
@api_view(["GET"])
@permission_classes([AllowAny])
def game_play(request: Request, game_id) -> Response:
    game = selectors.get_game(game_id)
    player = _seat(request, game)
    if player is None:
        return Response({"detail": "No such game."}, status=status.HTTP_404_NOT_FOUND)
    game = services.game_refresh(game=game)  # close-on-read
    if request.query_params.get("v") == str(game.version):
        return Response(status=status.HTTP_204_NO_CONTENT)
    return Response(selectors.player_view(game, player))


@extend_schema(parameters=[PLAYER_HEADER], request=AnswerInput,
               responses={200: PlayerGameOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                          409: OpenApiResponse(ErrorOut, description="Late, paused, not open, "
                                               "or a different second answer"),
                          429: OpenApiResponse(ErrorOut, description="Too many answers from "
                                               "this seat (RATE_LIMIT_LIVE_ANSWER); see "
                                               "Retry-After")},
               summary="Answer the open question (once)")
@api_view(["POST"])
@permission_classes([AllowAny])
def game_answer(request: Request, game_id) -> Response:
    game = selectors.get_game(game_id)
    player = _seat(request, game)
    if player is None:
        return Response({"detail": "No such game."}, status=status.HTTP_404_NOT_FOUND)
    data = AnswerInput(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        outcome = services.game_answer(game=game, player=player,
                                       number=data.validated_data["question"],
                                       keys=data.validated_data["choices"])
    except LiveError as exc:
        return _error(exc)
    except RateLimited as exc:
        return refusal(request, exc)
    if outcome.kind == "late":
        return Response({"detail": "Time is up for this question; the answer was not counted."},
                        status=status.HTTP_409_CONFLICT)
    if outcome.kind == "conflict":
        return Response({"detail": "You already answered this question; your first answer "
                                   "counts."}, status=status.HTTP_409_CONFLICT)
    game.refresh_from_db()
    return Response({"outcome": outcome.kind, **selectors.player_view(game, player)})
