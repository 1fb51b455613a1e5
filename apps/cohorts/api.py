"""Cohorts under /api/v1/cohorts/. Instructor endpoints are 404 to everyone but the owner."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from apps.cohorts import selectors, services
from apps.cohorts.services import CohortError
from apps.core.api import ErrorOut
from apps.core.ratelimit import rate_limit
from apps.quiz.services import MAX_COUNT, MIN_COUNT


class CohortInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)


class CohortOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    join_code = serializers.CharField()


class JoinInput(serializers.Serializer):
    code = serializers.CharField(max_length=12)


class AssignmentInput(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    questions = serializers.ListField(child=serializers.SlugField(max_length=120), required=False,
                                      max_length=MAX_COUNT)
    topic = serializers.SlugField(required=False)
    count = serializers.IntegerField(min_value=MIN_COUNT, max_value=MAX_COUNT, default=10)
    due_at = serializers.DateTimeField()


class AssignmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    questions = serializers.ListField(source="question_slugs", child=serializers.CharField())
    topic = serializers.CharField(source="topic.slug", allow_null=True, default=None)
    count = serializers.IntegerField()
    due_at = serializers.DateTimeField()


class MemberResultOut(serializers.Serializer):
    member = serializers.CharField(source="username")
    assignment = serializers.CharField()
    state = serializers.CharField()
    score = serializers.IntegerField(allow_null=True)
    correct = serializers.IntegerField(allow_null=True)
    questions = serializers.IntegerField(source="total", allow_null=True)


class TopicOut(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    answered = serializers.IntegerField()
    correct = serializers.IntegerField()


class CohortDetailOut(CohortOut):
    members = serializers.ListField(child=serializers.CharField())
    assignments = AssignmentOut(many=True)
    results = MemberResultOut(many=True)
    weakest_topics = TopicOut(many=True)




def _error(exc: CohortError) -> Response:
    return Response({"detail": exc.message}, status=exc.status)


@extend_schema(methods=["GET"], responses={200: CohortOut(many=True), 404: OpenApiResponse()},
               summary="Your cohorts (instructors)")
@extend_schema(methods=["POST"], request=CohortInput,
               responses={201: CohortOut, 400: ErrorOut, 404: OpenApiResponse()},
               summary="Create a cohort with a join code (instructors)")
@api_view(["GET", "POST"])
@permission_classes([AllowAny])
@rate_limit("cohort_create")
def cohort_list(request: Request) -> Response:
    cohorts = selectors.cohorts_owned(request.user)
    if request.method == "GET":
        return Response(CohortOut(cohorts, many=True).data)
    form = CohortInput(data=request.data)
    form.is_valid(raise_exception=True)
    try:
        cohort = services.cohort_create(owner=request.user, name=form.validated_data["name"])
    except CohortError as exc:
        return _error(exc)
    return Response(CohortOut(cohort).data, status=status.HTTP_201_CREATED)


@extend_schema(responses={200: CohortDetailOut, 404: OpenApiResponse()},
               summary="A cohort's members, assignments, results and weakest topics")
@api_view(["GET"])
@permission_classes([AllowAny])
def cohort_detail(request: Request, cohort_id: int) -> Response:
    cohort = selectors.get_cohort_for_owner(request.user, cohort_id)
    return Response(CohortDetailOut({
        "id": cohort.pk, "name": cohort.name, "join_code": cohort.join_code,
        "members": [m.user.username for m in cohort.memberships.select_related("user")],
        "assignments": cohort.assignments.select_related("topic"),
        "results": selectors.cohort_results(cohort),
        "weakest_topics": selectors.weakest_topics(cohort),
    }).data)


@extend_schema(request=AssignmentInput,
               responses={201: AssignmentOut, 400: ErrorOut, 404: OpenApiResponse()},
               summary="Assign a quiz: a fixed set of questions or a topic, with a due date")
@api_view(["POST"])
@permission_classes([AllowAny])
@rate_limit("cohort_create")
def assignment_create(request: Request, cohort_id: int) -> Response:
    cohort = selectors.get_cohort_for_owner(request.user, cohort_id)
    form = AssignmentInput(data=request.data)
    form.is_valid(raise_exception=True)
    data = form.validated_data
    try:
        assignment = services.assignment_create(
            cohort=cohort, by=request.user, title=data["title"], due_at=data["due_at"],
            question_slugs=data.get("questions"), topic=data.get("topic"), count=data["count"])
    except CohortError as exc:
        return _error(exc)
    return Response(AssignmentOut(assignment).data, status=status.HTTP_201_CREATED)


@extend_schema(request=JoinInput, responses={200: CohortOut, 404: ErrorOut},
               summary="Join a cohort with its code")
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@rate_limit("cohort_join")
def join(request: Request) -> Response:
    form = JoinInput(data=request.data)
    form.is_valid(raise_exception=True)
    try:
        cohort = services.cohort_join(user=request.user, code=form.validated_data["code"])
    except CohortError as exc:
        return _error(exc)
    return Response({"id": cohort.pk, "name": cohort.name, "join_code": ""})
