"""Creation is rate-limited per user, else per address (audit item 10 and 13c): 150 anonymous
quiz starts in 5 s, 100 open challenges, a matchmaking wave per queue poll and 300 websocket
resyncs were all accepted before."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.cohorts.models import Cohort
from apps.core import ratelimit
from apps.matches.models import Match
from apps.quiz.models import QuizAttempt

pytestmark = pytest.mark.django_db
LIMIT = 2


@pytest.fixture
def tight(settings):
    settings.RATE_LIMITS = {name: f"{LIMIT}/60" for name in settings.RATE_LIMITS}
    return settings


def _api(user=None):
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


QUIZ = {"count": 5, "seconds": 20, "mode": "speed"}
# (name, who signs in, the request, what counts the rows it creates)
DOORS = [
    ("quiz page (visitor)", None, lambda c, a: c.post("/quiz/new/", QUIZ),
     lambda: QuizAttempt.objects.count()),
    ("quiz API", "learner", lambda c, a: a.post("/api/v1/quizzes/", {
        "count": 5, "seconds_per_question": 20, "mode": "speed"}, format="json"),
     lambda: QuizAttempt.objects.count()),
    ("challenge page", "learner", lambda c, a: c.post("/play/challenge/"),
     lambda: Match.objects.count()),
    ("challenge API", "learner", lambda c, a: a.post("/api/v1/matches/challenges/", {},
                                                     format="json"),
     lambda: Match.objects.count()),
    ("cohort page", "instructor", lambda c, a: c.post("/cohorts/", {"name": "Class"}),
     lambda: Cohort.objects.count()),
    ("cohort API", "instructor", lambda c, a: a.post("/api/v1/cohorts/", {"name": "Class"},
                                                     format="json"),
     lambda: Cohort.objects.count()),
    ("import upload", "instructor", lambda c, a: c.post("/packs/import/", {
        "format": "gift", "file": SimpleUploadedFile("q.gift", b"not gift")}),
     lambda: 0),
    ("sign-up (per address)", None, lambda c, a: c.post("/accounts/signup/", {
        "username": f"u{ratelimit.time.time_ns()}", "email": "a@example.com",
        "password1": "A-good-pass-5521", "password2": "A-good-pass-5521"}),
     lambda: __import__("django.contrib.auth", fromlist=["x"]).get_user_model()
     .objects.count()),
    ("API token", None, lambda c, a: a.post("/api/v1/auth/token/", {"username": "learner",
                                                                    "password": "wrong"}),
     lambda: 0),
]


@pytest.mark.parametrize("door", DOORS, ids=[d[0] for d in DOORS])
def test_each_creation_door_answers_429_past_the_limit(door, tight, client, world,
                                                       small_bank):
    name, role, send, count = door
    user = world[role] if role else None
    if user is not None:
        client.force_login(user)
    api = _api(user)
    for _ in range(LIMIT):
        assert send(client, api).status_code != 429
    created = count()
    refused = send(client, api)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Too many requests" in refused.content.decode()
    assert count() == created  # nothing was created by the refused request


def test_the_limit_is_per_user_not_global(tight, world, small_bank):
    for _ in range(LIMIT):
        _api(world["learner"]).post("/api/v1/quizzes/", {"count": 5}, format="json")
    assert _api(world["learner"]).post("/api/v1/quizzes/", {"count": 5},
                                       format="json").status_code == 429
    assert _api(world["other_learner"]).post("/api/v1/quizzes/", {"count": 5},
                                             format="json").status_code == 201


def test_an_api_refusal_is_json_and_an_htmx_one_is_a_fragment(tight, client, world,
                                                              small_bank):
    for _ in range(LIMIT):
        client.post("/quiz/new/", QUIZ)
    htmx = client.post("/quiz/new/", QUIZ, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 429 and b"<html" not in htmx.content
    for _ in range(LIMIT + 1):
        api = _api(world["learner"]).post("/api/v1/quizzes/", {"count": 5}, format="json")
    assert api.status_code == 429 and "Too many requests" in api.json()["detail"]


def test_queue_polls_share_one_wave_per_interval(settings, world, monkeypatch):
    from apps.matches import services

    settings.QUEUE_WAVE_INTERVAL = 30
    waves = []
    monkeypatch.setattr(services, "queue_wave", lambda: waves.append(1) or [])
    for _ in range(20):
        services.queue_wave_due()
    assert len(waves) == 1


def test_the_limiter_refuses_past_the_count_and_resets_with_the_window(settings, monkeypatch):
    settings.RATE_LIMITS = {"x": "3/10"}
    clock = [1000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    for _ in range(3):
        ratelimit.hit("x", "k")
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit("x", "k")
    assert refused.value.retry_after == 10
    ratelimit.hit("x", "other-key")  # another client is not affected
    clock[0] = 1010.5
    ratelimit.hit("x", "k")  # a new window


def test_a_zero_limit_disables_it(settings):
    settings.RATE_LIMITS = {"x": "0/10"}
    for _ in range(100):
        ratelimit.hit("x", "k")
