"""Racing answers in a live game, on PostgreSQL with real row locks: one answer per player per
question, and a room whose last answers race closes the question once."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from apps.live import services
from apps.live.models import LiveAnswer, LiveGame, LivePlayer
from apps.live.services import GameSpec
from tests.factories import load_small_bank
from tests.live.conftest import keys_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def answer(game, token, keys):
    return lambda: Client().post(f"/api/v1/live/{game.public_id}/answers/",
                                 json.dumps({"question": 1, "choices": keys}),
                                 content_type="application/json", HTTP_X_LIVE_PLAYER=token)


@pytest.fixture
def game(world):
    load_small_bank()
    game = services.game_create(host=world["instructor"], spec=GameSpec(count=3))
    return game


def test_one_player_racing_six_copies_answers_once(game):
    _, token = services.game_join(pin=game.pin, nickname="Ada")
    services.game_join(pin=game.pin, nickname="Bob")  # so that one answer does not close it
    services.game_start(game=game)
    keys = keys_for(str(game.public_id), 1)
    responses = race([answer(game, token, keys)] * 6)
    outcomes = sorted(r.json()["outcome"] for r in responses)
    assert outcomes == ["accepted"] + ["repeat"] * 5
    assert LiveAnswer.objects.count() == 1
    assert LivePlayer.objects.get(nickname="Ada").score == responses[0].json()["me"]["score"] > 0


def test_the_last_answers_of_a_room_racing_close_the_question_once(game):
    tokens = [services.game_join(pin=game.pin, nickname=f"P{i}")[1] for i in range(6)]
    services.game_start(game=game)
    version = LiveGame.objects.get(pk=game.pk).version
    keys = keys_for(str(game.public_id), 1)
    responses = race([answer(game, token, keys) for token in tokens])
    assert all(r.status_code == 200 for r in responses)
    assert LiveAnswer.objects.count() == 6
    closed = LiveGame.objects.get(pk=game.pk)
    assert closed.state == "reveal" and closed.version == version + 1  # one close, one change
