from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from apps.bank.bankfile import read_bank

pytestmark = pytest.mark.django_db


def test_it_round_trips_the_shipped_bank(tmp_path):
    call_command("loadbank", str(settings.BANK_DIR), stdout=io.StringIO())
    call_command("exportbank", str(tmp_path), stdout=io.StringIO())
    original = read_bank(settings.BANK_DIR)
    exported = read_bank(tmp_path)
    assert [q.content() for q in exported.questions] == [q.content() for q in original.questions]
    assert exported.resources == original.resources
    assert exported.topics == original.topics


def test_it_exports_a_status_other_than_published(tmp_path):
    from apps.bank.models import Question
    from tests.factories import load_small_bank

    load_small_bank()
    Question.objects.filter(slug="serialization-fixture-reduce").update(status="retired")
    call_command("exportbank", str(tmp_path), stdout=io.StringIO())
    exported = {q.id: q for q in read_bank(tmp_path).questions}
    assert exported["serialization-fixture-reduce"].status == "retired"
    assert exported["hub-risks-fixture-defences"].status == "published"


def test_it_round_trips_a_superseded_resource_and_formatbank_keeps_it(tmp_path):
    from apps.bank.models import Resource
    from tests.bank.test_bankfile import VALID, _mark_superseded
    from tests.factories import write_bank

    source = write_bank(tmp_path / "source", VALID)
    _mark_superseded(source, "  superseded: moved to the docs site")
    call_command("formatbank", str(source), stdout=io.StringIO())
    assert "  superseded: moved to the docs site\n" in (source / "resources.yaml").read_text()
    call_command("loadbank", str(source), stdout=io.StringIO())
    assert Resource.objects.get(slug="safetensors").superseded == "moved to the docs site"
    call_command("exportbank", str(tmp_path / "out"), stdout=io.StringIO())
    exported = {r.slug: r for r in read_bank(tmp_path / "out").resources}
    assert exported["safetensors"].superseded == "moved to the docs site"
    assert "superseded" not in (tmp_path / "out" / "resources.yaml").read_text().split(
        "- slug: safetensors")[0]  # a current resource writes no empty key


def test_atlas_and_checked_are_written_in_their_place(tmp_path):
    from apps.bank.bankfile import read_bank
    from apps.bank.export import canonical_question_file
    from tests.factories import FIXTURE_BANK

    question = read_bank(FIXTURE_BANK).questions[0]
    content = {**question.content(), "status": "draft", "checked_against": "v1 README",
               "checked": "2026-12", "atlas": ["AML.T0010.003"]}
    text = canonical_question_file([content])
    keys = [line.split(":")[0].lstrip("- ") for line in text.splitlines()
            if line.startswith(("- ", "  ")) and not line.startswith("   ")
            and ":" in line and not line.lstrip("- ").startswith(("slug", "locator", "text"))]
    assert keys[-5:] == ["explanation", "atlas", "checked", "checked_against", "status"]
