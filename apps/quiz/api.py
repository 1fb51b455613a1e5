from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.services import profile_get_or_create
from apps.bank.atlas import catalogue as atlas_catalogue
from apps.bank.models import Resource, Topic
from apps.core.api import ErrorOut
from apps.core.ratelimit import rate_limit
from apps.play.api import HandsOnResultMixin, picks_field, picks_out
from apps.quiz import selectors, services
from apps.quiz.models import QuizAttempt
from apps.quiz.services import MAX_COUNT, MAX_SECONDS, MIN_COUNT, MIN_SECONDS, QuizError, QuizSpec


class QuizCreateInput(serializers.Serializer):
    count = serializers.IntegerField(min_value=MIN_COUNT, max_value=MAX_COUNT, default=10)
    seconds_per_question = serializers.IntegerField(min_value=MIN_SECONDS,
                                                    max_value=MAX_SECONDS, default=20)
    mode = serializers.ChoiceField(choices=QuizAttempt.Mode.values, default="speed")
    topic = serializers.SlugField(required=False)
    resource = serializers.SlugField(required=False)
    difficulty = serializers.IntegerField(min_value=1, max_value=3, required=False)
    adaptive = serializers.BooleanField(default=False, help_text="Pick questions at your level")
    atlas = serializers.CharField(required=False, max_length=20,
                                  help_text="A MITRE ATLAS id, e.g. AML.T0010 (with its "
                                            "sub-techniques) or AML.M0014")

    def validate_atlas(self, value):
        if atlas_catalogue().get(value) is None:
            raise serializers.ValidationError("Unknown MITRE ATLAS id.")
        return value

    def validate_topic(self, value):
        if not Topic.objects.filter(slug=value).exists():
            raise serializers.ValidationError("Unknown topic.")
        return value

    def validate_resource(self, value):
        if not Resource.objects.filter(slug=value).exists():
            raise serializers.ValidationError("Unknown resource.")
        return value


class AnswerInput(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=MAX_COUNT)
    choices = picks_field()


class NextInput(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=MAX_COUNT)


class ChoiceOut(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()


class ArtifactOut(serializers.Serializer):
    kind = serializers.CharField()
    content = serializers.CharField()


class ResultChoiceOut(ChoiceOut):
    correct = serializers.BooleanField()
    picked = serializers.BooleanField()
    misconception = serializers.CharField()


class ResourceRefOut(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()
    locator = serializers.CharField()


class AtlasRefOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField(help_text="atlas.mitre.org page of the id")


class ResultOut(HandsOnResultMixin):
    """A closed question's result. With `withheld` true (the learner has the question in play in
    another quiz or match) only number, state, timed_out and points are present."""

    number = serializers.IntegerField()
    state = serializers.CharField()
    withheld = serializers.BooleanField(required=False)
    timed_out = serializers.BooleanField()
    points = serializers.IntegerField()
    is_correct = serializers.BooleanField(required=False)
    elapsed_ms = serializers.IntegerField(allow_null=True, required=False)
    picked = serializers.ListField(child=serializers.CharField(), required=False)
    correct = serializers.ListField(child=serializers.CharField(), required=False)
    choices = ResultChoiceOut(many=True, required=False)
    explanation = serializers.CharField(required=False)
    explanation_html = serializers.CharField(required=False)
    resources = ResourceRefOut(many=True, required=False)
    atlas = AtlasRefOut(many=True, required=False, help_text="MITRE ATLAS ids the question is "
                        "about (closed questions only)")


class AnswerOut(ResultOut):
    outcome = serializers.ChoiceField(choices=["accepted", "repeat"])


class QuestionOut(serializers.Serializer):
    number = serializers.IntegerField()
    state = serializers.CharField()
    type = serializers.CharField()
    style = serializers.CharField()
    difficulty = serializers.IntegerField()
    topics = serializers.ListField(child=serializers.CharField())
    stem = serializers.CharField()
    stem_html = serializers.CharField()
    artifact = ArtifactOut(allow_null=True)
    picks = picks_out()
    choices = ChoiceOut(many=True, help_text="The choices; for a hotspot, the artifact's lines "
                        "in order; for an ordering question, the steps shuffled")
    remaining_ms = serializers.IntegerField()
    limit_ms = serializers.IntegerField()
    result = ResultOut(allow_null=True)


class QuizOut(serializers.Serializer):
    id = serializers.UUIDField()
    mode = serializers.CharField()
    state = serializers.CharField()
    count = serializers.IntegerField()
    seconds_per_question = serializers.IntegerField()
    time_factor = serializers.FloatField()
    focus = serializers.CharField()
    score = serializers.IntegerField()
    streak = serializers.IntegerField()
    answered = serializers.IntegerField(help_text="Questions closed so far")
    current = QuestionOut(allow_null=True)


class QuizResultsOut(serializers.Serializer):
    id = serializers.UUIDField()
    state = serializers.CharField()
    results = ResultOut(many=True)


class QuizListOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    mode = serializers.CharField()
    state = serializers.CharField()
    focus = serializers.CharField(source="focus_label")
    score = serializers.IntegerField()
    created_at = serializers.DateTimeField()




def _error(exc: QuizError) -> Response:
    return Response({"detail": exc.message}, status=exc.status)


def _ref(request: Request, quiz_id) -> services.AttemptRef:
    """The attempt the URL names, for the services to resolve with their first query (404 to
    anyone but its owner)."""
    return services.AttemptRef(quiz_id, selectors.attempt_owner(user=request.user, session=None),
                               user_id=request.user.pk)


@extend_schema(methods=["POST"], request=QuizCreateInput,
               responses={201: QuizOut, 400: ErrorOut, 401: ErrorOut},
               summary="Start a speed quiz")
@extend_schema(methods=["GET"], responses={200: QuizListOut(many=True), 401: ErrorOut},
               summary="Your past quizzes")
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
@rate_limit("quiz_start")
def quiz_list(request: Request) -> Response:
    if request.method == "GET":
        return Response(QuizListOut(selectors.attempt_history(request.user), many=True).data)
    data = QuizCreateInput(data=request.data)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    spec = QuizSpec(count=v["count"], seconds=v["seconds_per_question"], mode=v["mode"],
                    topic=v.get("topic"), resource=v.get("resource"),
                    difficulty=v.get("difficulty"), adaptive=v["adaptive"],
                    atlas=v.get("atlas"))
    try:
        attempt = services.quiz_start(
            user=request.user, spec=spec,
            time_factor=profile_get_or_create(user=request.user).time_factor)
    except QuizError as exc:
        return _error(exc)
    return Response(selectors.attempt_state(attempt, current=attempt.current_question),
                    status=status.HTTP_201_CREATED)


@extend_schema(responses={200: QuizOut, 401: ErrorOut, 404: ErrorOut},
               summary="A quiz's state: the current question without its key, remaining time, "
                       "score, and the results of closed questions")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def quiz_detail(request: Request, quiz_id) -> Response:
    try:
        attempt = services.quiz_refresh(attempt=_ref(request, quiz_id))
    except QuizError as exc:
        return _error(exc)
    return Response(selectors.attempt_state(attempt, current=attempt.current_question))


@extend_schema(responses={200: QuizResultsOut, 401: ErrorOut, 404: ErrorOut},
               summary="The results of a quiz's closed questions (keys of questions you have "
                       "in play elsewhere are withheld)")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def quiz_results(request: Request, quiz_id) -> Response:
    try:
        attempt = services.quiz_refresh(attempt=_ref(request, quiz_id))
    except QuizError as exc:
        return _error(exc)
    return Response({"id": str(attempt.public_id), "state": attempt.state,
                     "results": selectors.attempt_results(attempt)})


@extend_schema(request=AnswerInput,
               responses={200: AnswerOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut,
                          409: OpenApiResponse(ErrorOut, description="A different answer to an "
                                               "answered question, or after the deadline")},
               summary="Answer the open question")
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def quiz_answer(request: Request, quiz_id) -> Response:
    data = AnswerInput(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        outcome = services.quiz_answer(attempt=_ref(request, quiz_id),
                                       number=data.validated_data["question"],
                                       keys=data.validated_data["choices"])
    except QuizError as exc:
        return _error(exc)
    if outcome.kind == "late":
        return Response({"detail": "Time is up for this question; the answer was not counted."},
                        status=status.HTTP_409_CONFLICT)
    if outcome.kind == "conflict":
        return Response({"detail": "This question was already answered differently; the first "
                                   "answer counts."}, status=status.HTTP_409_CONFLICT)
    # The service returns the question loaded for its result, with its attempt as it is now.
    return Response({"outcome": outcome.kind,
                     **selectors.closed_question_result(outcome.question.attempt,
                                                        outcome.question)})


@extend_schema(request=NextInput, responses={200: QuizOut, 400: ErrorOut, 404: ErrorOut},
               summary="Move on after a closed question (idempotent)")
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def quiz_next(request: Request, quiz_id) -> Response:
    data = NextInput(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        attempt = services.quiz_next(attempt=_ref(request, quiz_id),
                                     number=data.validated_data["question"])
    except QuizError as exc:
        return _error(exc)
    return Response(selectors.attempt_state(attempt, current=attempt.current_question))
