"""The choice deal and the one pick parser of every play mode."""

from __future__ import annotations

import pytest

from apps.play.cards import Card, CardChoice
from apps.play.deal import Deal, PickError, deal_choices, deal_for, parse_pick, picks_many


def a_card(qtype: str, correct: tuple[bool, ...] = (True, False, False)) -> Card:
    return Card(version_id=1, question_id=1, type=qtype, style="concept", difficulty=1,
                topics=(), stem="s", stem_html="s", artifact_kind="", artifact_content="",
                choices=tuple(CardChoice(i, f"c{i}", ok, "") for i, ok in enumerate(correct)),
                explanation="", explanation_html="", resources=())


def test_it_deals_every_position_once_under_distinct_opaque_keys():
    deal = deal_choices(5)
    assert sorted(deal.order) == [0, 1, 2, 3, 4]
    assert len(set(deal.keys)) == 5 and all(len(k) >= 11 for k in deal.keys)


def test_it_shuffles_the_order_between_deals():
    assert len({deal_choices(6).order for _ in range(50)}) > 1


def test_a_hotspots_lines_keep_the_artifacts_order_under_fresh_keys():
    card = a_card("hotspot", (False,) * 9 + (True,))
    deals = [deal_for(card) for _ in range(20)]
    assert all(d.order == tuple(range(10)) for d in deals)
    assert len({d.keys for d in deals}) == 20  # the keys still differ per attempt


def test_ordering_steps_are_shuffled_per_deal():
    card = a_card("ordering", (True,) * 6)
    assert len({deal_for(card).order for _ in range(50)}) > 1


def test_it_maps_picked_keys_to_the_authors_positions():
    deal = Deal.of([2, 0, 1], ["a", "b", "c"])
    assert parse_pick(deal, ["a"], a_card("single")) == [2]
    assert parse_pick(deal, ["c", "a"], a_card("multiple", (True, True, False))) == [1, 2]


def test_an_ordering_pick_keeps_the_players_order():
    deal = Deal.of([2, 0, 1], ["a", "b", "c"])
    assert parse_pick(deal, ["b", "c", "a"], a_card("ordering", (True,) * 3)) == [0, 1, 2]
    assert parse_pick(deal, ["a", "c", "b"], a_card("ordering", (True,) * 3)) == [2, 1, 0]


def test_a_hotspot_takes_one_line_or_several_as_its_key_has():
    deal = Deal.of([0, 1, 2], ["a", "b", "c"])
    one, two = a_card("hotspot", (False, True, False)), a_card("hotspot", (True, True, False))
    assert not picks_many(one) and picks_many(two)
    assert parse_pick(deal, ["b"], one) == [1]
    assert parse_pick(deal, ["c", "a"], two) == [0, 2]
    with pytest.raises(PickError, match="exactly one line"):
        parse_pick(deal, ["a", "b"], one)


@pytest.mark.parametrize(("keys", "qtype", "message"), [
    ([], "single", "Pick at least one choice."),
    ("a", "single", "Pick at least one choice."),
    ([1], "single", "Pick at least one choice."),
    (["a", "a"], "multiple", "A choice is listed twice."),
    (["zz"], "single", "Unknown choice for this question."),
    (["a", "b"], "single", "This question takes exactly one choice."),
    (["a", "b"], "true_false", "This question takes exactly one choice."),
    ([], "ordering", "Put the steps in order."),
    (["a", "b"], "ordering", "Place all 3 steps, each once."),
    (["a", "b", "b"], "ordering", "A choice is listed twice."),
    (["a", "b", "zz"], "ordering", "Unknown choice for this question."),
])
def test_it_refuses_a_pick_that_cannot_be_an_answer(keys, qtype, message):
    with pytest.raises(PickError, match=message):
        parse_pick(Deal.of([2, 0, 1], ["a", "b", "c"]), keys, a_card(qtype))


def test_ordering_steps_are_never_dealt_in_the_right_order():
    card = a_card("ordering", (True,) * 3)
    assert all(deal_for(card).order != (0, 1, 2) for _ in range(200))
