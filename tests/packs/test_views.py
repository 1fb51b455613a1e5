from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.bank.models import Question
from apps.packs.models import ImportDraft
from tests.packs.test_importing import NEW_GIFT

pytestmark = pytest.mark.django_db


def _upload(client, text: str, fmt: str = "gift", name: str = "up.gift", **kwargs):
    return client.post(reverse("packs:upload"), {
        "format": fmt, "file": SimpleUploadedFile(name, text.encode()),
    }, **kwargs)


@pytest.mark.parametrize("role", ["anonymous", "learner"])
def test_it_hides_every_page_from_non_instructors(client, world, small_bank, role):
    if world[role]:
        client.force_login(world[role])
    draft = ImportDraft.objects.create(owner=world["instructor"], format="gift",
                                       filename="x", text=NEW_GIFT)
    for url in (reverse("packs:index"), reverse("packs:preview", args=[draft.public_id]),
                reverse("packs:export", args=["gift"]), reverse("packs:export", args=["pack"])):
        assert client.get(url).status_code == 404, url
    assert _upload(client, NEW_GIFT).status_code == 404
    assert client.post(reverse("packs:apply", args=[draft.public_id])).status_code == 404
    assert not Question.objects.filter(slug="serialization-imported-one").exists()


def test_it_hides_one_instructors_upload_from_another(client, world, small_bank):
    draft = ImportDraft.objects.create(owner=world["instructor"], format="gift",
                                       filename="x", text=NEW_GIFT)
    client.force_login(world["staff"])  # staff is not in the instructors group
    assert client.get(reverse("packs:preview", args=[draft.public_id])).status_code == 404


def test_it_uploads_previews_and_applies(client, world, small_bank):
    client.force_login(world["instructor"])
    response = _upload(client, NEW_GIFT)
    draft = ImportDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("packs:preview", args=[draft.public_id])
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "serialization-imported-one" in html and "create (as draft)" in html
    assert "style, difficulty, resources" in html  # defaulted fields are listed
    response = client.post(reverse("packs:apply", args=[draft.public_id]), follow=True)
    assert "1 created (as drafts)" in response.content.decode()
    assert Question.objects.get(slug="serialization-imported-one").status == "draft"


def test_it_shows_line_errors_and_no_apply_button(client, world, small_bank):
    client.force_login(world["instructor"])
    response = _upload(client, NEW_GIFT.replace("top/serialization", "top/nope"), follow=True)
    assert response.status_code == 400
    html = response.content.decode()
    assert "3: question &#x27;serialization-imported-one&#x27;: unknown topic &#x27;nope&#x27;" \
        in html
    assert "all or nothing" not in html
    assert not ImportDraft.objects.exists()  # a file with errors is not kept
    assert not Question.objects.filter(slug="serialization-imported-one").exists()


def test_it_escapes_html_from_the_file_in_the_preview(client, world, small_bank):
    client.force_login(world["instructor"])
    text = NEW_GIFT.replace("::serialization-imported-one::", "::<b>x</b>::")
    html = _upload(client, text, follow=True).content.decode()
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_it_refuses_an_oversized_upload_with_a_message(client, world, small_bank, settings):
    settings.PACK_IMPORT_MAX_BYTES = 1024
    client.force_login(world["instructor"])
    response = _upload(client, NEW_GIFT * 20)
    assert response.status_code == 400
    assert "larger than 1024 bytes" in response.content.decode()
    assert not ImportDraft.objects.exists()


def test_it_refuses_an_upload_without_a_file(client, world, small_bank):
    client.force_login(world["instructor"])
    response = client.post(reverse("packs:upload"), {"format": "gift"})
    assert response.status_code == 400 and not ImportDraft.objects.exists()


@pytest.mark.parametrize(("fmt", "marker"), [("gift", "::serialization-fixture-reduce::"),
                                             ("moodle_xml", "<quiz>"),
                                             ("yaml", "- id: serialization-fixture-reduce")])
def test_it_exports_each_format_and_records_it(client, world, small_bank, fmt, marker):
    client.force_login(world["instructor"])
    response = client.get(reverse("packs:export", args=[fmt]))
    assert response.status_code == 200
    assert marker in response.content.decode()
    assert AuditEvent.objects.filter(action=f"export.{fmt}", actor=world["instructor"]).exists()


def test_it_exports_a_signed_pack(client, world, small_bank, site_key):
    client.force_login(world["instructor"])
    response = client.get(reverse("packs:export", args=["pack"]))
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert {"manifest.json", "manifest.sig", "bank/questions.yaml"} <= set(names)


def test_it_explains_when_no_signing_key_is_set(client, world, small_bank, settings):
    settings.PACK_SIGNING_KEY = ""
    client.force_login(world["instructor"])
    response = client.get(reverse("packs:export", args=["pack"]), follow=True)
    assert "No signing key is configured" in response.content.decode()


def test_it_404s_an_unknown_export_format(client, world, small_bank):
    client.force_login(world["instructor"])
    assert client.get(reverse("packs:export", args=["csv"])).status_code == 404


def test_a_gift_file_uploaded_with_detection_is_read_as_gift(client, world, small_bank):
    """The review found a .gift file parsed as YAML ("invalid YAML"): detection is the default."""
    client.force_login(world["instructor"])
    page = client.get(reverse("packs:index")).content.decode()
    assert 'value="auto" selected' in page
    response = _upload(client, NEW_GIFT, fmt="auto", name="week3.gift")
    assert response.status_code == 302
    assert ImportDraft.objects.get().format == "gift"
