"""Item analysis from the database: which answers count, and who may see it."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from apps.bank.models import Question
from apps.matches.models import Match, MatchPlayer, Round, RoundAnswer
from apps.quiz.models import AttemptQuestion, QuizAnswer, QuizAttempt
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SLUG = "serialization-fixture-reduce"  # choices: 0 key, 1 and 2 distractors


def _quiz_answer(user, version, picked, *, number=1):
    attempt = QuizAttempt.objects.create(user=user, seconds_per_question=20)
    aq = AttemptQuestion.objects.create(attempt=attempt, number=number, version=version,
                                        choice_order=[0, 1, 2], choice_keys=["a", "b", "c"],
                                        state="answered")
    correct = picked == [0]
    QuizAnswer.objects.create(question=aq, picked=picked, elapsed_ms=3000, is_correct=correct,
                              points=0)


def _round_answer(version, picked, *, user=None, bot=False):
    match = Match.objects.create(kind="bot" if bot else "challenge", bot_level=1)
    player = MatchPlayer.objects.create(match=match, seat=1, user=user, is_bot=bot)
    rnd = Round.objects.create(match=match, number=1, version=version, choice_order=[0, 1, 2],
                               choice_keys=[uuid.uuid4().hex] * 3)
    RoundAnswer.objects.create(round=rnd, player=player, picked=picked, elapsed_ms=1000,
                               is_correct=picked == [0], points=0)


@pytest.fixture
def answered(small_bank):
    version = Question.objects.get(slug=SLUG).current_version
    for i in range(3):
        _quiz_answer(UserFactory(username=f"right{i}"), version, [0])
    _quiz_answer(UserFactory(username="wrong"), version, [1])
    _round_answer(version, [1], user=UserFactory(username="player"))
    # neither of these counts: an anonymous quiz and a bot
    _quiz_answer(None, version, [2])
    _round_answer(version, [2], bot=True)
    return version


def test_it_counts_signed_in_humans_from_quizzes_and_matches_only(client, world, answered):
    client.force_login(world["instructor"])
    body = client.get(f"/api/v1/insights/questions/{SLUG}/").json()
    assert body["answers"] == 5
    assert body["facility"] == 0.6
    assert [c["picks"] for c in body["choices"]] == [3, 2, 0]
    assert body["mean_ms"] == (3 * 3000 + 3000 + 1000) / 5


def test_it_lists_questions_that_need_attention(client, world, answered, settings):
    settings.INSIGHTS_MIN_ANSWERS = 5
    client.force_login(world["instructor"])
    flagged = client.get("/api/v1/insights/questions/?attention=1").json()
    assert [row["slug"] for row in flagged] == [SLUG]
    assert any("distractor nobody picks" in f for f in flagged[0]["flags"])
    page = client.get(reverse("insights:questions") + "?attention=1").content.decode()
    assert SLUG in page and "distractor nobody picks" in page
    detail = client.get(reverse("insights:question", args=[SLUG])).content.decode()
    assert "60%" in detail and "Needs attention" in detail


def test_it_lists_every_question_without_the_filter(client, world, answered):
    client.force_login(world["instructor"])
    rows = client.get("/api/v1/insights/questions/").json()
    assert len(rows) == Question.objects.count()
    assert client.get(reverse("insights:questions")).status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "learner"])
def test_it_hides_item_analysis_from_non_instructors(client, world, answered, role):
    if world[role]:
        client.force_login(world[role])
    for url in (reverse("insights:questions"), reverse("insights:question", args=[SLUG]),
                "/api/v1/insights/questions/", f"/api/v1/insights/questions/{SLUG}/"):
        assert client.get(url).status_code == 404, url


def test_it_404s_an_unknown_question(client, world, answered):
    client.force_login(world["instructor"])
    assert client.get("/api/v1/insights/questions/no-such-thing/").status_code == 404
    assert client.get(reverse("insights:question", args=["no-such"])).status_code == 404


ALL = sorted(["serialization-fixture-reduce", "serialization-fixture-safetensors-code",
              "hub-risks-fixture-defences", "signing-attestation-fixture-rekor",
              "ml-threats-fixture-owasp-ids", "pipeline-integrity-fixture-slsa"])
EASY = "hub-risks-fixture-defences"


@pytest.fixture
def two_answered(answered):
    """SLUG: five answers, 60% correct, flagged; EASY: one answer, right."""
    _quiz_answer(UserFactory(username="easy"), Question.objects.get(slug=EASY).current_version,
                 [0])  # the helper counts [0] as right
    return answered


def _order(client, **query) -> tuple[list[str], str]:
    response = client.get(reverse("insights:questions"), query)
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r'<td><a href="/insights/([\w-]+)/">', html)
    return rows, html


@pytest.mark.parametrize(("query", "expected"), [
    ({}, [SLUG] + [s for s in ALL if s != SLUG]),  # needs attention first by default
    ({"sort": "question", "dir": "desc"}, ALL[::-1]),
    ({"sort": "answers", "dir": "desc"}, [SLUG, EASY] + [s for s in ALL if s not in (SLUG, EASY)]),
    ({"sort": "facility", "dir": "asc"}, [SLUG, EASY] + [s for s in ALL if s not in (SLUG, EASY)]),
    # no figure sorts last whichever the direction
    ({"sort": "facility", "dir": "desc"}, [EASY, SLUG] + [s for s in ALL if s not in (SLUG, EASY)]),
    ({"sort": "attention", "dir": "asc"}, [s for s in ALL if s != SLUG] + [SLUG]),
])
def test_it_sorts_item_analysis_by_a_column(client, world, two_answered, settings, query,
                                            expected):
    settings.INSIGHTS_MIN_ANSWERS = 5
    client.force_login(world["instructor"])
    assert _order(client, **query)[0] == expected


@pytest.mark.parametrize("query", [{"sort": "__class__"}, {"sort": "slug; drop", "dir": "up"},
                                   {"sort": "", "dir": "desc"}, {"dir": "sideways"}])
def test_an_unknown_sort_falls_back_to_the_default_order(client, world, two_answered,
                                                         settings, query):
    settings.INSIGHTS_MIN_ANSWERS = 5
    client.force_login(world["instructor"])
    assert _order(client, **query)[0] == _order(client)[0]
    assert _order(client, sort="facility", dir="up")[0] == _order(
        client, sort="facility", dir="asc")[0]


def test_the_headers_link_to_each_order_and_mark_the_current_one(client, world, two_answered):
    client.force_login(world["instructor"])
    _, html = _order(client)
    assert html.count("aria-sort=") == 1
    assert '<th scope="col" aria-sort="descending"><a class="sort" href="?sort=attention&amp;dir=asc">Needs attention' in html
    assert 'href="?sort=facility&amp;dir=asc">Facility</a>' in html
    # the same choice as a form (phones: the headers scroll inside the table's box)
    assert '<option value="attention" selected>' in html
    assert '<option value="desc" selected>' in html
    _, html = _order(client, sort="facility", dir="asc", attention="1")
    # the filter stays on; the active column's link reverses the order
    active = re.findall(r'<th scope="col" aria-sort="(\w+)"><a class="sort" href="\?([^"]+)">(\w+)',
                        html)
    assert [(sort, set(href.split("&amp;")), label) for sort, href, label in active] == [
        ("ascending", {"attention=1", "sort=facility", "dir=desc"}, "Facility")]
