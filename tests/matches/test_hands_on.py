"""Head-to-head rounds of the hands-on types (issue 19): "find the line" and "order the
steps" over the API and the page, the key never shown while a round is open, and the practice
bot answering an ordering round."""

from __future__ import annotations

import re

import pytest

from apps.matches.models import Match, RoundAnswer
from tests.matches.conftest import current_round, fast_forward
from tests.matches.test_api import Api, assert_no_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(hands_on_bank, settings):
    settings.MATCH_ROUNDS = 5
    return hands_on_bank


def right(rnd) -> list[str]:
    """The keys a player who knows the answer sends: the key lines, or every step in order."""
    by_position = {c.position: c for c in rnd.version.choices.all()}
    key_of = dict(zip(rnd.choice_order, rnd.choice_keys, strict=True))
    if rnd.version.type == "ordering":
        return [key_of[p] for p in sorted(key_of)]
    return [key_of[p] for p in sorted(key_of) if by_position[p].is_correct]


def wrong(rnd) -> list[str]:
    keys = right(rnd)
    if rnd.version.type == "ordering":
        return [keys[1], keys[0], *keys[2:]]
    return [k for k in rnd.choice_keys if k not in keys][:1]


def test_a_match_of_hotspot_and_ordering_rounds(bank, world, client):
    a, b = Api(world["learner"]), Api(world["other_learner"])
    a.post("/api/v1/matches/queue/")
    match_id = b.post("/api/v1/matches/queue/").json()["match"]
    url = f"/api/v1/matches/{match_id}/"
    match = Match.objects.get(public_id=match_id)
    client.force_login(world["learner"])
    types = set()
    for number in range(1, 6):
        rnd = current_round(match)
        types.add(rnd.version.type)
        state = a.get(url).json()
        assert_no_key(a.get(url).content, rnd)
        page = client.get(f"/play/m/{match_id}/").content.decode()
        assert rnd.version.explanation.strip()[:40] not in page
        if rnd.version.type == "hotspot":
            assert state["round"]["picks"] in ("one", "many")
            assert page.count('class="hotspot-line"') == len(rnd.choice_keys)
        else:
            assert state["round"]["picks"] == "order"
            assert re.findall(r'data-key="([^"]+)"', page) != right(rnd)
        answered = a.post(url + "answers/", {"round": number, "choices": right(rnd)})
        assert answered.status_code == 200, answered.content
        assert_no_key(answered.content, rnd)  # still open for the opponent
        result = b.post(url + "answers/", {"round": number, "choices": wrong(rnd)}
                        ).json()["round"]["result"]
        assert result["type"] == rnd.version.type and result["your_correct"] is False
        if rnd.version.type == "ordering":
            assert [s["key"] for s in result["order"]] == right(rnd)
            assert [s["key"] for s in result["opponent_order"]] == right(rnd)
            assert [s["key"] for s in result["your_order"]] == wrong(rnd)
        mine = a.get(url).json()["round"]["result"]
        assert mine["your_correct"] is True and mine["your_points"] > 0
        closed_page = client.get(f"/play/m/{match_id}/").content.decode()
        assert ("The right order" in closed_page if rnd.version.type == "ordering"
                else 'aria-label="a line that answers"' in closed_page)
        fast_forward(match)
    assert types == {"hotspot", "ordering"}
    final = a.get(url).json()
    assert final["state"] == "finished" and final["you_won"] is True


@pytest.mark.parametrize("knows", [True, False])
def test_the_bot_answers_an_ordering_round_with_every_step(bank, world, monkeypatch, knows):
    from apps.matches import bot
    from apps.matches.services import bot_answer, bot_match_create

    monkeypatch.setattr(bot, "correct_probability", lambda level, difficulty: 1.0 if knows else 0.0)
    match = bot_match_create(user=world["learner"], level=1)
    for _ in range(5):
        rnd = current_round(match)
        if rnd.version.type == "ordering" and rnd.state == "open":
            break
        fast_forward(match)
        if current_round(match).state == "closed":
            fast_forward(match)
    assert rnd.version.type == "ordering"
    bot_answer(match_id=match.pk, number=rnd.number)
    answer = RoundAnswer.objects.get(round=rnd, player__is_bot=True)
    assert sorted(answer.picked) == list(range(len(rnd.choice_keys)))
    assert answer.is_correct is knows


@pytest.mark.django_db(transaction=True)
def test_no_websocket_frame_of_a_hands_on_round_carries_its_key_while_open(bank, world):
    """Every frame pushed while a find-the-line or order-the-steps round is open, JSON and HTML,
    is free of its key; the closed round's frame has the key lines or the right order."""
    from channels.db import database_sync_to_async
    from channels.testing import WebsocketCommunicator

    from apps.matches.services import match_answer
    from config.asgi import application
    from tests.matches.test_realtime import (
        assert_frame_has_no_key,
        frames_until,
        paired,
        run_async,
        secrets_of,
        session_headers,
    )

    match = paired(world)
    headers = session_headers(world["learner"])
    kinds = set()

    async def run():
        json_comm = WebsocketCommunicator(application, f"/ws/matches/{match.public_id}/",
                                          headers=headers)
        html_comm = WebsocketCommunicator(
            application, f"/ws/matches/{match.public_id}/?format=html", headers=headers)
        assert (await json_comm.connect())[0] and (await html_comm.connect())[0]
        for _ in range(5):
            rnd = await database_sync_to_async(current_round)(match)
            secrets = await database_sync_to_async(secrets_of)(rnd)
            answer = await database_sync_to_async(right)(rnd)
            kind = await database_sync_to_async(lambda r=rnd: r.version.type)()
            kinds.add(kind)
            opened, _ = await frames_until(json_comm, lambda f, n=rnd.number: (
                f["state"]["round"] or {}).get("number") == n)
            assert_frame_has_no_key(opened, secrets)
            if kind == "ordering":
                assert [c["key"] for c in opened["state"]["round"]["choices"]] != answer
            await database_sync_to_async(match_answer)(
                match=match, user=world["other_learner"], number=rnd.number, keys=answer)
            seen, frames = await frames_until(
                json_comm, lambda f: f["state"]["opponent"]["answered"])
            for frame in frames:
                assert_frame_has_no_key(frame, secrets)
            html, _ = await frames_until(html_comm, lambda f: "answered ✔" in f["html"])
            assert_frame_has_no_key(html, secrets)
            await database_sync_to_async(match_answer)(match=match, user=world["learner"],
                                                       number=rnd.number, keys=answer)
            closed, _ = await frames_until(
                json_comm, lambda f: (f["state"]["round"] or {}).get("result") is not None)
            result = closed["state"]["round"]["result"]
            assert result["your_correct"] is True and result["type"] == kind
            if kind == "ordering":
                assert [s["key"] for s in result["order"]] == answer
            await database_sync_to_async(fast_forward)(match)
        await json_comm.disconnect()
        await html_comm.disconnect()

    run_async(run)
    assert kinds == {"hotspot", "ordering"}
