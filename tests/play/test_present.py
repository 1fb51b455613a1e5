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
