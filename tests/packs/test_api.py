from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.bank.models import Question
from apps.packs.models import ImportDraft
from tests.packs.test_importing import NEW_GIFT

pytestmark = pytest.mark.django_db


def _post_file(client, text: str, fmt: str = "gift"):
    return client.post("/api/v1/packs/imports/", {
        "format": fmt, "file": SimpleUploadedFile("up.gift", text.encode())})


@pytest.mark.parametrize("role", ["anonymous", "learner"])
def test_it_answers_404_to_non_instructors(client, world, small_bank, role):
    if world[role]:
        client.force_login(world[role])
    draft = ImportDraft.objects.create(owner=world["instructor"], format="gift",
                                       filename="x", text=NEW_GIFT)
    assert _post_file(client, NEW_GIFT).status_code == 404
    assert client.get(f"/api/v1/packs/imports/{draft.public_id}/").status_code == 404
    assert client.post(f"/api/v1/packs/imports/{draft.public_id}/apply/").status_code == 404
    assert client.get("/api/v1/packs/export/?kind=gift").status_code == 404
    assert not ImportDraft.objects.exclude(pk=draft.pk).exists()


def test_it_previews_and_applies(client, world, small_bank):
    client.force_login(world["instructor"])
    response = _post_file(client, NEW_GIFT)
    assert response.status_code == 201
    body = response.json()
    assert body["ok"] is True and body["errors"] == []
    assert body["rows"][0]["id"] == "serialization-imported-one"
    assert body["rows"][0]["action"] == "create"
    assert client.get(f"/api/v1/packs/imports/{body['id']}/").json()["rows"] == body["rows"]
    applied = client.post(f"/api/v1/packs/imports/{body['id']}/apply/")
    assert applied.status_code == 200 and applied.json()["applied"] is True
    assert Question.objects.filter(slug="serialization-imported-one", status="draft").exists()
    again = client.post(f"/api/v1/packs/imports/{body['id']}/apply/")
    assert again.status_code == 400 and "already applied" in again.json()["detail"]


def test_it_refuses_invalid_files_with_line_errors(client, world, small_bank):
    client.force_login(world["instructor"])
    response = _post_file(client, NEW_GIFT.replace("top/serialization", "top/nope"))
    assert response.status_code == 400
    assert not ImportDraft.objects.exists()  # a file with errors is not kept
    assert response.json()["errors"] == [
        "3: id 'serialization-imported-one' must start with its main topic 'nope-'",
        "3: question 'serialization-imported-one': unknown topic 'nope'"]


def test_it_refuses_bad_uploads(client, world, small_bank, settings):
    client.force_login(world["instructor"])
    assert client.post("/api/v1/packs/imports/", {"format": "gift"}).status_code == 400
    assert _post_file(client, NEW_GIFT, fmt="docx").status_code == 400
    settings.PACK_IMPORT_MAX_BYTES = 1024
    response = _post_file(client, NEW_GIFT * 20)
    assert response.status_code == 400 and "larger than" in response.json()["detail"]
    assert not ImportDraft.objects.exists()


def test_it_exports(client, world, small_bank, site_key):
    client.force_login(world["instructor"])
    assert "<quiz>" in client.get("/api/v1/packs/export/?kind=moodle_xml").content.decode()
    gift = client.get("/api/v1/packs/export/?kind=gift&topic=hub-risks").content.decode()
    assert "hub-risks-fixture-defences" in gift and "serialization-fixture" not in gift
    assert client.get("/api/v1/packs/export/?kind=pack")["Content-Type"] == "application/zip"
    assert client.get("/api/v1/packs/export/?kind=exe").status_code == 400
