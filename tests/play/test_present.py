"""The presenter: the one home of the key-leak rule."""

from __future__ import annotations

import json

import pytest

from apps.bank.models import QuestionVersion
from apps.play.cards import card
from apps.play.deal import deal_choices
from apps.play.present import is_correct, question_closed, question_open

pytestmark = pytest.mark.django_db


def test_an_open_question_carries_no_key_no_misconception_and_no_explanation(small_bank):
    for version in QuestionVersion.objects.all():
        c = card(version.pk)
        shown = question_open(c, deal_choices(len(c.choices)))
        text = json.dumps(shown)
        assert all(set(choice) == {"key", "text"} for choice in shown["choices"])
        assert "correct" not in text and "explanation" not in shown
        for choice in c.choices:
            assert not choice.misconception or choice.misconception not in text
        if c.explanation:
            assert c.explanation.strip() not in text


def test_a_closed_question_shows_the_key_and_only_the_picked_wrong_choices_misconception(
        small_bank):
    version = QuestionVersion.objects.filter(type="single").first()
    c = card(version.pk)
    deal = deal_choices(len(c.choices))
    wrong = [ch for ch in c.choices if not ch.is_correct]
    shown = question_closed(c, deal, [wrong[0].position])
    by_text = {ch["text"]: ch for ch in shown["choices"]}
    assert by_text[wrong[0].text]["misconception"] == wrong[0].misconception
    assert all(by_text[ch.text]["misconception"] == "" for ch in wrong[1:])
    assert [by_text[ch.text]["correct"] for ch in c.choices] == [ch.is_correct for ch in c.choices]
    assert shown["correct"] == [k for k, p in zip(deal.keys, deal.order, strict=True)
                                if c.choices[p].is_correct]
    assert shown["explanation"] == c.explanation


def test_only_all_and_only_the_correct_choices_are_correct(small_bank):
    version = QuestionVersion.objects.filter(type="multiple").first()
    c = card(version.pk)
    assert is_correct(c, list(reversed(c.correct_positions)))
    assert not is_correct(c, c.correct_positions[:-1])
    assert not is_correct(c, sorted({*c.correct_positions, *[ch.position for ch in c.choices]}))


def _hands_on(qid):
    from apps.bank.models import Question
    return card(Question.objects.get(slug=qid).current_version_id)


def test_a_hotspot_is_shown_as_its_artifacts_lines_in_order_without_its_key(hands_on_bank):
    from apps.play.deal import deal_for
    c = _hands_on("serialization-fixture-find-the-call")
    deal = deal_for(c)
    shown = question_open(c, deal)
    assert [ch["text"] for ch in shown["choices"]] == c.artifact_content.rstrip("\n").split("\n")
    assert shown["picks"] == "one" and shown["type"] == "hotspot"
    text = json.dumps(shown)
    assert "correct" not in text and "STACK_GLOBAL only looks" not in text
    assert question_open(_hands_on("serialization-fixture-find-the-imports"),
                         deal_for(_hands_on("serialization-fixture-find-the-imports"))
                         )["picks"] == "many"


def test_an_ordering_question_is_shown_shuffled_and_closed_with_both_orders(hands_on_bank):
    from apps.play.deal import Deal
    c = _hands_on("hub-risks-fixture-verify-order")
    deal = Deal.of([3, 1, 0, 2], ["d", "b", "a", "c"])
    shown = question_open(c, deal)
    assert shown["picks"] == "order"
    assert [ch["key"] for ch in shown["choices"]] == ["d", "b", "a", "c"]
    assert "order" not in shown and "place" not in json.dumps(shown)
    closed = question_closed(c, deal, [1, 0, 2, 3])
    assert [s["key"] for s in closed["order"]] == ["a", "b", "c", "d"]
    assert [(s["key"], s["in_place"]) for s in closed["your_order"]] == [
        ("b", False), ("a", False), ("c", True), ("d", True)]


@pytest.mark.parametrize(("picked", "share"), [
    ([0, 1, 2, 3], 1.0), ([1, 0, 2, 3], 0.75), ([3, 2, 1, 0], 0.0), ([0, 3, 1, 2], 0.75),
    ([3, 0, 1, 2], 0.75), ([2, 3, 0, 1], 0.5),
])
def test_ordering_credit_is_the_longest_run_in_the_right_relative_order(
        hands_on_bank, picked, share):
    from apps.play.present import credit
    c = _hands_on("hub-risks-fixture-verify-order")
    assert is_correct(c, picked) is (share == 1.0)
    assert credit(c, picked) == share


def test_other_types_earn_all_or_nothing(small_bank):
    from apps.play.present import credit
    c = card(QuestionVersion.objects.filter(type="multiple").first().pk)
    assert credit(c, c.correct_positions) == 1.0
    assert credit(c, c.correct_positions[:-1]) == 0.0
