"""Live games with the hands-on types (issue 19): "find the line" and "order the steps" on the
phones, the projector and the report; no key before the reveal; accuracy games give an ordering
answer partial credit."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from apps.live.models import LiveQuestion
from apps.play.cards import card
from tests.live.conftest import control, seat
from tests.live.test_api import assert_no_key

pytestmark = pytest.mark.django_db


def right(gid: str, number: int) -> list[str]:
    question = LiveQuestion.objects.get(game__public_id=gid, number=number)
    c = card(question.version_id)
    key_of = dict(zip(question.choice_order, question.choice_keys, strict=True))
    if c.type == "ordering":
        return [key_of[p] for p in sorted(key_of)]
    return [key_of[p] for p in sorted(key_of) if c.choice_at(p).is_correct]


def wrong(gid: str, number: int) -> list[str]:
    keys = right(gid, number)
    question = LiveQuestion.objects.get(game__public_id=gid, number=number)
    if card(question.version_id).type == "ordering":
        return [keys[1], keys[0], *keys[2:]]
    return [k for k in question.choice_keys if k not in keys][:1]


@pytest.mark.parametrize("scoring", ["speed", "accuracy"])
def test_a_game_of_hotspot_and_ordering_questions(host, world, hands_on_bank, scoring):
    created = host.post("/api/v1/live/", {"count": 5, "seconds_per_question": 30,
                                          "scoring": scoring}, format="json")
    assert created.status_code == 201, created.content
    gid, pin = created.json()["id"], created.json()["pin"]
    ada, bob = seat(pin, "Ada"), seat(pin, "Bob")
    phone = Client()  # Cy plays on the pages, as a phone does
    assert phone.post("/live/", {"pin": pin, "nickname": "Cy"}).status_code == 302
    projector = Client()
    projector.force_login(world["instructor"])
    control(host, gid, "start")
    types = set()
    for number in range(1, 6):
        view = ada.get().json()
        qtype = view["question"]["type"]
        types.add(qtype)
        assert_no_key(ada.get().content, gid, number)
        assert view["question"]["picks"] == ("order" if qtype == "ordering"
                                             else "many" if len(right(gid, number)) > 1
                                             else "one")
        page = phone.get(f"/live/{gid}/play/").content.decode()
        assert card(LiveQuestion.objects.get(game__public_id=gid, number=number).version_id
                    ).explanation.strip()[:40] not in page
        if qtype == "hotspot":
            assert page.count('class="hotspot-line"') == len(view["question"]["choices"])
        else:
            assert re.findall(r'data-key="([^"]+)"', page) != right(gid, number)
        shown = projector.get(f"/live/{gid}/host/").content.decode()
        assert 'class="tile key"' not in shown and 'class="key"' not in shown
        assert ada.answer(number, right(gid, number)).status_code == 200
        answered = phone.post(f"/live/{gid}/play/answer/", {"number": number,
                                                             "choice": right(gid, number)})
        assert answered.status_code in (200, 302)
        after = bob.answer(number, wrong(gid, number)).json()
        assert after["state"] == "reveal" and after["reveal"]["type"] == qtype
        mine = after["me"]["result"]
        assert mine["is_correct"] is False and mine["type"] == qtype
        if qtype == "ordering":
            assert [s["key"] for s in after["reveal"]["order"]] == right(gid, number)
            assert after["reveal"]["all_right"] == 2
            # Ada and Cy put every step in place; Bob all but the first two.
            assert [s["in_place"] for s in after["reveal"]["order"]][:3] == [2, 2, 3]
            assert [s["key"] for s in mine["your_order"]] == wrong(gid, number)
            steps = len(right(gid, number))
            expected = round(1000 * (steps - 1) / steps) if scoring == "accuracy" else 0
            assert mine["points"] == expected
            assert "put every step in the right order" in \
                projector.get(f"/live/{gid}/host/").content.decode()
            assert "Your order" in phone.get(f"/live/{gid}/play/").content.decode()
        else:
            counted = {d["key"]: d["count"] for d in after["reveal"]["distribution"]}
            assert all(counted[k] == 2 for k in right(gid, number))
            assert mine["points"] == 0
            assert "a line that answers" in phone.get(f"/live/{gid}/play/").content.decode()
        control(host, gid, "next", question=number)
    assert types == {"hotspot", "ordering"}
    report = host.get(f"/api/v1/live/{gid}/report/").json()
    assert all(q["facility"] == 67 for q in report["questions"])
    page = projector.get(f"/live/{gid}/report/").content.decode()
    assert "how many put each step in its place" in page and "Lines picked" in page
