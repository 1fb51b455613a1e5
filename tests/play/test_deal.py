"""The choice deal and the one pick parser of every play mode."""

from __future__ import annotations

import pytest

from apps.play.deal import Deal, PickError, deal_choices, parse_pick


def test_it_deals_every_position_once_under_distinct_opaque_keys():
    deal = deal_choices(5)
    assert sorted(deal.order) == [0, 1, 2, 3, 4]
    assert len(set(deal.keys)) == 5 and all(len(k) >= 11 for k in deal.keys)


def test_it_shuffles_the_order_between_deals():
    assert len({deal_choices(6).order for _ in range(50)}) > 1


def test_it_maps_picked_keys_to_the_authors_positions():
    deal = Deal.of([2, 0, 1], ["a", "b", "c"])
    assert parse_pick(deal, ["a"], question_type="single") == [2]
    assert parse_pick(deal, ["c", "a"], question_type="multiple") == [1, 2]


@pytest.mark.parametrize(("keys", "qtype", "message"), [
    ([], "single", "Pick at least one choice."),
    ("a", "single", "Pick at least one choice."),
    ([1], "single", "Pick at least one choice."),
    (["a", "a"], "multiple", "A choice is listed twice."),
    (["zz"], "single", "Unknown choice for this question."),
    (["a", "b"], "single", "This question takes exactly one choice."),
    (["a", "b"], "true_false", "This question takes exactly one choice."),
])
def test_it_refuses_a_pick_that_cannot_be_an_answer(keys, qtype, message):
    with pytest.raises(PickError, match=message):
        parse_pick(Deal.of([2, 0, 1], ["a", "b", "c"]), keys, question_type=qtype)
