"""Question cards: read once per process, with what every mode shows of a version."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.bank.models import QuestionVersion, Resource
from apps.play import cards as cards_module
from apps.play.cards import card, cards

pytestmark = pytest.mark.django_db


def test_it_reads_a_version_once_and_then_serves_it_from_memory(small_bank):
    version = QuestionVersion.objects.filter(artifact_kind="").first()
    with CaptureQueriesContext(connection) as first:
        loaded = card(version.pk)
    assert len(first) == 4  # the version, its choices, topics and citations
    with CaptureQueriesContext(connection) as again:
        assert card(version.pk) is loaded
    assert len(again) == 0
    assert loaded.question_id == version.question_id and loaded.stem == version.stem
    assert [c.text for c in loaded.choices] == list(
        version.choices.order_by("position").values_list("text", flat=True))
    assert loaded.correct_positions == list(
        version.choices.filter(is_correct=True).order_by("position")
        .values_list("position", flat=True))
    assert loaded.resources and loaded.resources[0][1].startswith("https://")


def test_it_loads_many_cards_in_one_batch(small_bank):
    ids = list(QuestionVersion.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as captured:
        assert set(cards(ids)) == set(ids)
    assert len(captured) == 4


def test_what_a_version_does_not_own_is_read_again_after_the_ttl(small_bank, monkeypatch):
    version = QuestionVersion.objects.first()
    title = card(version.pk).resources[0][0]
    Resource.objects.filter(title=title).update(title="Renamed")
    assert card(version.pk).resources[0][0] == title  # kept ...
    monkeypatch.setattr(cards_module, "CARD_TTL", 0.0)
    assert card(version.pk).resources[0][0] == "Renamed"  # ... until it is old


def test_an_unknown_version_is_a_key_error(small_bank):
    with pytest.raises(KeyError):
        card(10**9)
