"""Who may reach what. Outsiders get 404 for objects that are not theirs; anonymous visitors are
sent to log in on pages and get 401/403 from the API."""

from __future__ import annotations

import pytest

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


PLAYER_ONLY = {"anonymous": 302, "learner": 200, "other_learner": 404, "instructor": 404,
               "staff": 404}


ROWS = [
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
    Row("match page", "GET", lambda w: f"/play/m/{learners_match(w)}/", PLAYER_ONLY),
    Row("api match state", "GET", lambda w: f"/api/v1/matches/{learners_match(w)}/",
        API_OWNER_ONLY),
    Row("api match ticket", "POST", lambda w: f"/api/v1/matches/{learners_match(w)}/ticket/",
        {**API_OWNER_ONLY, "learner": 201}),
    Row("api rating", "GET", "/api/v1/matches/rating/", API_SIGNED_IN),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.name)
def test_permission_matrix(row, role, world, settings):
    settings.CELERY_BROKER_URL = ""  # healthz: the matrix is about access, not the broker
    assert status_for(row, role, world) == row.expect[role]
