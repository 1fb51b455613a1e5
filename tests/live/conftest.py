from __future__ import annotations

import json

import pytest
from django.test import Client

from apps.live.models import LiveGame, LiveQuestion
from tests.querycount import api_client


@pytest.fixture
def host(world):
    return api_client(world["instructor"])


class Player:
    """A phone: an anonymous client (or a signed-in one) with the seat secret it was given."""

    def __init__(self, token: str, game: str, client=None):
        self.client = client or Client()
        self.token = token
        self.game = game

    def get(self, url=None):
        return self.client.get(url or f"/api/v1/live/{self.game}/play/",
                               HTTP_X_LIVE_PLAYER=self.token)

    def answer(self, number: int, keys: list[str]):
        return self.client.post(f"/api/v1/live/{self.game}/answers/",
                                json.dumps({"question": number, "choices": keys}),
                                content_type="application/json", HTTP_X_LIVE_PLAYER=self.token)


def join(pin: str, nickname: str = "", client=None):
    client = client or Client()
    return client.post("/api/v1/live/join/", json.dumps({"pin": pin, "nickname": nickname}),
                       content_type="application/json")


def seat(pin: str, nickname: str, client=None) -> Player:
    response = join(pin, nickname, client)
    assert response.status_code == 201, response.content
    body = response.json()
    return Player(body["token"], body["game"], client)


def keys_for(game_id: str, number: int, correct: bool = True) -> list[str]:
    from apps.play.cards import card

    question = LiveQuestion.objects.get(game__public_id=game_id, number=number)
    c = card(question.version_id)
    picked = [k for k, p in zip(question.choice_keys, question.choice_order, strict=True)
              if c.choice_at(p).is_correct == correct]
    return picked if correct else picked[:1]


@pytest.fixture
def game(host, small_bank):
    response = host.post("/api/v1/live/", {"count": 3, "seconds_per_question": 20},
                         format="json")
    assert response.status_code == 201, response.content
    return response.json()


def control(host, game_id: str, action: str, **data):
    return host.post(f"/api/v1/live/{game_id}/{action}/", data, format="json")


def db_game(game_id: str) -> LiveGame:
    return LiveGame.objects.get(public_id=game_id)
