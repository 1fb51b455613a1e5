"""The live game's websocket: who may connect, the state on connect, one push per version after
commit (the room's payload computed once), a player's own line, answers over the socket exactly
once, resync, and no key in any frame while a question is open."""

from __future__ import annotations

import json
import time

import pytest
from channels.db import database_sync_to_async
from django.core.cache import cache
from django.test import Client

from apps.live import selectors, services
from apps.live.models import LiveAnswer, LiveQuestion
from config.asgi import application
from tests.live.conftest import control, db_game, keys_for, seat
from tests.matches.test_realtime import frames_until, run_async, session_headers
from tests.quiz.keyleak import ATTRIBUTE_MARKER

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://testserver")


def ticket(client_or_player, game_id: str, host=False):
    if host:
        response = client_or_player.post(f"/api/v1/live/{game_id}/ticket/")
    else:
        response = client_or_player.client.post(f"/api/v1/live/{game_id}/ticket/",
                                                HTTP_X_LIVE_PLAYER=client_or_player.token)
    assert response.status_code == 201, response.content
    return response.json()["url"]


def secrets_of(game_id: str, number: int) -> list[str]:
    from apps.play.cards import card

    question = LiveQuestion.objects.get(game__public_id=game_id, number=number)
    c = card(question.version_id)
    return [c.explanation.strip()[:60]] + [ch.misconception for ch in c.choices
                                            if ch.misconception]


def assert_no_key(frame: dict, secrets: list[str]) -> None:
    text = json.dumps(frame)
    for secret in secrets:
        assert secret not in text
    assert not ATTRIBUTE_MARKER.search(frame.get("html", ""))
    state = frame.get("state")
    if state:
        assert state["reveal"] is None
        for choice in state["question"]["choices"]:
            assert set(choice) == {"key", "text"}
    if frame.get("me"):
        assert frame["me"]["result"] is None


def communicator(path, headers=None):
    from channels.testing import WebsocketCommunicator

    return WebsocketCommunicator(application, path, headers=[ORIGIN, *(headers or [])])


def test_a_player_gets_the_state_then_one_push_per_change(host, game, small_bank):
    gid = game["id"]
    ada, bob = seat(game["pin"], "Ada"), seat(game["pin"], "Bob")
    url = ticket(ada, gid)

    async def run():
        comm = communicator(url)
        assert (await comm.connect())[0]
        first = await comm.receive_json_from(timeout=5)
        assert first["type"] == "state" and first["state"]["state"] == "lobby"
        assert first["me"]["nickname"] == "Ada"
        await database_sync_to_async(control)(host, gid, "start")
        opened, _ = await frames_until(comm, lambda f: f["state"]["state"] == "question")
        assert opened["version"] > first["version"]
        assert 0 < opened["state"]["question"]["remaining_ms"] <= 20_000
        secrets = await database_sync_to_async(secrets_of)(gid, 1)
        assert_no_key(opened, secrets)
        # Bob answers: no new version for the room, so nothing is pushed to Ada.
        await database_sync_to_async(bob.answer)(1, await database_sync_to_async(keys_for)(
            gid, 1))
        assert await comm.receive_nothing(timeout=0.3)
        # Ada answers over the socket; she is the last, so the question closes.
        right = await database_sync_to_async(keys_for)(gid, 1)
        await comm.send_json_to({"type": "answer", "question": 1, "choices": right})
        ack, frames = await frames_until(comm, lambda f: f["type"] == "ack")
        assert ack == {"type": "ack", "question": 1, "outcome": "accepted"}
        reveal, _ = await frames_until(comm, lambda f: f.get("state", {}).get("state")
                                       == "reveal")
        assert reveal["state"]["reveal"]["correct"] == right
        assert reveal["me"]["result"]["is_correct"] is True
        assert reveal["me"]["score"] > 0 and reveal["me"]["rank"] in (1, 2)
        # The same answer again: the stored one; a different one: refused.
        await comm.send_json_to({"type": "answer", "question": 1, "choices": right})
        again = await comm.receive_json_from(timeout=5)
        assert again["outcome"] == "repeat"
        await comm.disconnect()

    run_async(run)
    assert LiveAnswer.objects.filter(question__game__public_id=gid).count() == 2


def test_the_room_payload_is_computed_once_per_version(host, game, small_bank, monkeypatch):
    gid = game["id"]
    players = [seat(game["pin"], f"P{i}") for i in range(3)]
    urls = [ticket(p, gid) for p in players]
    calls = []
    original = selectors._ranking  # called only when a version's view is computed

    def counting(g):
        calls.append(g.version)
        return original(g)

    monkeypatch.setattr(selectors, "_ranking", counting)

    async def run():
        comms = [communicator(u) for u in urls]
        for comm in comms:
            assert (await comm.connect())[0]
            await comm.receive_json_from(timeout=5)
        calls.clear()
        cache.clear()
        await database_sync_to_async(control)(host, gid, "start")
        for comm in comms:
            frame, _ = await frames_until(comm, lambda f: f["state"]["state"] == "question")
            assert frame["me"]["answered"] is False
        for comm in comms:
            await comm.disconnect()

    run_async(run)
    version = db_game(gid).version
    assert calls.count(version) == 1  # by the publisher; three sockets read it from the cache


def test_browsers_get_the_board_once_for_the_room_and_their_own_line(host, game, small_bank):
    gid = game["id"]
    client = Client()
    assert client.post("/live/", {"pin": game["pin"], "nickname": "Ada"}).status_code == 302
    cookie = client.cookies[f"live-{gid}"].value
    headers = [(b"cookie", f"live-{gid}={cookie}".encode())]

    async def run():
        comm = communicator(f"/ws/live/{gid}/?format=html", headers)
        assert (await comm.connect())[0]
        first = await comm.receive_json_from(timeout=5)
        assert first["type"] == "board" and 'id="live-board"' in first["html"]
        assert first["me"]["nickname"] == "Ada"
        assert "Ada" not in first["html"]  # the room's board names nobody's own line
        await database_sync_to_async(control)(host, gid, "start")
        opened, _ = await frames_until(comm, lambda f: f["version"] > first["version"])
        assert "answer-tiles" in opened["html"] and opened["remaining_ms"] > 0
        # The shared board's countdown takes its remaining time and the moment it was measured
        # from this frame, not from the HTML cached for the room.
        assert abs(opened["now_ms"] - time.time() * 1000) < 10_000
        secrets = await database_sync_to_async(secrets_of)(gid, 1)
        assert_no_key(opened, secrets)
        await comm.disconnect()

    run_async(run)


def test_the_projector_is_told_the_version_and_the_answer_count(host, game, small_bank, world):
    gid = game["id"]
    ada, _bob = seat(game["pin"], "Ada"), seat(game["pin"], "Bob")
    headers = session_headers(world["instructor"])

    async def run():
        comm = communicator(f"/ws/live/{gid}/?format=html", headers)
        assert (await comm.connect())[0]
        first = await comm.receive_json_from(timeout=5)
        assert first == {"type": "changed", "version": first["version"]}
        await database_sync_to_async(control)(host, gid, "start")
        await frames_until(comm, lambda f: f["type"] == "changed"
                           and f["version"] > first["version"])
        await database_sync_to_async(ada.answer)(1, await database_sync_to_async(keys_for)(
            gid, 1))
        counted, _ = await frames_until(comm, lambda f: f["type"] == "answers")
        assert counted == {"type": "answers", "number": 1, "count": 1}
        await comm.disconnect()

    run_async(run)


@pytest.mark.parametrize("who", ["nobody", "other-user", "bad-cookie", "used-ticket",
                                 "other-game-ticket", "removed"])
def test_outsiders_are_refused(host, game, small_bank, world, who):
    gid = game["id"]
    ada = seat(game["pin"], "Ada")
    path, headers = f"/ws/live/{gid}/", []
    if who == "other-user":
        headers = session_headers(world["learner"])
    elif who == "bad-cookie":
        headers = [(b"cookie", f"live-{gid}=not-a-seat".encode())]
    elif who == "used-ticket":
        path = ticket(ada, gid)
        Client()  # a ticket opens one socket only
        used = communicator(path)
        run_async(lambda: _open_and_close(used))
    elif who == "other-game-ticket":
        other = host.post("/api/v1/live/", {"count": 3}, format="json").json()
        eve = seat(other["pin"], "Eve")
        path = f"/ws/live/{gid}/?ticket=" + ticket(eve, other["id"]).split("ticket=")[1]
    elif who == "removed":
        path = ticket(ada, gid)
        services.player_remove(game=db_game(gid), player_id=ada_id(gid))

    async def run():
        comm = communicator(path, headers)
        connected, code = await comm.connect()
        assert not connected and code == 4404

    run_async(run)


def ada_id(gid):
    return db_game(gid).players.get(nickname="Ada").pk


async def _open_and_close(comm):
    assert (await comm.connect())[0]
    await comm.disconnect()


def test_a_removed_player_is_told_and_closed(host, game, small_bank):
    gid = game["id"]
    ada = seat(game["pin"], "Ada")
    url = ticket(ada, gid)

    async def run():
        comm = communicator(url)
        assert (await comm.connect())[0]
        await comm.receive_json_from(timeout=5)
        await database_sync_to_async(services.player_remove)(
            game=await database_sync_to_async(db_game)(gid),
            player_id=await database_sync_to_async(ada_id)(gid))
        frame, _ = await frames_until(comm, lambda f: f["type"] == "removed")
        assert "removed" in frame["detail"]
        assert (await comm.receive_output(timeout=5))["type"] == "websocket.close"

    run_async(run)


def test_bad_frames_get_clear_errors_and_resync_and_answers_are_bounded(host, game, small_bank,
                                                                      settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "live_resync": "2/60", "live_answer": "2/60"}
    gid = game["id"]
    ada = seat(game["pin"], "Ada")
    url, right = ticket(ada, gid), keys_for(gid, 1)

    async def run():
        comm = communicator(url)
        assert (await comm.connect())[0]
        await comm.receive_json_from(timeout=5)
        for bad in ({"type": "answer", "question": "one", "choices": ["a"]},
                    {"type": "answer", "question": 1, "choices": ["x" * 65]},
                    {"type": "answer", "question": 1, "choices": []}):
            await comm.send_json_to(bad)
            error = await comm.receive_json_from(timeout=5)
            assert error["type"] == "error" and error["status"] == 400
        for _ in range(2):  # the question is not open yet: refused, but counted per seat
            await comm.send_json_to({"type": "answer", "question": 1, "choices": right})
            pending = await comm.receive_json_from(timeout=5)
            assert pending["status"] == 409 and "not open" in pending["detail"]
        await comm.send_json_to({"type": "answer", "question": 1, "choices": right})
        throttled = await comm.receive_json_from(timeout=5)
        assert throttled["type"] == "throttled" and throttled["retry_after"] >= 1
        await comm.send_json_to({"type": "dance"})
        assert (await comm.receive_json_from(timeout=5))["detail"] == "Unknown message."
        for _ in range(2):
            await comm.send_json_to({"type": "resync"})
            assert (await comm.receive_json_from(timeout=5))["type"] == "state"
        await comm.send_json_to({"type": "resync"})
        assert (await comm.receive_json_from(timeout=5))["type"] == "throttled"
        await comm.disconnect()

    run_async(run)


def test_tickets_are_for_seats_and_the_host_only(host, game, small_bank, world):
    gid = game["id"]
    assert ticket(host, gid, host=True).startswith(f"/ws/live/{gid}/?ticket=")
    outsider = Client()
    outsider.force_login(world["learner"])
    assert outsider.post(f"/api/v1/live/{gid}/ticket/").status_code == 404
    assert Client().post(f"/api/v1/live/{gid}/ticket/",
                         HTTP_X_LIVE_PLAYER="wrong").status_code == 404


def test_no_frame_of_a_hands_on_question_carries_its_key_before_the_reveal(host, world,
                                                                           hands_on_bank):
    """Find-the-line and order-the-steps over the socket (issue 19): the phones' frames carry
    the lines or the shuffled steps and nothing that says which line or which order is right;
    an ordering answer over the socket keeps its order."""
    from tests.live.test_hands_on import right

    created = host.post("/api/v1/live/", {"count": 5, "seconds_per_question": 30},
                        format="json").json()
    gid = created["id"]
    ada, bob = seat(created["pin"], "Ada"), seat(created["pin"], "Bob")
    url = ticket(ada, gid)

    async def run():
        comm = communicator(url)
        assert (await comm.connect())[0]
        await comm.receive_json_from(timeout=5)
        await database_sync_to_async(control)(host, gid, "start")
        kinds = set()
        for number in range(1, 6):
            opened, _ = await frames_until(comm, lambda f, n=number: f.get("state", {}).get(
                "number") == n and f["state"]["state"] == "question")
            question = opened["state"]["question"]
            kinds.add(question["type"])
            assert_no_key(opened, await database_sync_to_async(secrets_of)(gid, number))
            answer = await database_sync_to_async(right)(gid, number)
            if question["type"] == "ordering":
                assert [c["key"] for c in question["choices"]] != answer
                text = json.dumps(opened)
                assert '"place"' not in text and '"your_order"' not in text
            await database_sync_to_async(bob.answer)(number, answer)
            await comm.send_json_to({"type": "answer", "question": number, "choices": answer})
            ack, _ = await frames_until(comm, lambda f: f["type"] == "ack")
            assert ack["outcome"] == "accepted"
            reveal, _ = await frames_until(comm, lambda f: f.get("state", {}).get("state")
                                           == "reveal")
            assert reveal["me"]["result"]["is_correct"] is True
            if question["type"] == "ordering":
                assert [s["key"] for s in reveal["state"]["reveal"]["order"]] == answer
            await database_sync_to_async(control)(host, gid, "next", question=number)
        assert kinds == {"hotspot", "ordering"}
        await comm.disconnect()

    run_async(run)
