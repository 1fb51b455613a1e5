"""The hands-on types in the quiz (issue 19): "find the line" and "order the steps", over the
API and the pages, with the key-leak check on every response while the question is open."""

from __future__ import annotations

import json
import re

import pytest
from knox.models import AuthToken

from apps.quiz.models import QuizAttempt
from tests.quiz.conftest import current, key_of
from tests.quiz.keyleak import assert_no_key_leak

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, world):
    _, token = AuthToken.objects.create(user=world["learner"])
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}

    class Api:
        def post(self, url, data=None):
            return client.post(url, json.dumps(data or {}), content_type="application/json",
                               **headers)

        def get(self, url):
            return client.get(url, **headers)

    return Api()


def right_order(aq) -> list[str]:
    """The opaque keys of an ordering question's steps in the right order."""
    key_of_position = dict(zip(aq.choice_order, aq.choice_keys, strict=True))
    return [key_of_position[p] for p in range(len(aq.choice_keys))]


def start(api, mode="speed"):
    """A quiz over the hands-on fixture bank: its five questions (three hotspots, two ordering)."""
    response = api.post("/api/v1/quizzes/", {"count": 5, "mode": mode})
    assert response.status_code == 201, response.content
    return QuizAttempt.objects.latest("pk")


def questions(api, attempt):
    """Each question of the attempt in turn, as it is open; moves on after the caller answered."""
    for number in range(1, 6):
        aq = current(attempt)
        assert aq.number == number
        yield aq, api.get(f"/api/v1/quizzes/{attempt.public_id}/").json()["current"]
        api.post(f"/api/v1/quizzes/{attempt.public_id}/next/", {"question": number})


def answer(api, attempt, aq, keys):
    return api.post(f"/api/v1/quizzes/{attempt.public_id}/answers/",
                    {"question": aq.number, "choices": keys})


def test_hotspots_are_played_as_numbered_lines_and_ordering_by_every_step(api, hands_on_bank):
    attempt = start(api)
    seen = set()
    for aq, q in questions(api, attempt):
        seen.add(q["type"])
        assert_no_key_leak(json.dumps({"current": q}), aq)
        if q["type"] == "hotspot":
            assert [c["text"] for c in q["choices"]] == \
                aq.version.artifact_content.rstrip("\n").split("\n")
            key = key_of(aq)
            assert q["picks"] == ("many" if len(key) > 1 else "one")
            if len(key) == 1:
                refused = answer(api, attempt, aq, aq.choice_keys[:2])
                assert refused.status_code == 400
                assert "exactly one line" in refused.json()["detail"]
            body = answer(api, attempt, aq, key).json()
            assert body["is_correct"] and body["type"] == "hotspot" and body["points"] > 0
            assert sorted(body["correct"]) == sorted(key)
        else:
            assert q["picks"] == "order"
            order = right_order(aq)
            assert [c["key"] for c in q["choices"]] != order  # never dealt solved
            assert answer(api, attempt, aq, order[:-1]).status_code == 400
            body = answer(api, attempt, aq, order).json()
            assert body["is_correct"] and [s["key"] for s in body["order"]] == order
            assert all(s["in_place"] for s in body["your_order"])
            # Exactly once: the same order again is a repeat, another order a conflict.
            assert answer(api, attempt, aq, order).status_code == 200
            assert answer(api, attempt, aq, [order[1], order[0], *order[2:]]).status_code == 409
    assert seen == {"hotspot", "ordering"}
    attempt.refresh_from_db()
    assert attempt.state == "finished" and attempt.score > 0


def test_a_wrong_line_shows_its_misconception_once_closed(api, hands_on_bank):
    attempt = start(api)
    for aq, q in questions(api, attempt):
        if q["type"] != "hotspot":
            answer(api, attempt, aq, right_order(aq))
            continue
        noted = [c for c in aq.version.choices.all() if c.misconception][0]
        key = dict(zip(aq.choice_order, aq.choice_keys, strict=True))[noted.position]
        body = answer(api, attempt, aq, [key]).json()
        assert not body["is_correct"] and body["points"] == 0
        assert [c["misconception"] for c in body["choices"] if c["picked"]] == \
            [noted.misconception]


@pytest.mark.parametrize(("mode", "share"), [("accuracy", True), ("speed", False)])
def test_an_ordering_answer_with_steps_out_of_place_earns_partial_credit_in_accuracy_mode(
        api, hands_on_bank, mode, share):
    attempt = start(api, mode=mode)
    for aq, q in questions(api, attempt):
        if q["type"] != "ordering":
            answer(api, attempt, aq, key_of(aq))
            continue
        order = right_order(aq)
        moved = [order[1], order[0], *order[2:]]  # all but one in the right relative order
        body = answer(api, attempt, aq, moved).json()
        expected = round(1000 * (len(order) - 1) / len(order)) if share else 0
        assert not body["is_correct"] and body["points"] == expected
        assert [s["in_place"] for s in body["your_order"]] == \
            [False, False] + [True] * (len(order) - 2)


def test_the_pages_render_both_types_and_leak_nothing_while_open(client, world, hands_on_bank):
    client.force_login(world["learner"])
    play_url = client.post("/quiz/start/", {"count": 5, "seconds": 20, "mode": "speed"}).url
    attempt = QuizAttempt.objects.latest("pk")
    for number in range(1, 6):
        aq = current(attempt)
        page = client.get(play_url).content.decode()
        assert_no_key_leak(page, aq)
        if aq.version.type == "hotspot":
            assert page.count('class="hotspot-line"') == aq.version.choices.count()
            assert 'class="artifact"' not in page  # the lines are the artifact
            choice = key_of(aq)
        else:
            shown = re.findall(r'data-key="([^"]+)"', page)
            assert sorted(shown) == sorted(aq.choice_keys) and shown != right_order(aq)
            choice = right_order(aq)
        closed = client.post(f"{play_url}answer/", {"number": number, "choice": choice},
                             HTTP_HX_REQUEST="true").content.decode()
        assert "Correct" in closed
        if aq.version.type == "ordering":
            assert "The right order" in closed
        else:
            assert closed.count('aria-label="a line that answers"') == len(choice)
        client.post(f"{play_url}next/", {"number": number}, HTTP_HX_REQUEST="true")
