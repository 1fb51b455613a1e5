"""Editing the hands-on types (issue 19) through the editor and the API: the same validator as
the bank, the same content, no new version for an unchanged save, errors by field, the preview
with the key lines marked for the author."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.bank.models import Question
from apps.curation.forms import QuestionForm

pytestmark = pytest.mark.django_db

HOTSPOT = {
    "id": "serialization-edited-find-the-call", "type": "hotspot", "style": "scenario",
    "difficulty": 2, "topics": ["serialization"],
    "resources": [{"slug": "hf-model-security", "locator": "Pickle Scanning page"}],
    "stem": "Which line calls a function?\n",
    "artifact": {"kind": "pickle-disassembly",
                 "content": "0: c GLOBAL 'os system'\n9: ( MARK\n10: R REDUCE\n11: . STOP\n"},
    "key_lines": [3],
    "line_notes": [{"line": 1, "misconception": "GLOBAL only imports the name."}],
    "explanation": "REDUCE calls it.\n",
}
ORDERING = {
    "id": "hub-risks-edited-admit-order", "type": "ordering", "style": "scenario",
    "difficulty": 1, "topics": ["hub-risks"],
    "resources": [{"slug": "slsa", "locator": "Verifying artifacts"}],
    "stem": "Put the admission of a model in order.\n",
    "steps": ["Download the files and the bundle", "Verify the signature",
              "Admit the model"],
    "explanation": "Verify before admitting.\n",
}


def form_data(item: dict) -> dict:
    initial = QuestionForm.initial_from(item)
    data = {k: v for k, v in initial.items() if v not in (None, False, "")}
    data["difficulty"] = str(item["difficulty"])
    return data


@pytest.mark.parametrize("item", [HOTSPOT, ORDERING], ids=["hotspot", "ordering"])
def test_the_editor_creates_each_type_and_an_unchanged_save_makes_no_version(
        client, hands_on_bank, world, item):
    client.force_login(world["instructor"])
    response = client.post("/curation/new/", form_data(item))
    assert response.status_code == 302, response.content.decode()[-2000:]
    question = Question.objects.get(slug=item["id"])
    assert question.current_version.content == item
    page = client.get(f"/curation/q/{item['id']}/edit/").content.decode()
    assert 'data-types="hotspot"' in page and 'data-types="ordering"' in page
    data = {k: v for k, v in form_data(question.current_version.content).items() if k != "id"}
    data = {k: v.replace("\n", "\r\n") if isinstance(v, str) else v for k, v in data.items()}
    assert client.post(f"/curation/q/{item['id']}/edit/", data).status_code == 302
    assert question.versions.count() == 1


@pytest.mark.parametrize(("field", "value", "message"), [
    ("key_lines", "9", "line 9 is not in the artifact"),
    ("key_lines", "two", "key_lines must list the artifact"),
    ("line_notes", "3: also the key", "line 3 is a key line"),
    ("line_notes", "x: nope", "not a line of the artifact"),
])
def test_the_editor_names_a_hotspots_mistakes_and_keeps_the_input(
        client, hands_on_bank, world, field, value, message):
    client.force_login(world["instructor"])
    data = form_data(HOTSPOT)
    data[field] = value
    response = client.post("/curation/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message.lower() in html.lower() and value in html
    assert not Question.objects.filter(slug=HOTSPOT["id"]).exists()


def test_the_editor_refuses_too_few_or_repeated_steps(client, hands_on_bank, world):
    client.force_login(world["instructor"])
    data = form_data(ORDERING)
    data["steps"] = "Verify\nVerify\nAdmit"
    assert "two steps have the same text" in client.post("/curation/new/", data).content.decode().lower()
    data["steps"] = "Verify\nAdmit"
    assert "needs 3 to 7 steps" in client.post("/curation/new/", data).content.decode().lower()
    assert not Question.objects.filter(slug=ORDERING["id"]).exists()


def test_the_preview_numbers_the_lines_marks_the_key_and_lists_the_steps(
        client, hands_on_bank, world):
    client.force_login(world["instructor"])
    html = client.post("/curation/preview/", form_data(HOTSPOT)).content.decode()
    assert html.count('class="line-toggle"') == 4
    assert 'data-line="3" aria-pressed="true"' in html
    assert 'data-line="1" aria-pressed="false"' in html
    html = client.post("/curation/preview/", form_data(ORDERING)).content.decode()
    assert html.count('class="editor-move"') == 6
    assert html.index("Download the files") < html.index("Admit the model")


def test_the_api_takes_each_type_in_the_banks_shape(hands_on_bank, world):
    client = APIClient()
    client.force_authenticate(world["instructor"])
    for item in (HOTSPOT, ORDERING):
        response = client.post("/api/v1/curation/questions/", item, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["content"] == item
    bad = {**HOTSPOT, "id": "serialization-edited-bad", "key_lines": [], "choices": [
        {"text": "a", "correct": True}, {"text": "b", "misconception": "m"}]}
    response = client.post("/api/v1/curation/questions/", bad, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"key_lines", "choices"}
