"""A live game over the API: the host's controls, players' seats and answers, every refusal."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.live.models import LiveAnswer, LiveGame, LivePlayer, LiveQuestion
from apps.skills.models import AnswerEvent
from tests.live.conftest import control, db_game, join, keys_for, seat
from tests.querycount import api_client

pytestmark = pytest.mark.django_db


def assert_no_key(body: bytes, game_id: str, number: int) -> None:
    """While question `number` is open nothing a player receives says which choice is right."""
    from apps.play.cards import card

    text = body.decode()
    question = LiveQuestion.objects.get(game__public_id=game_id, number=number)
    c = card(question.version_id)
    data = json.loads(text)
    assert data["reveal"] is None and '"correct"' not in text.replace('"is_correct"', "")
    assert c.explanation.strip()[:60] not in text
    for choice in c.choices:
        assert not choice.misconception or choice.misconception not in text
    for choice in data["question"]["choices"]:
        assert set(choice) == {"key", "text"}


def test_a_whole_game_from_lobby_to_podium(host, game, world, small_bank, monkeypatch):
    from apps.live import services

    handed_over = []
    monkeypatch.setattr(services, "enqueue", lambda task, *args, countdown=None: None)
    monkeypatch.setattr(services, "outbox_enqueue", lambda task, *args: (
        handed_over.append((task, args)) if task.name.startswith("skills.") else None))
    gid, pin = game["id"], game["pin"]
    assert game["state"] == "lobby" and len(pin) == 6 and game["question"] is None
    visitor = seat(pin, "Ada")
    signed_in = Client()
    signed_in.force_login(world["learner"])
    learner = seat(pin, "", signed_in)
    lobby = host.get(f"/api/v1/live/{gid}/").json()
    assert sorted(lobby["lobby"]) == ["Ada", "learner"] and lobby["players"] == 2

    assert control(host, gid, "start").json()["state"] == "question"
    for number in (1, 2, 3):
        view = visitor.get()
        assert view.status_code == 200
        assert_no_key(view.content, gid, number)
        assert view.json()["question"]["number"] == number
        right = visitor.answer(number, keys_for(gid, number))
        assert right.status_code == 200 and right.json()["outcome"] == "accepted"
        assert_no_key(right.content, gid, number)  # the other player has not answered yet
        wrong = learner.answer(number, keys_for(gid, number, correct=False))
        assert wrong.status_code == 200
        # The last answer of the room closed the question: the reveal.
        after = wrong.json()
        assert after["state"] == "reveal" and after["reveal"]["correct"]
        assert after["me"]["result"]["is_correct"] is False
        assert sum(d["count"] for d in after["reveal"]["distribution"]) >= 2
        host_view = control(host, gid, "next", question=number).json()
        assert host_view["state"] == ("question" if number < 3 else "finished")
    final = visitor.get().json()
    assert final["state"] == "finished" and final["me"]["rank"] == 1
    assert final["top"][0]["nickname"] == "Ada"
    # The signed-in player's answers teach skills like quiz answers; the visitor's do not.
    assert [task.name for task, _ in handed_over] == ["skills.record_answers"] * 3
    for task, args in handed_over:
        task.run(*args)
    assert AnswerEvent.objects.filter(user=world["learner"]).count() == 3
    assert AnswerEvent.objects.count() == 3
    report = host.get(f"/api/v1/live/{gid}/report/").json()
    assert [p["nickname"] for p in report["players"]] == ["Ada", "learner"]
    assert all(q["facility"] == 50 for q in report["questions"])
    assert report["questions"][0]["misconceptions"][0]["picked"] == 1


def test_a_player_who_reloads_keeps_the_seat_and_a_late_joiner_starts_at_the_current_question(
        host, game):
    gid, pin = game["id"], game["pin"]
    first = seat(pin, "Ada")
    control(host, gid, "start")
    first.answer(1, keys_for(gid, 1))
    again = first.get().json()  # a reload: the same secret, the same seat and score
    assert again["me"]["nickname"] == "Ada" and again["me"]["answered"] is True
    late = seat(pin, "Late")
    assert late.get().json()["question"]["number"] == 1


def test_a_signed_in_learner_rejoining_gets_the_same_seat(host, game, world):
    client = Client()
    client.force_login(world["learner"])
    first = join(game["pin"], "", client).json()
    second = join(game["pin"], "", client).json()
    assert first["player"] == second["player"] and first["token"] != second["token"]
    assert LivePlayer.objects.filter(game__public_id=game["id"]).count() == 1


@pytest.mark.parametrize(("pin", "nickname", "status", "message"), [
    ("000000", "Ada", 404, "No game is running with this PIN."),
    ("12345", "Ada", 400, "A PIN is 6 digits."),
    (None, "A", 400, "2 to 20 characters"),
    (None, "x" * 21, 400, "Ensure this field has no more than 20 characters."),
    (None, "<script>", 400, "letters, digits, spaces"),
    (None, "", 400, "2 to 20 characters"),
])
def test_it_refuses_a_bad_join(game, pin, nickname, status, message):
    response = join(pin or game["pin"], nickname)
    assert response.status_code == status
    assert message in json.dumps(response.json())


def test_it_refuses_a_taken_nickname_and_a_locked_lobby(host, game):
    seat(game["pin"], "Ada")
    taken = join(game["pin"], "ada")
    assert taken.status_code == 409 and "taken" in taken.json()["detail"]
    assert control(host, game["id"], "lock", locked=True).json()["locked"] is True
    locked = join(game["pin"], "Bob")
    assert locked.status_code == 409 and "locked" in locked.json()["detail"]


def test_guessing_pins_locks_the_address_even_for_the_right_pin(game, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "live_pin_miss": "3/300"}
    for guess in ("111111", "222222", "333333"):
        assert join(guess, "Eve").status_code == 404
    right = join(game["pin"], "Eve")
    assert right.status_code == 429 and int(right["Retry-After"]) > 0


def test_a_full_game_refuses_more_players(game, settings):
    settings.LIVE_MAX_PLAYERS = 2
    seat(game["pin"], "One")
    seat(game["pin"], "Two")
    full = join(game["pin"], "Three")
    assert full.status_code == 409 and full.json()["detail"] == "This game is full."


def test_answers_are_exactly_once_and_late_ones_are_refused(host, game):
    gid = game["id"]
    ada, bob = seat(game["pin"], "Ada"), seat(game["pin"], "Bob")
    control(host, gid, "start")
    pending = ada.answer(2, keys_for(gid, 2))
    assert pending.status_code == 409 and "not open" in pending.json()["detail"]
    assert ada.answer(1, keys_for(gid, 1)).json()["outcome"] == "accepted"
    assert ada.answer(1, keys_for(gid, 1)).json()["outcome"] == "repeat"
    second = ada.answer(1, keys_for(gid, 1, correct=False))
    assert second.status_code == 409 and "first answer counts" in second.json()["detail"]
    assert LiveAnswer.objects.filter(player__nickname="Ada").count() == 1
    LiveQuestion.objects.filter(game__public_id=gid, number=1).update(
        deadline=timezone.now() - timedelta(seconds=30))
    late = bob.answer(1, keys_for(gid, 1))
    assert late.status_code == 409 and "Time is up" in late.json()["detail"]
    assert db_game(gid).state == LiveGame.State.REVEAL  # the late answer closed it (on read)


@pytest.mark.parametrize("keys", [["nope"], [], "x"])
def test_it_refuses_a_malformed_answer(host, game, keys):
    ada = seat(game["pin"], "Ada")
    control(host, game["id"], "start")
    assert ada.answer(1, keys).status_code == 400


def test_pause_stops_the_clock_and_resume_restarts_it(host, game):
    gid = game["id"]
    ada = seat(game["pin"], "Ada")
    control(host, gid, "start")
    paused = control(host, gid, "pause").json()
    assert paused["paused"] is True and paused["question"]["remaining_ms"] > 15_000
    refused = ada.answer(1, keys_for(gid, 1))
    assert refused.status_code == 409 and "paused" in refused.json()["detail"]
    # However long the pause, the question does not close on a read.
    LiveQuestion.objects.filter(game__public_id=gid, number=1).update(
        deadline=timezone.now() - timedelta(seconds=60))
    assert host.get(f"/api/v1/live/{gid}/").json()["state"] == "question"
    resumed = control(host, gid, "resume").json()
    assert resumed["paused"] is False and resumed["question"]["remaining_ms"] > 15_000
    assert ada.answer(1, keys_for(gid, 1)).json()["outcome"] == "accepted"


def test_skip_and_end_are_idempotent(host, game):
    gid = game["id"]
    seat(game["pin"], "Ada")
    control(host, gid, "start")
    assert control(host, gid, "skip", question=1).json()["state"] == "reveal"
    assert control(host, gid, "skip", question=1).json()["state"] == "reveal"
    assert control(host, gid, "next", question=1).json()["number"] == 2
    assert control(host, gid, "next", question=1).json()["number"] == 2  # stale: no change
    assert control(host, gid, "end").json()["state"] == "finished"
    assert control(host, gid, "end").json()["state"] == "finished"
    assert LiveQuestion.objects.get(game__public_id=gid, number=2).state == "closed"


def test_a_removed_player_can_no_longer_answer_nor_rejoin(host, game, world):
    gid = game["id"]
    client = Client()
    client.force_login(world["learner"])
    learner = seat(game["pin"], "", client)
    player = LivePlayer.objects.get(nickname="learner")
    assert host.post(f"/api/v1/live/{gid}/players/{player.pk}/remove/").status_code == 200
    assert learner.get().status_code == 404
    again = join(game["pin"], "", client)
    assert again.status_code == 403


def test_host_endpoints_are_404_to_everyone_else(game, world):
    gid = game["id"]
    for user in ("learner", "other_learner", "staff"):
        other = api_client(world[user])
        assert other.get(f"/api/v1/live/{gid}/").status_code == 404
        assert other.get(f"/api/v1/live/{gid}/report/").status_code == 404
        assert other.post(f"/api/v1/live/{gid}/start/").status_code == 404
    assert Client().get(f"/api/v1/live/{gid}/report/").status_code in (401, 403)
    assert Client().get(f"/api/v1/live/{gid}/play/").status_code == 404  # no seat secret


def test_a_host_runs_a_bounded_number_of_games(host, small_bank, settings):
    settings.LIVE_MAX_GAMES_PER_HOST = 1
    assert host.post("/api/v1/live/", {"count": 3}, format="json").status_code == 201
    second = host.post("/api/v1/live/", {"count": 3}, format="json")
    assert second.status_code == 409 and "end one" in second.json()["detail"]


def test_starting_needs_a_player(host, game):
    response = control(host, game["id"], "start")
    assert response.status_code == 409 and "Nobody" in response.json()["detail"]


def test_an_accuracy_game_gives_the_room_the_extended_time_of_its_players(host, small_bank,
                                                                          world):
    from apps.accounts.services import profile_update

    profile_update(user=world["learner"], timezone="UTC", extended_time_percent=150)
    game = host.post("/api/v1/live/", {"count": 3, "seconds_per_question": 20,
                                       "scoring": "accuracy"}, format="json").json()
    client = Client()
    client.force_login(world["learner"])
    seat(game["pin"], "", client)
    started = control(host, game["id"], "start").json()
    assert 29_000 < started["question"]["remaining_ms"] <= 30_000


def test_a_poll_of_an_unchanged_game_is_204_in_two_statements_without_a_lock(host, game):
    from tests.querycount import Counted

    ada = seat(game["pin"], "Ada")
    control(host, game["id"], "start")
    version = ada.get().json()["version"]
    with Counted() as poll:
        response = ada.get(f"/api/v1/live/{game['id']}/play/?v={version}")
    assert response.status_code == 204
    assert len(poll) <= 2, poll.statements
    assert not any("FOR UPDATE" in s for s in poll.statements)
    LiveGame.objects.filter(public_id=game["id"]).update(
        deadline=timezone.now() - timedelta(seconds=30))
    LiveQuestion.objects.filter(game__public_id=game["id"]).update(
        deadline=timezone.now() - timedelta(seconds=30))
    moved = ada.get(f"/api/v1/live/{game['id']}/play/?v={version}")  # the close is due: read
    assert moved.status_code == 200 and moved.json()["state"] == "reveal"


def test_the_api_knows_a_seat_by_its_header_not_by_the_pages_cookie(host, game):
    client = Client()
    response = client.post("/live/", {"pin": game["pin"], "nickname": "Ada"})
    assert response.status_code == 302 and client.cookies[f"live-{game['id']}"].value
    assert client.get(f"/api/v1/live/{game['id']}/play/").status_code == 404
    assert client.get(f"/live/{game['id']}/play/").status_code == 200


def test_answers_are_rate_limited_per_seat_through_the_api(host, game, small_bank, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "live_answer": "2/60"}
    gid = game["id"]
    ada, bob = seat(game["pin"], "Ada"), seat(game["pin"], "Bob")
    assert control(host, gid, "start").status_code == 200
    right = keys_for(gid, 1)
    assert ada.answer(1, right).status_code == 200
    assert ada.answer(1, right).status_code == 200  # a retry: the stored answer again
    refused = ada.answer(1, right)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "Too many requests" in refused.json()["detail"]
    assert bob.answer(1, right).status_code == 200  # per seat: the next phone is not affected
    assert LiveAnswer.objects.filter(question__game__public_id=gid).count() == 2
