"""Who may reach what. Outsiders get 404 for objects that are not theirs; anonymous visitors are
sent to log in on pages and get 401/403 from the API."""

from __future__ import annotations

import pytest

from tests.lti.platform import tool_key_pair
from tests.permissions import ROLES, Row, everyone, status_for

SIGNED_IN = {"anonymous": 302, "learner": 200, "other_learner": 200, "instructor": 200,
             "staff": 200}
API_SIGNED_IN = {**SIGNED_IN, "anonymous": 401}
STAFF_ONLY_ADMIN = {"anonymous": 302, "learner": 302, "other_learner": 302, "instructor": 302,
                    "staff": 200}

OWNER_ONLY = {"anonymous": 404, "learner": 200, "other_learner": 404, "instructor": 404,
              "staff": 404}
API_OWNER_ONLY = {**OWNER_ONLY, "anonymous": 401}


def learners_quiz(world) -> str:
    from apps.quiz.services import QuizSpec, quiz_start
    from tests.factories import load_small_bank

    load_small_bank()
    return str(quiz_start(user=world["learner"], spec=QuizSpec(count=5)).public_id)


def learners_match(world) -> str:
    from apps.matches.services import bot_match_create
    from tests.factories import load_small_bank

    load_small_bank()
    return str(bot_match_create(user=world["learner"], level=1).public_id)


def learners_game(world) -> str:
    """A live game hosted by the learner (any signed-in user may host a private game)."""
    from apps.live.services import GameSpec, game_create
    from tests.factories import load_small_bank

    load_small_bank()
    return str(game_create(host=world["learner"], spec=GameSpec(count=3)).public_id)


PLAYER_ONLY = {"anonymous": 302, "learner": 200, "other_learner": 404, "instructor": 404,
               "staff": 404}

INSTRUCTORS_ONLY = {"anonymous": 404, "learner": 404, "other_learner": 404, "instructor": 200,
                    "staff": 200}


def instructors_cohort(world) -> int:
    from apps.cohorts.services import cohort_create

    return cohort_create(owner=world["instructor"], name="Class").pk


def instructors_import(world) -> str:
    from apps.packs.models import ImportDraft
    from tests.factories import load_small_bank

    load_small_bank()
    return str(ImportDraft.objects.create(owner=world["instructor"], format="gift",
                                          filename="x.gift", text="::a-b::c {T}\n").public_id)


def instructors_assignment_export(world, url: str) -> str:
    """`url` with a cohort assignment of the instructor's over the small bank (QTI export)."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.cohorts.models import Cohort
    from apps.cohorts.services import assignment_create
    from tests.factories import load_small_bank

    load_small_bank()
    cohort = Cohort.objects.get(pk=instructors_cohort(world))
    assignment = assignment_create(cohort=cohort, by=world["instructor"],
                                   title="A", due_at=timezone.now() + timedelta(days=1),
                                   question_slugs=["serialization-fixture-reduce"])
    return f"{url}assignment={assignment.pk}"


def with_bank(url: str):
    def build(world) -> str:
        from tests.factories import load_small_bank

        load_small_bank()
        return url
    return build


ROWS = [
    Row("live join page", "GET", "/live/", everyone(200)),
    Row("live host form", "GET", "/live/new/", SIGNED_IN),
    Row("live projector", "GET", lambda w: f"/live/{learners_game(w)}/host/", PLAYER_ONLY),
    Row("live qr code", "GET", lambda w: f"/live/{learners_game(w)}/host/qr.svg", PLAYER_ONLY),
    Row("live control", "POST", lambda w: f"/live/{learners_game(w)}/host/pause/",
        {**PLAYER_ONLY, "learner": 302}),
    Row("live report", "GET", lambda w: f"/live/{learners_game(w)}/report/", PLAYER_ONLY),
    Row("live report csv", "GET", lambda w: f"/live/{learners_game(w)}/report.csv", PLAYER_ONLY),
    Row("live player page without a seat", "GET", lambda w: f"/live/{learners_game(w)}/play/",
        everyone(404)),
    Row("api live create", "POST", "/api/v1/live/", {**API_SIGNED_IN, **dict.fromkeys(
        ("learner", "other_learner", "instructor", "staff"), 400)}, data={"count": 1}),
    Row("api live game", "GET", lambda w: f"/api/v1/live/{learners_game(w)}/", API_OWNER_ONLY),
    Row("api live report", "GET", lambda w: f"/api/v1/live/{learners_game(w)}/report/",
        API_OWNER_ONLY),
    Row("api live control", "POST", lambda w: f"/api/v1/live/{learners_game(w)}/lock/",
        API_OWNER_ONLY, data={"locked": True}),
    Row("api live remove", "POST",
        lambda w: f"/api/v1/live/{learners_game(w)}/players/999999/remove/",
        {**API_OWNER_ONLY, "learner": 404}),
    Row("api live play without a seat", "GET",
        lambda w: f"/api/v1/live/{learners_game(w)}/play/", everyone(404)),
    Row("api live answer without a seat", "POST",
        lambda w: f"/api/v1/live/{learners_game(w)}/answers/", everyone(404),
        data={"question": 1, "choices": ["x"]}),
    Row("api live websocket ticket (host, or a seat by its header)", "POST",
        lambda w: f"/api/v1/live/{learners_game(w)}/ticket/", {**everyone(404), "learner": 201}),
    Row("api live join", "POST", "/api/v1/live/join/", everyone(404),
        data={"pin": "000000", "nickname": "Eve"}),
    Row("home", "GET", "/", everyone(200)),
    Row("resources page", "GET", "/bank/resources/", everyone(200)),
    Row("topics page", "GET", "/bank/topics/", everyone(200)),
    Row("settings page", "GET", "/accounts/settings/", SIGNED_IN),
    Row("password change", "GET", "/accounts/password/change/", SIGNED_IN),
    Row("admin", "GET", "/admin/", STAFF_ONLY_ADMIN),
    Row("api resources", "GET", "/api/v1/resources/", everyone(200)),
    Row("api topics", "GET", "/api/v1/topics/", everyone(200)),
    Row("api me", "GET", "/api/v1/me/", API_SIGNED_IN),
    Row("api schema", "GET", "/api/schema/", everyone(200)),
    Row("healthz", "GET", "/healthz", everyone(200)),
    Row("new quiz form", "GET", "/quiz/new/", everyone(200)),
    Row("quiz history", "GET", "/quiz/history/", SIGNED_IN),
    Row("quiz page", "GET", lambda w: f"/quiz/{learners_quiz(w)}/", OWNER_ONLY),
    Row("api quiz list", "GET", "/api/v1/quizzes/", API_SIGNED_IN),
    Row("api quiz state", "GET", lambda w: f"/api/v1/quizzes/{learners_quiz(w)}/",
        API_OWNER_ONLY),
    Row("api quiz next", "POST", lambda w: f"/api/v1/quizzes/{learners_quiz(w)}/next/",
        API_OWNER_ONLY, data={"question": 1}),
    Row("head-to-head lobby", "GET", "/play/", SIGNED_IN),
    Row("match history", "GET", "/play/history/", SIGNED_IN),
    Row("challenge code entry", "GET", "/play/challenge/enter/?code=K7QX2M", everyone(302)),
    Row("match page", "GET", lambda w: f"/play/m/{learners_match(w)}/", PLAYER_ONLY),
    Row("api match state", "GET", lambda w: f"/api/v1/matches/{learners_match(w)}/",
        API_OWNER_ONLY),
    Row("api match ticket", "POST", lambda w: f"/api/v1/matches/{learners_match(w)}/ticket/",
        {**API_OWNER_ONLY, "learner": 201}),
    Row("api rating", "GET", "/api/v1/matches/rating/", API_SIGNED_IN),
    Row("skills dashboard", "GET", "/skills/", SIGNED_IN),
    Row("leaderboards page", "GET", "/skills/leaderboards/", SIGNED_IN),
    Row("review now", "POST", "/skills/review/", everyone(302)),  # login, or nothing due
    Row("calibration page", "GET", "/skills/calibration/",
        {"anonymous": 404, "learner": 404, "other_learner": 404, "instructor": 200,
         "staff": 200}),
    Row("api my skills", "GET", "/api/v1/me/skills/", API_SIGNED_IN),
    Row("api my history", "GET", "/api/v1/me/history/", API_SIGNED_IN),
    Row("api my review", "GET", "/api/v1/me/review/", API_SIGNED_IN),
    Row("api leaderboard", "GET", "/api/v1/leaderboards/rating/", API_SIGNED_IN),
    Row("curation questions", "GET", "/curation/", {**everyone(404), "instructor": 200,
                                                     "staff": 200}),
    Row("curation new question", "GET", "/curation/new/", {**everyone(404), "instructor": 200,
                                                            "staff": 200}),
    Row("curation question", "GET", lambda w: f"/curation/q/{curation_bank(w)}/",
        {**everyone(404), "instructor": 200, "staff": 200}),
    Row("curation edit", "GET", lambda w: f"/curation/q/{curation_bank(w)}/edit/",
        {**everyone(404), "instructor": 200, "staff": 200}),
    Row("curation versions", "GET", lambda w: f"/curation/q/{curation_bank(w)}/versions/",
        {**everyone(404), "instructor": 200, "staff": 200}),
    Row("curation report queue", "GET", "/curation/reports/",
        {**everyone(404), "instructor": 200, "staff": 200}),
    Row("curation audit", "GET", "/curation/audit/",
        {**everyone(404), "instructor": 200, "staff": 200}),
    Row("curation ATLAS coverage", "GET", "/curation/atlas/",
        {**everyone(404), "instructor": 200, "staff": 200}),
    Row("report a question", "GET", lambda w: f"/curation/report/{learners_answered(w)}/1/",
        PLAYER_ONLY),
    Row("my reports", "GET", "/curation/my-reports/", SIGNED_IN),
    Row("api curation questions", "GET", "/api/v1/curation/questions/",
        {**everyone(404), "anonymous": 401, "instructor": 200, "staff": 200}),
    Row("api curation question", "GET",
        lambda w: f"/api/v1/curation/questions/{curation_bank(w)}/",
        {**everyone(404), "anonymous": 401, "instructor": 200, "staff": 200}),
    Row("api curation versions", "GET",
        lambda w: f"/api/v1/curation/questions/{curation_bank(w)}/versions/",
        {**everyone(404), "anonymous": 401, "instructor": 200, "staff": 200}),
    Row("api curation submit", "POST",
        lambda w: f"/api/v1/curation/questions/{curation_bank(w)}/transitions/",
        {**everyone(404), "anonymous": 401, "instructor": 409, "staff": 409},
        data={"action": "submit"}),  # a published question cannot be submitted
    Row("api curation reports", "GET", "/api/v1/curation/reports/",
        {**everyone(404), "anonymous": 401, "instructor": 200, "staff": 200}),
    Row("api curation my reports", "GET", "/api/v1/curation/reports/mine/", API_SIGNED_IN),
    Row("api curation audit", "GET", "/api/v1/curation/audit/",
        {**everyone(404), "anonymous": 401, "instructor": 200, "staff": 200}),    # packs and insights (issue 6b): instructor pages and API are 404 to everyone else, anonymous
    # API callers included; an upload belongs to the instructor who made it.
    Row("packs page", "GET", "/packs/", INSTRUCTORS_ONLY),
    Row("packs upload without a file", "POST", "/packs/import/",
        {**INSTRUCTORS_ONLY, "instructor": 400, "staff": 400}),
    Row("packs import preview", "GET", lambda w: f"/packs/import/{instructors_import(w)}/",
        {**everyone(404), "instructor": 200}),
    Row("packs export gift", "GET", "/packs/export/gift/", INSTRUCTORS_ONLY),
    Row("packs export qti", "GET", with_bank("/packs/export/qti/"), INSTRUCTORS_ONLY),
    Row("packs export preview", "GET", with_bank("/packs/export/preview/?kind=qti"),
        INSTRUCTORS_ONLY),
    Row("packs export an assignment as qti", "GET",
        lambda w: instructors_assignment_export(w, "/packs/export/qti/?"),
        {**everyone(404), "instructor": 200}),
    Row("api pack import upload (json refused)", "POST", "/api/v1/packs/imports/",
        {**INSTRUCTORS_ONLY, "instructor": 415, "staff": 415}),
    Row("api pack import preview", "GET",
        lambda w: f"/api/v1/packs/imports/{instructors_import(w)}/",
        {**everyone(404), "instructor": 200}),
    Row("api pack export", "GET", "/api/v1/packs/export/?kind=moodle_xml", INSTRUCTORS_ONLY),
    Row("api pack export qti", "GET", with_bank("/api/v1/packs/export/?kind=qti"),
        INSTRUCTORS_ONLY),
    Row("api pack export preview", "GET", with_bank("/api/v1/packs/export/preview/?kind=qti"),
        INSTRUCTORS_ONLY),
    Row("api pack export preview of an assignment", "GET",
        lambda w: instructors_assignment_export(w, "/api/v1/packs/export/preview/?kind=qti&"),
        {**everyone(404), "instructor": 200}),
    Row("insights page", "GET", "/insights/", INSTRUCTORS_ONLY),
    Row("api insights", "GET", "/api/v1/insights/questions/", INSTRUCTORS_ONLY),    Row("cohorts page", "GET", "/cohorts/", INSTRUCTORS_ONLY),
    Row("cohort page", "GET", lambda w: f"/cohorts/{instructors_cohort(w)}/",
        {**everyone(404), "instructor": 200}),
    Row("cohort results csv", "GET", lambda w: f"/cohorts/{instructors_cohort(w)}/results.csv",
        {**everyone(404), "instructor": 200}),
    Row("join a cohort", "GET", "/cohorts/join/", SIGNED_IN),
    Row("my cohorts", "GET", "/cohorts/mine/", SIGNED_IN),
    Row("api cohorts", "GET", "/api/v1/cohorts/", INSTRUCTORS_ONLY),
    Row("api cohort", "GET", lambda w: f"/api/v1/cohorts/{instructors_cohort(w)}/",
        {**everyone(404), "instructor": 200}),
    Row("api cohort join with a wrong code", "POST", "/api/v1/cohorts/join/",
        {**everyone(404), "anonymous": 401}, data={"code": "NOPE2345"}),
    # LTI 1.3 tool (issue 20): the LMS-facing endpoints answer everyone alike (refusals without a
    # launch); the configuration is staff-only; a course's pages belong to its instructors.
    Row("lti tool configuration", "GET", "/lti/config/", {**everyone(404), "staff": 200}),
    Row("lti registration without values", "POST", "/lti/config/",
        {**everyone(404), "staff": 400}),
    Row("lti key set", "GET", "/lti/jwks/", everyone(200)),
    Row("lti login without parameters", "GET", "/lti/login/", everyone(400)),
    Row("lti launch without a token", "POST", "/lti/launch/", everyone(403)),
    Row("lti deep-link without a token", "POST", "/lti/deep-link/", everyone(403)),
    Row("lti deep-link pick without a launch", "POST", "/lti/deep-link/respond/", everyone(400)),
    Row("lti results", "GET", lambda w: f"/lti/results/{instructors_placement(w).token}/",
        {**everyone(404), "instructor": 200}),
    Row("lti course", "GET", lambda w: f"/lti/courses/{instructors_placement(w).course_id}/",
        {**everyone(404), "instructor": 200}),
    Row("lti roster pull", "POST",
        lambda w: f"/lti/courses/{instructors_placement(w).course_id}/roster/",
        {**everyone(404), "instructor": 302}),  # back to the course page, with the reason
]


def instructors_placement(world):
    """A speed quiz the instructor placed in an LMS course (as deep linking leaves it)."""
    from apps.lti import services
    from tests.factories import load_small_bank

    load_small_bank()
    registration = services.registration_create(
        name="LMS", issuer="https://lms.example.test", client_id="c", deployment_ids=["1"],
        auth_login_url="https://lms.example.test/auth", keyset_url="https://lms.example.test/k",
        auth_token_url="https://lms.example.test/token")
    facts = services.LaunchFacts(registration=registration, issuer=registration.issuer,
                                 sub="t", name="", roles=["Instructor"], context_id="course",
                                 context_title="Course")
    course = services.course_for_instructor(facts=facts, user=world["instructor"])
    return services.placement_create(course=course, by=world["instructor"], kind="speed",
                                     topic="serialization", count=5)


def curation_bank(world) -> str:
    from tests.factories import load_small_bank

    load_small_bank()
    return "serialization-fixture-reduce"


def learners_answered(world) -> str:
    """A quiz of the learner's with its first question answered (reports need an answer)."""
    from apps.quiz.models import QuizAttempt
    from apps.quiz.services import quiz_answer

    attempt = QuizAttempt.objects.get(public_id=learners_quiz(world))
    aq = attempt.questions.get(number=1)
    quiz_answer(attempt=attempt, number=1, keys=aq.choice_keys[:1])
    return str(attempt.public_id)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.name)
def test_permission_matrix(row, role, world, settings):
    settings.CELERY_BROKER_URL = ""  # healthz: the matrix is about access, not the broker
    settings.LTI_PRIVATE_KEY = tool_key_pair()[0]  # LTI on (without a key it answers 503)
    assert status_for(row, role, world) == row.expect[role]
