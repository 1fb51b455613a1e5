"""Websocket pushes (after commit, versioned, per player), resync on reconnect, access checks,
and the timers that close rounds: the in-process countdown of the embedded default and a real
Celery worker on the full stack."""

from __future__ import annotations

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from apps.matches.models import Match, Round
from apps.matches.realtime import ticket_issue
from apps.matches.services import match_answer, queue_join
from config.asgi import application
from tests.matches.conftest import current_round, keys
from tests.quiz.keyleak import ATTRIBUTE_MARKER
from tests.worker import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def run_async(coroutine_function) -> None:
    """Run a test coroutine on a fresh event loop in its own thread: Playwright's sync API
    (session-scoped, in tests/browser) may leave a loop running in the main thread."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine_function()).result()


def session_headers(user) -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)
    return [(b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()),
            (b"origin", b"http://testserver")]


def paired(world) -> Match:
    queue_join(user=world["learner"])
    return queue_join(user=world["other_learner"])


async def frames_until(comm, predicate, limit=10):
    seen = []
    for _ in range(limit):
        frame = await comm.receive_json_from(timeout=10)
        seen.append(frame)
        if predicate(frame):
            return frame, seen
    raise AssertionError(f"no matching frame in {seen}")


def secrets_of(rnd) -> tuple[int, list[str]]:
    """What must not appear while `rnd` is open (read before entering async code)."""
    texts = [rnd.version.explanation.strip()[:60]]
    texts += [c.misconception for c in rnd.version.choices.all() if c.misconception]
    return rnd.number, texts


def assert_frame_has_no_key(frame, secrets) -> None:
    number, texts = secrets
    text = json.dumps(frame)
    for secret in texts:
        assert secret not in text
    assert not ATTRIBUTE_MARKER.search(frame.get("html", ""))
    state = frame.get("state")
    if state and state["round"] and state["round"]["number"] == number:
        assert state["round"]["result"] is None


def test_a_player_gets_the_state_then_versioned_pushes_after_commit(bank, world):
    match = paired(world)
    rnd = current_round(match)
    headers = session_headers(world["learner"])
    secrets, right = secrets_of(rnd), keys(rnd)

    async def run():
        comm = WebsocketCommunicator(application, f"/ws/matches/{match.public_id}/",
                                     headers=headers)
        assert (await comm.connect())[0]
        first = await comm.receive_json_from(timeout=5)
        assert first["type"] == "state" and first["state"]["round"]["number"] == 1
        assert_frame_has_no_key(first, secrets)
        await database_sync_to_async(match_answer)(match=match, user=world["other_learner"],
                                                   number=1, keys=right)
        pushed, frames = await frames_until(
            comm, lambda f: f["state"]["opponent"]["answered"])
        assert pushed["version"] >= first["version"]
        for frame in frames:
            assert_frame_has_no_key(frame, secrets)
        await database_sync_to_async(match_answer)(match=match, user=world["learner"],
                                                   number=1, keys=right)
        closed, _ = await frames_until(
            comm, lambda f: f["state"]["round"]["result"] is not None)
        assert closed["state"]["round"]["result"]["your_correct"] is True
        await comm.disconnect()

    run_async(run)


def test_a_reconnecting_player_receives_the_whole_current_state(bank, world):
    match = paired(world)
    rnd = current_round(match)
    headers = session_headers(world["learner"])
    right = keys(rnd)

    async def run():
        comm = WebsocketCommunicator(application, f"/ws/matches/{match.public_id}/",
                                     headers=headers)
        await comm.connect()
        first = await comm.receive_json_from(timeout=5)
        await comm.disconnect()
        # Things happen while the player is away.
        for user in (world["learner"], world["other_learner"]):
            await database_sync_to_async(match_answer)(match=match, user=user, number=1,
                                                       keys=right)
        again = WebsocketCommunicator(application, f"/ws/matches/{match.public_id}/",
                                      headers=headers)
        await again.connect()
        state, _ = await frames_until(again, lambda f: f["version"] > first["version"] + 2)
        assert state["state"]["round"]["result"] is not None
        assert len(state["state"]["history"]) == 1
        await again.disconnect()

    run_async(run)


def test_browsers_get_html_fragments(bank, world):
    match = paired(world)
    headers = session_headers(world["learner"])

    async def run():
        comm = WebsocketCommunicator(application,
                                     f"/ws/matches/{match.public_id}/?format=html",
                                     headers=headers)
        await comm.connect()
        frame = await comm.receive_json_from(timeout=10)
        assert frame["type"] == "html" and 'id="match-board"' in frame["html"]
        assert f'data-version="{frame["version"]}"' in frame["html"]
        # The server's clock travels with every frame: the page counts down to its deadline.
        assert abs(frame["now_ms"] - time.time() * 1000) < 10_000
        await comm.disconnect()

    run_async(run)


@pytest.mark.parametrize("who", ["instructor", "anonymous"])
def test_outsiders_cannot_open_the_match_socket(bank, world, who):
    match = paired(world)
    headers = [(b"origin", b"http://testserver")]
    if world[who] is not None:
        headers = session_headers(world[who])

    async def run():
        comm = WebsocketCommunicator(application, f"/ws/matches/{match.public_id}/",
                                     headers=headers)
        connected, code = await comm.connect()
        assert not connected
        await comm.disconnect()

    run_async(run)


def test_a_foreign_origin_is_refused(bank, world):
    match = paired(world)
    headers = [h for h in session_headers(world["learner"]) if h[0] != b"origin"]
    headers.append((b"origin", b"https://evil.example"))

    async def run():
        comm = WebsocketCommunicator(application, f"/ws/matches/{match.public_id}/",
                                     headers=headers)
        connected, _ = await comm.connect()
        assert not connected

    run_async(run)


def test_api_clients_use_a_single_use_ticket(bank, world):
    match = paired(world)
    ticket = ticket_issue(user_id=world["learner"].pk, match_id=match.pk)
    stolen_for_other_match = ticket_issue(user_id=world["learner"].pk, match_id=match.pk + 999)

    async def run():
        origin = [(b"origin", b"http://testserver")]
        url = f"/ws/matches/{match.public_id}/?ticket="
        comm = WebsocketCommunicator(application, url + ticket, headers=origin)
        assert (await comm.connect())[0]
        assert (await comm.receive_json_from(timeout=5))["type"] == "state"
        await comm.disconnect()
        reused = WebsocketCommunicator(application, url + ticket, headers=origin)
        assert not (await reused.connect())[0]
        wrong = WebsocketCommunicator(application, url + stolen_for_other_match, headers=origin)
        assert not (await wrong.connect())[0]

    run_async(run)


def test_the_in_process_countdown_closes_a_silent_round(bank, world, settings):
    """The embedded default: no broker, no worker; a timer thread in the server does it."""
    settings.PLAY_TIME_SCALE = 0.01  # 15 s rounds last 0.15 s
    match = paired(world)
    first = current_round(match)
    closed = wait_for(lambda: Round.objects.get(pk=first.pk).state == "closed", timeout=10)
    assert closed
    assert wait_for(lambda: current_round(match).number == 2, timeout=10)


@pytest.fixture
def fast_play(settings):
    settings.PLAY_TIME_SCALE = 0.02  # 15 s rounds last 0.3 s; the worker gets the same scale


@pytest.mark.worker
def test_a_real_worker_closes_a_silent_round_with_its_countdown(bank, world, fast_play,
                                                                real_worker):
    match = paired(world)
    first = current_round(match)
    assert wait_for(lambda: Round.objects.get(pk=first.pk).state == "closed", timeout=30)


def test_a_push_the_socket_already_has_sends_nothing(bank, world):
    """The last answer bumps the version twice in one transaction and so publishes twice; the
    socket sends each version once."""
    from channels.layers import get_channel_layer

    from apps.matches.realtime import group_name

    match = paired(world)
    headers = session_headers(world["learner"])

    async def run():
        comm = WebsocketCommunicator(application, f"/ws/matches/{match.public_id}/",
                                     headers=headers)
        assert (await comm.connect())[0]
        first = await comm.receive_json_from(timeout=5)
        while not await comm.receive_nothing(timeout=0.3):  # presence pushes settle
            first = await comm.receive_json_from(timeout=5)
        layer = get_channel_layer()
        await layer.group_send(group_name(match.pk),
                               {"type": "match.changed", "version": first["version"]})
        assert await comm.receive_nothing(timeout=0.5)
        # Asking for a resync always answers, with the whole state.
        await comm.send_json_to({"type": "resync"})
        again = await comm.receive_json_from(timeout=5)
        assert again["version"] == first["version"] and again["state"]["id"] == first["state"]["id"]
        await comm.disconnect()

    run_async(run)


def test_resync_requests_are_rate_limited_per_player(bank, world, settings):
    """300 resyncs were 300 full reads; past the limit the socket answers `throttled`."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "match_resync": "3/60"}
    match = paired(world)
    headers = session_headers(world["learner"])

    async def run():
        comm = WebsocketCommunicator(application, f"/ws/matches/{match.public_id}/",
                                     headers=headers)
        assert (await comm.connect())[0]
        await comm.receive_json_from(timeout=5)
        while not await comm.receive_nothing(timeout=0.3):  # presence pushes settle
            await comm.receive_json_from(timeout=5)
        answers = []
        for _ in range(5):
            await comm.send_json_to({"type": "resync"})
            answers.append(await comm.receive_json_from(timeout=5))
        assert [a["type"] for a in answers] == ["state"] * 3 + ["throttled"] * 2
        assert 1 <= answers[-1]["retry_after"] <= 60
        await comm.disconnect()

    run_async(run)
