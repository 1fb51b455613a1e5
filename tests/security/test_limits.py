"""Every text of a question is bounded on every entry point (audit item 3: the editor accepted a
1,000,001-character stem). Each refusal names the field and the limit; nothing is written."""

from __future__ import annotations

import copy
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from apps.bank import limits
from apps.bank.models import Choice, Question, QuestionVersion
from apps.packs.formats import gift
from apps.packs.importing import preview_build
from tests.bank.test_bankfile import VALID
from tests.curation.conftest import ITEM
from tests.curation.test_views import _form
from tests.factories import write_bank

pytestmark = pytest.mark.django_db
HUGE = "x" * 1_000_001


def _item(**changes):
    item = copy.deepcopy(ITEM)
    item.update(changes)
    return item


@pytest.mark.parametrize("field, value, limit", [
    ("stem", "s" * (limits.STEM + 1), limits.STEM),
    ("stem", HUGE, limits.STEM),
    ("explanation", "e" * (limits.EXPLANATION + 1), limits.EXPLANATION),
])
def test_the_editor_refuses_an_overlong_text(client, small_bank, world, field, value, limit):
    client.force_login(world["instructor"])
    response = client.post("/curation/new/", _form(_item(**{field: value})))
    assert response.status_code == 400
    assert f"at most {limit} characters" in response.content.decode()
    assert not Question.objects.filter(slug=ITEM["id"]).exists()


def test_the_preview_does_not_render_an_overlong_stem(client, small_bank, world):
    client.force_login(world["instructor"])
    response = client.post("/curation/preview/", _form(_item(stem="[" * 50_000)))
    assert response.status_code == 200
    assert "[" * 1000 not in response.content.decode()


@pytest.mark.parametrize("change", [
    {"stem": "s" * (limits.STEM + 1)},
    {"choices": [{"text": "c" * (limits.CHOICE + 1), "correct": True},
                 {"text": "b", "misconception": "m"}]},
    {"choices": [{"text": "a", "correct": True},
                 {"text": "b", "misconception": "m" * (limits.MISCONCEPTION + 1)}]},
    {"resources": [{"slug": "badnets", "locator": "l" * (limits.LOCATOR + 1)}]},
])
def test_the_api_refuses_an_overlong_text(small_bank, world, change):
    api = APIClient()
    api.force_authenticate(world["instructor"])
    response = api.post("/api/v1/curation/questions/", _item(**change), format="json")
    assert response.status_code == 400
    assert "no more than" in str(response.json())
    assert not Question.objects.filter(slug=ITEM["id"]).exists()


def test_an_import_preview_names_the_line_and_the_limit(small_bank):
    text = gift.export_questions([_item(stem="s" * (limits.STEM + 1))])
    preview = preview_build(text=text, fmt="gift")
    assert not preview.ok
    assert any(f"the limit is {limits.STEM:,}" in e for e in preview.errors), preview.errors


def test_loadbank_names_the_file_line_and_the_limit(tmp_path):
    long = "s" * (limits.STEM + 1)
    write_bank(tmp_path, VALID.replace("stem: What does the header hold?", f"stem: {long}"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("loadbank", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert f"questions.yaml:9: question 'serialization-sample-question': the stem is " \
           f"{limits.STEM + 1:,} characters long; the limit is {limits.STEM:,}" in err.getvalue()
    assert not Question.objects.exists()


def test_the_database_refuses_what_every_door_missed(small_bank):
    version = QuestionVersion.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionVersion.objects.filter(pk=version.pk).update(stem="s" * (limits.STEM + 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Choice.objects.filter(version=version).update(text="c" * (limits.CHOICE + 1))
