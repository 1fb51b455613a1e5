from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from apps.bank.models import Topic
from apps.core.ratelimit import rate_limit
from apps.matches import realtime, selectors, services
from apps.matches.models import Match
from apps.matches.services import MatchError
from apps.play.api import picks_field

Detail = inline_serializer("MatchDetail", {"detail": serializers.CharField()})
State = inline_serializer("MatchState", {
    "id": serializers.UUIDField(), "kind": serializers.CharField(),
    "ranked": serializers.BooleanField(), "state": serializers.CharField(),
    "version": serializers.IntegerField(),
    "round": serializers.DictField(allow_null=True),
    "you": serializers.DictField(), "opponent": serializers.DictField(allow_null=True),
    "history": serializers.ListField(child=serializers.DictField()),
})
QueueOut = inline_serializer("QueueStatus", {
    "state": serializers.ChoiceField(choices=["waiting", "matched"]),
    "match": serializers.UUIDField(allow_null=True),
    "waited_seconds": serializers.IntegerField(), "offer_bot": serializers.BooleanField(),
})


class TopicInput(serializers.Serializer):
    topic = serializers.SlugField(required=False)

    def validate_topic(self, value):
        topic = Topic.objects.filter(slug=value).first()
        if topic is None:
            raise serializers.ValidationError("Unknown topic.")
        return topic


class ChallengeInput(TopicInput):
    ranked = serializers.BooleanField(default=False)


class AcceptInput(serializers.Serializer):
    ranked = serializers.BooleanField(default=False)


class BotInput(TopicInput):
    level = serializers.IntegerField(min_value=1, max_value=5)


class MatchAnswerInput(serializers.Serializer):
    round = serializers.IntegerField(min_value=1, max_value=50)
    choices = picks_field()


def _error(exc: MatchError) -> Response:
    return Response({"detail": exc.message}, status=exc.status)


def _state(match: Match, user, code=status.HTTP_200_OK) -> Response:
    return Response(selectors.match_state(match, user), status=code)


def _queue_response(result, user) -> Response:
    from django.conf import settings
    from django.utils import timezone

    if isinstance(result, Match):
        return Response({"state": "matched", "match": result.public_id, "waited_seconds": 0,
                         "offer_bot": False})
    waited = (timezone.now() - result.joined_at).total_seconds()
    return Response({"state": "waiting", "match": None, "waited_seconds": int(waited),
                     "offer_bot": waited >= settings.MATCH_QUEUE_BOT_OFFER_SECONDS
                     * settings.PLAY_TIME_SCALE})


@extend_schema(methods=["POST"], request=TopicInput, responses={200: QueueOut, 400: Detail},
               summary="Join the ranked queue (returns the match once paired)")
@extend_schema(methods=["GET"], request=None, responses={200: QueueOut, 404: Detail},
               summary="Queue status; runs a matchmaking wave")
@extend_schema(methods=["DELETE"], request=None, responses={204: None, 200: QueueOut},
               summary="Leave the queue")
@api_view(["GET", "POST", "DELETE"])
@permission_classes([IsAuthenticated])
@rate_limit("match_create")
def queue(request: Request) -> Response:
    if request.method == "DELETE":
        match = services.queue_leave(user=request.user)
        if match is not None:
            return _queue_response(match, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
    if request.method == "GET":
        services.queue_wave_due()
        try:
            return _queue_response(services.queue_status(user=request.user), request.user)
        except MatchError as exc:
            return _error(exc)
    data = TopicInput(data=request.data)
    data.is_valid(raise_exception=True)
    return _queue_response(services.queue_join(user=request.user,
                                               topic=data.validated_data.get("topic")),
                           request.user)


@extend_schema(request=ChallengeInput,
               responses={201: inline_serializer("Challenge", {
                   "code": serializers.CharField(), "link": serializers.URLField(),
                   "match": serializers.UUIDField()}), 400: Detail},
               summary="Create a challenge for a friend")
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@rate_limit("match_create")
def challenge_create(request: Request) -> Response:
    data = ChallengeInput(data=request.data)
    data.is_valid(raise_exception=True)
    match = services.challenge_create(user=request.user, ranked=data.validated_data["ranked"],
                                      topic=data.validated_data.get("topic"))
    from django.urls import reverse

    link = request.build_absolute_uri(reverse("matches:challenge", args=[match.challenge_code]))
    return Response({"code": match.challenge_code, "link": link, "match": match.public_id},
                    status=status.HTTP_201_CREATED)


@extend_schema(request=AcceptInput, responses={200: State, 404: Detail, 409: Detail},
               summary="Accept a friend's challenge; the match starts")
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@rate_limit("match_create")
def challenge_accept(request: Request, code: str) -> Response:
    data = AcceptInput(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        match = services.challenge_accept(code=code, user=request.user,
                                          ranked=data.validated_data["ranked"])
    except MatchError as exc:
        return _error(exc)
    return _state(match, request.user)


@extend_schema(request=BotInput, responses={201: State, 400: Detail, 409: Detail},
               summary="Start a practice match against the bot (never ranked)")
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@rate_limit("match_create")
def bot(request: Request) -> Response:
    data = BotInput(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        match = services.bot_match_create(user=request.user, level=data.validated_data["level"],
                                          topic=data.validated_data.get("topic"))
    except MatchError as exc:
        return _error(exc)
    return _state(match, request.user, status.HTTP_201_CREATED)


@extend_schema(responses={200: State, 404: Detail},
               summary="The full state of a match for this player")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def detail(request: Request, match_id) -> Response:
    match = selectors.get_match_for_player(request.user, match_id)
    services.player_seen(match=match, user=request.user)
    services.match_advance(match_id=match.pk)
    return _state(match, request.user)


@extend_schema(request=MatchAnswerInput,
               responses={200: State, 400: Detail, 404: Detail,
                          409: OpenApiResponse(Detail, description="Late, a different second "
                                               "answer, or a round not open")},
               summary="Answer the open round (once)")
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def answer(request: Request, match_id) -> Response:
    match = selectors.get_match_for_player(request.user, match_id)
    data = MatchAnswerInput(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        outcome = services.match_answer(match=match, user=request.user,
                                        number=data.validated_data["round"],
                                        keys=data.validated_data["choices"])
    except MatchError as exc:
        return _error(exc)
    if outcome.kind == "late":
        return Response({"detail": "Time is up for this round; the answer was not counted."},
                        status=status.HTTP_409_CONFLICT)
    if outcome.kind == "conflict":
        return Response({"detail": "You already answered this round differently; the first "
                                   "answer counts."}, status=status.HTTP_409_CONFLICT)
    return _state(match, request.user)


@extend_schema(request=None, responses={200: State, 404: Detail, 409: Detail},
               summary="Claim the win after the opponent has been gone for the claim delay")
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def claim(request: Request, match_id) -> Response:
    match = selectors.get_match_for_player(request.user, match_id)
    try:
        services.match_claim(match=match, user=request.user)
    except MatchError as exc:
        return _error(exc)
    return _state(match, request.user)


@extend_schema(request=None,
               responses={201: inline_serializer("Ticket", {
                   "ticket": serializers.CharField(), "expires_in": serializers.IntegerField(),
                   "url": serializers.CharField()}), 404: Detail},
               summary="A short-lived, single-use ticket to open the match websocket")
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def ticket(request: Request, match_id) -> Response:
    match = selectors.get_match_for_player(request.user, match_id)
    value = realtime.ticket_issue(user_id=request.user.pk, match_id=match.pk)
    return Response({"ticket": value, "expires_in": realtime.TICKET_SECONDS,
                     "url": f"/ws/matches/{match.public_id}/?ticket={value}"},
                    status=status.HTTP_201_CREATED)


@extend_schema(responses={200: inline_serializer("RatingOut", {
    "rating": serializers.IntegerField(), "games": serializers.IntegerField(),
    "provisional": serializers.BooleanField(), "rank": serializers.IntegerField(
        allow_null=True)})}, summary="Your head-to-head rating")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def rating(request: Request) -> Response:
    return Response(selectors.rating_for(request.user))
