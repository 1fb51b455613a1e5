"""Every path that changes a question goes through the one write service (audit item 2).

Each entry point flips the key of a published question. Each must make a new version, record
one audit event naming its origin, and send the question back to review, so that learners never
see an unreviewed key. The repository (loadbank) is reviewed like code and updates its own
questions in place; overwriting a change made in the site (`--force`) is a site change.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from apps.audit.models import AuditEvent
from apps.bank.export import canonical_question_file
from apps.bank.models import Question
from apps.bank.selectors import published_versions
from apps.curation.services import question_transition, question_update
from apps.packs import signing
from apps.packs.formats import gift, moodlexml
from apps.packs.models import ImportDraft
from apps.packs.selectors import export_contents
from tests.curation.test_views import _form
from tests.factories import FIXTURE_BANK, InstructorFactory
from tests.packs.conftest import new_key

pytestmark = pytest.mark.django_db
SLUG = "serialization-fixture-reduce"
APPS = Path(__file__).resolve().parents[2] / "apps"


def _flipped() -> dict:
    """The question's content with the key moved to a wrong choice."""
    [content] = copy.deepcopy([c for c in export_contents() if c["id"] == SLUG])
    right = next(i for i, c in enumerate(content["choices"]) if c.get("correct"))
    wrong = next(i for i, c in enumerate(content["choices"]) if not c.get("correct"))
    old, new = content["choices"][right], content["choices"][wrong]
    old.pop("correct"), new.pop("misconception", None)
    old["misconception"] = "Flipped by an import."
    new["correct"] = True
    content.pop("status", None)
    return content


def _upload_and_apply(client, data: bytes, fmt: str, name: str):
    response = client.post("/packs/import/", {
        "file": SimpleUploadedFile(name, data), "format": fmt})
    assert response.status_code in (200, 302), response.content[:500]
    draft = ImportDraft.objects.latest("created_at")
    response = client.post(f"/packs/import/{draft.public_id}/apply/")
    assert response.status_code in (200, 302), response.content[:500]


def _editor(client, content, world):
    response = client.post(f"/curation/q/{SLUG}/edit/", _form(content, creating=False))
    assert response.status_code in (200, 302)


def _api(client, content, world):
    api = APIClient()
    api.force_authenticate(world["instructor"])
    assert api.put(f"/api/v1/curation/questions/{SLUG}/", content,
                   format="json").status_code == 200


def _yaml(client, content, world):
    _upload_and_apply(client, canonical_question_file([content]).encode(), "yaml", "q.yaml")


def _gift(client, content, world):
    _upload_and_apply(client, gift.export_questions([content]).encode(), "gift", "q.gift")


def _moodle_xml(client, content, world):
    _upload_and_apply(client, moodlexml.export_questions([content]).encode(), "moodle_xml",
                      "q.xml")


def _signed_pack(client, content, world, settings=None):
    data = signing.pack_build(files={"questions.yaml": canonical_question_file([content])},
                              key=signing.private_key(_signed_pack.key), created="2026-12-05")
    _upload_and_apply(client, data, "pack", "pack.zip")


PATHS = {"editor": _editor, "api": _api, "import": _yaml, "gift": _gift,
         "moodle_xml": _moodle_xml, "pack": _signed_pack}
ORIGIN = {"editor": "editor", "api": "api", "import": "import", "gift": "import",
          "moodle_xml": "import", "pack": "pack"}


@pytest.mark.parametrize("path", PATHS)
def test_every_site_path_sends_a_changed_key_to_review(path, client, world, small_bank,
                                                      settings):
    private, public = new_key()
    settings.PACK_TRUSTED_KEYS = [public]
    _signed_pack.key = private
    question = Question.objects.get(slug=SLUG)
    assert question.status == Question.Status.PUBLISHED
    before = question.current_version
    client.force_login(world["instructor"])
    PATHS[path](client, _flipped(), world)
    question.refresh_from_db()
    version = question.current_version
    assert version.number == before.number + 1
    assert [c.is_correct for c in version.choices.all()] != [
        c.is_correct for c in before.choices.all()]
    assert question.status == Question.Status.REVIEW
    review = question.reviews.get(decision="pending")
    assert (review.version, review.submitted_by) == (version, world["instructor"])
    [event] = AuditEvent.objects.filter(question=question).exclude(action="load")
    assert (event.action, event.version_number, event.actor) == ("edit", version.number,
                                                                 world["instructor"])
    assert event.data["origin"] == ORIGIN[path]
    # Learners keep playing nothing of it until another instructor approves.
    assert not published_versions().filter(question=question).exists()
    question_transition(user=InstructorFactory(username="second"), question=question,
                        action="approve")
    assert published_versions().filter(pk=version.pk).exists()


@pytest.mark.parametrize("path", ["editor", "api", "import", "pack"])
def test_a_retired_question_is_refused_on_every_site_path(path, client, world, small_bank,
                                                         settings):
    private, public = new_key()
    settings.PACK_TRUSTED_KEYS = [public]
    _signed_pack.key = private
    question = Question.objects.get(slug=SLUG)
    question_transition(user=world["instructor"], question=question, action="retire")
    client.force_login(world["instructor"])
    try:
        PATHS[path](client, _flipped(), world)
    except AssertionError:
        pass  # the entry point answered with its refusal status
    question.refresh_from_db()
    assert question.status == Question.Status.RETIRED
    assert question.versions.count() == 1


def _bank_copy(tmp_path, flip: bool) -> Path:
    root = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, root)
    if flip:
        path = root / "questions.yaml"
        items = yaml.safe_load(path.read_text())
        [item] = [i for i in items if i["id"] == SLUG]
        flipped = _flipped()
        item["choices"] = flipped["choices"]
        path.write_text(yaml.safe_dump(items, sort_keys=False, allow_unicode=True))
    return root


def test_loadbank_updates_its_own_question_in_place_and_audits_it(world, small_bank, tmp_path):
    call_command("loadbank", str(_bank_copy(tmp_path, flip=True)), stdout=None)
    question = Question.objects.get(slug=SLUG)
    assert question.status == Question.Status.PUBLISHED
    assert question.versions.count() == 2
    event = AuditEvent.objects.filter(question=question).first()
    assert (event.action, event.version_number, event.data["origin"]) == ("load", 2, "repository")


def test_loadbank_force_over_a_site_change_goes_back_to_review(world, small_bank, tmp_path):
    question = Question.objects.get(slug=SLUG)
    content = dict(question.current_version.content)
    content["stem"] = "Edited in the site?\n"
    question_update(user=world["instructor"], question=question, item=content)
    question_transition(user=InstructorFactory(username="second"), question=question,
                        action="approve")
    call_command("loadbank", str(_bank_copy(tmp_path, flip=True)), force=True, stdout=None)
    question.refresh_from_db()
    assert question.status == Question.Status.REVIEW
    assert question.reviews.get(decision="pending").version == question.current_version
    event = AuditEvent.objects.filter(question=question).first()
    assert event.action == "load" and "loadbank --force" in event.detail


def test_only_the_write_service_makes_versions():
    """A new entry point cannot skip the rule: version_create has exactly one caller."""
    callers = sorted(str(path.relative_to(APPS)) for path in APPS.rglob("*.py")
                     if "version_create(" in path.read_text())
    assert callers == ["bank/services.py", "curation/services.py"]  # the definition, the caller
    source = (APPS / "curation" / "services.py").read_text()
    body = source[source.index("def question_write("):source.index("def question_create(")]
    assert source.count("version_create(") == body.count("version_create(") == 2


def test_loadbank_force_reports_a_retired_question_it_may_not_change(world, small_bank,
                                                                    tmp_path):
    import io

    question = Question.objects.get(slug=SLUG)
    content = dict(question.current_version.content)
    content["stem"] = "Edited in the site?\n"
    question_update(user=world["instructor"], question=question, item=content)
    question_transition(user=world["instructor"], question=question, action="retire")
    err = io.StringIO()
    call_command("loadbank", str(_bank_copy(tmp_path, flip=True)), force=True,
                 stdout=io.StringIO(), stderr=err)
    assert f"refused: {SLUG} is retired" in err.getvalue()
    question.refresh_from_db()
    assert question.status == Question.Status.RETIRED and question.versions.count() == 2
