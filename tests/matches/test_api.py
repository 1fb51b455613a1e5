from __future__ import annotations

import json

import pytest
from django.test import Client
from knox.models import AuthToken

from apps.matches.models import Match
from tests.matches.conftest import current_round, expire_round, fast_forward, keys
from tests.quiz.keyleak import ATTRIBUTE_MARKER

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user):
        _, token = AuthToken.objects.create(user=user)
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Token {token}"}

    def post(self, url, data=None):
        return self.client.post(url, json.dumps(data or {}), content_type="application/json",
                                **self.headers)

    def get(self, url):
        return self.client.get(url, **self.headers)

    def delete(self, url):
        return self.client.delete(url, **self.headers)


def assert_no_key(body: bytes, rnd) -> None:
    """While `rnd` is open nothing may say which of its choices is right."""
    text = body.decode()
    assert rnd.version.explanation.strip()[:60] not in text
    for choice in rnd.version.choices.all():
        if choice.misconception:
            assert choice.misconception not in text
    data = json.loads(text)
    if data.get("round") and data["round"]["number"] == rnd.number:
        assert data["round"]["result"] is None
        assert all(set(c) == {"key", "text"} for c in data["round"]["choices"])
    assert all(r["number"] != rnd.number for r in data.get("history", []))
    assert not ATTRIBUTE_MARKER.search(text)


def test_a_full_match_between_two_api_clients(bank, world):
    a, b = Api(world["learner"]), Api(world["other_learner"])
    waiting = a.post("/api/v1/matches/queue/").json()
    assert waiting["state"] == "waiting" and waiting["match"] is None
    paired = b.post("/api/v1/matches/queue/").json()
    assert paired["state"] == "matched"
    assert a.get("/api/v1/matches/queue/").json()["match"] == paired["match"]
    url = f"/api/v1/matches/{paired['match']}/"
    match = Match.objects.get(public_id=paired["match"])
    for number in (1, 2, 3):
        rnd = current_round(match)
        for client in (a, b):
            response = client.get(url)
            assert response.status_code == 200
            assert_no_key(response.content, rnd)
        score_before = b.get(url).json()["opponent"]["score"]
        answered = a.post(url + "answers/", {"round": number, "choices": keys(rnd)})
        assert answered.status_code == 200
        assert_no_key(answered.content, rnd)  # the round is still open for the opponent
        seen_by_b = b.get(url).json()
        assert seen_by_b["opponent"]["answered"] is True
        # Points show only when the round closes: the score says nothing about correctness yet.
        assert seen_by_b["opponent"]["score"] == score_before
        done = b.post(url + "answers/", {"round": number, "choices": keys(rnd, correct=False)})
        result = done.json()["round"]["result"]
        assert result["correct"] == keys(rnd) or sorted(result["correct"]) == sorted(keys(rnd))
        assert result["opponent_pick"] == keys(rnd) or sorted(result["opponent_pick"]) == \
            sorted(keys(rnd))
        fast_forward(match)  # past the pause: the next round opens
    final = a.get(url).json()
    assert final["state"] == "finished" and final["you_won"] is True
    assert final["rating_change"]["after"] > final["rating_change"]["before"]
    assert len(final["history"]) == 3
    rating = a.get("/api/v1/matches/rating/").json()
    assert rating["games"] == 1 and rating["provisional"] is True


def test_answer_refusals_have_clear_statuses(bank, world):
    a, b = Api(world["learner"]), Api(world["other_learner"])
    a.post("/api/v1/matches/queue/")
    match_id = b.post("/api/v1/matches/queue/").json()["match"]
    url = f"/api/v1/matches/{match_id}/answers/"
    match = Match.objects.get(public_id=match_id)
    rnd = current_round(match)
    assert a.post(url, {"round": 1}).status_code == 400
    assert a.post(url, {"round": 1, "choices": ["forged"]}).status_code == 400
    assert a.post(url, {"round": 1, "choices": keys(rnd)}).status_code == 200
    assert a.post(url, {"round": 1, "choices": keys(rnd)}).status_code == 200
    assert a.post(url, {"round": 1, "choices": keys(rnd, correct=False)}).status_code == 409
    expire_round(match)
    late = b.post(url, {"round": 1, "choices": keys(rnd)})
    assert late.status_code == 409 and "Time is up" in late.json()["detail"]


def test_outsiders_get_404_on_every_match_endpoint(bank, world):
    a, b = Api(world["learner"]), Api(world["other_learner"])
    a.post("/api/v1/matches/queue/")
    match_id = b.post("/api/v1/matches/queue/").json()["match"]
    outsider = Api(world["instructor"])
    base = f"/api/v1/matches/{match_id}/"
    assert outsider.get(base).status_code == 404
    for suffix, body in (("answers/", {"round": 1, "choices": ["x"]}), ("claim/", {}),
                         ("ticket/", {})):
        assert outsider.post(base + suffix, body).status_code == 404


def test_challenges_over_the_api(bank, world):
    a, b = Api(world["learner"]), Api(world["other_learner"])
    created = a.post("/api/v1/matches/challenges/", {"ranked": True})
    assert created.status_code == 201
    code = created.json()["code"]
    assert created.json()["link"].endswith(f"/play/c/{code}/")
    assert a.post(f"/api/v1/matches/challenges/{code}/accept/").status_code == 409
    accepted = b.post(f"/api/v1/matches/challenges/{code}/accept/", {"ranked": True})
    assert accepted.status_code == 200 and accepted.json()["ranked"] is True
    assert b.post("/api/v1/matches/challenges/ZZZZZZ/accept/").status_code == 404


def test_bot_matches_over_the_api(bank, world):
    a = Api(world["learner"])
    assert a.post("/api/v1/matches/bot/", {"level": 7}).status_code == 400
    created = a.post("/api/v1/matches/bot/", {"level": 3})
    assert created.status_code == 201
    state = created.json()
    assert state["kind"] == "bot" and state["ranked"] is False
    assert state["opponent"]["is_bot"] is True
    assert a.post("/api/v1/matches/bot/", {"level": 3}).status_code == 409


def test_leaving_the_queue(bank, world):
    a = Api(world["learner"])
    a.post("/api/v1/matches/queue/")
    assert a.delete("/api/v1/matches/queue/").status_code == 204
    assert a.get("/api/v1/matches/queue/").status_code == 404


def test_claiming_too_early_is_409(bank, world):
    a, b = Api(world["learner"]), Api(world["other_learner"])
    a.post("/api/v1/matches/queue/")
    match_id = b.post("/api/v1/matches/queue/").json()["match"]
    response = a.post(f"/api/v1/matches/{match_id}/claim/")
    assert response.status_code == 409 and "still here" in response.json()["detail"]


def test_tickets_are_issued_to_players(bank, world):
    a = Api(world["learner"])
    state = a.post("/api/v1/matches/bot/", {"level": 1}).json()
    response = a.post(f"/api/v1/matches/{state['id']}/ticket/")
    assert response.status_code == 201
    body = response.json()
    assert body["expires_in"] == 30 and body["ticket"] in body["url"]
