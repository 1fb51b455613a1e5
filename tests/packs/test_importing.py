"""The import flow's services: upload, preview, all-or-nothing apply, hostile input."""

from __future__ import annotations

import pytest

from apps.audit.models import AuditEvent
from apps.bank.models import Question
from apps.packs import services
from apps.packs.formats import gift, moodlexml
from apps.packs.importing import ImportRefused, preview_build
from apps.packs.models import ImportDraft
from apps.packs.selectors import export_contents

pytestmark = pytest.mark.django_db

NEW_GIFT = """$CATEGORY: $course$/top/serialization

::serialization-imported-one::Which opcode calls a function? {
=REDUCE
~GLOBAL#Thinks looking a name up calls it.
####REDUCE pops a callable and its arguments and calls it.
}
"""


def _draft(world, text: str, fmt: str = "gift"):
    return services.import_draft_create(user=world["instructor"], filename=f"up.{fmt}",
                                        data=text.encode(), fmt=fmt)


def test_it_previews_new_questions_with_defaults_for_what_gift_cannot_carry(world, small_bank):
    preview = preview_build(text=NEW_GIFT, fmt="gift")
    assert preview.errors == []
    [row] = preview.rows
    assert (row.line, row.id, row.action) == (3, "serialization-imported-one", "create")
    assert row.defaulted == ["style", "difficulty", "resources"]
    assert "difficulty" in row.not_carried
    assert not Question.objects.filter(slug="serialization-imported-one").exists()


def test_it_applies_new_questions_as_drafts_and_records_who(world, small_bank):
    draft = _draft(world, NEW_GIFT)
    services.import_apply(user=world["instructor"], draft=draft)
    question = Question.objects.get(slug="serialization-imported-one")
    assert question.status == Question.Status.DRAFT
    version = question.current_version
    assert version.created_by == world["instructor"]
    assert [(c.text, c.is_correct) for c in version.choices.all()] == [
        ("REDUCE", True), ("GLOBAL", False)]
    assert version.explanation == "REDUCE pops a callable and its arguments and calls it.\n"
    actions = list(AuditEvent.objects.exclude(action="load").values_list("action", "actor__username"))
    assert ("import.apply", "instructor") in actions and ("import.upload", "instructor") in actions


def test_it_applies_once_even_if_asked_twice(world, small_bank):
    draft = _draft(world, NEW_GIFT)
    services.import_apply(user=world["instructor"], draft=draft)
    with pytest.raises(services.ImportFailed, match="already applied"):
        services.import_apply(user=world["instructor"], draft=draft)
    assert Question.objects.get(slug="serialization-imported-one").versions.count() == 1


def test_it_keeps_fields_gift_cannot_carry_from_the_current_version(world, small_bank):
    contents = [c for c in export_contents() if c["id"] == "hub-risks-fixture-defences"]
    text = gift.export_questions(contents).replace("Which", "Which ONE")
    question = Question.objects.get(slug="hub-risks-fixture-defences")
    before = question.current_version
    preview = preview_build(text=text, fmt="gift")
    assert preview.errors == [] and preview.rows[0].action in ("update", "unchanged")
    assert preview.rows[0].kept == ["style", "difficulty", "resources"]
    services.import_apply(user=world["instructor"], draft=_draft(world, text))
    question.refresh_from_db()
    after = question.current_version.content
    for key in ("style", "difficulty", "resources", "topics"):
        assert after[key] == before.content[key]


def test_it_says_unchanged_for_a_round_trip_through_moodle_xml(world, small_bank):
    preview = preview_build(text=moodlexml.export_questions(export_contents()), fmt="moodle_xml")
    assert preview.errors == []
    assert {r.action for r in preview.rows} == {"unchanged"}


def test_it_changes_a_published_question_only_by_a_new_version(world, small_bank):
    contents = [c for c in export_contents() if c["id"] == "serialization-fixture-reduce"]
    contents[0]["explanation"] = "A better explanation.\n"
    question = Question.objects.get(slug="serialization-fixture-reduce")
    old_version = question.current_version
    result = services.import_apply(user=world["instructor"],
                                   draft=_draft(world, moodlexml.export_questions(contents),
                                                "moodle_xml"))
    assert [r.action for r in result.rows] == ["update"]
    question.refresh_from_db()
    # The same rule as the editor: a changed published question waits for another reviewer.
    assert question.status == Question.Status.REVIEW
    assert question.current_version.number == old_version.number + 1
    review = question.reviews.get()
    assert (review.version, review.submitted_by) == (question.current_version, world["instructor"])
    event = AuditEvent.objects.exclude(action="load").get(action="edit", question=question)
    assert event.data["origin"] == "import" and event.data["format"] == "moodle_xml"
    old_version.refresh_from_db()
    assert old_version.explanation != "A better explanation.\n"  # history kept


def test_it_imports_nothing_when_one_question_is_invalid(world, small_bank):
    bad = NEW_GIFT + "\n::serialization-imported-two::Pick {\n=A\n~B\n}\n"  # B has no misconception
    with pytest.raises(ImportRefused) as caught:
        _draft(world, bad)
    assert caught.value.errors == ["9: question 'serialization-imported-two': wrong choice 'B' "
                                   "needs a misconception"]
    assert not Question.objects.filter(slug__startswith="serialization-imported").exists()
    assert not ImportDraft.objects.exists()


def test_it_gives_line_errors_for_unknown_topics_and_bad_ids(world, small_bank):
    text = NEW_GIFT.replace("top/serialization", "top/nonsense").replace(
        "serialization-imported-one", "Bad Id")
    preview = preview_build(text=text, fmt="gift")
    assert not preview.ok
    assert all(e.startswith("3: ") for e in preview.errors)
    assert any("unknown topic 'nonsense'" in e for e in preview.errors)
    assert any("id must be lowercase" in e for e in preview.errors)


def test_it_refuses_duplicate_ids_within_a_file(world, small_bank):
    preview = preview_build(text=NEW_GIFT + "\n" + NEW_GIFT.split("\n", 2)[2], fmt="gift")
    assert any("duplicate id 'serialization-imported-one'" in e for e in preview.errors)


def test_it_keeps_html_as_text(world, small_bank):
    text = NEW_GIFT.replace("Which opcode", "<script>alert(1)</script> Which opcode")
    services.import_apply(user=world["instructor"], draft=_draft(world, text))
    stem = Question.objects.get(slug="serialization-imported-one").current_version.stem
    assert stem.startswith("<script>alert(1)</script>")  # stored verbatim; rendering sanitises


def test_it_refuses_an_oversized_file_before_storing_it(world, small_bank, settings):
    settings.PACK_IMPORT_MAX_BYTES = 1024
    with pytest.raises(ImportRefused, match="larger than 1024 bytes"):
        _draft(world, NEW_GIFT + "// padding\n" * 200)
    assert not AuditEvent.objects.exclude(action="load").exists()


def test_it_refuses_a_file_that_is_not_utf8(world, small_bank):
    with pytest.raises(ImportRefused, match="2: the file is not valid UTF-8"):
        services.import_draft_create(user=world["instructor"], filename="x.gift",
                                     data=b"// ok\n\xff\xfe latin junk\n", fmt="gift")


def test_it_refuses_binary_and_empty_files(world, small_bank):
    with pytest.raises(ImportRefused, match="NUL"):
        _draft(world, "::a::b {T}\x00")
    with pytest.raises(ImportRefused, match="empty"):
        _draft(world, "  \n")


def test_it_refuses_an_entity_bomb_without_expanding_it(world, small_bank):
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE q [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<quiz/>')
    with pytest.raises(ImportRefused) as caught:
        _draft(world, bomb, "moodle_xml")
    assert caught.value.errors == ["2: a DOCTYPE or entity declaration is not allowed (entities "
                                   "are never expanded)"]


def test_it_refuses_yaml_tags(world, small_bank):
    preview = preview_build(text="- !!python/object/apply:os.system ['id']\n", fmt="yaml")
    assert not preview.ok and "tag" in preview.errors[0]


def test_it_reports_a_file_without_questions(world, small_bank):
    assert preview_build(text="// only a comment\n", fmt="gift").errors == [
        "1: the file holds no questions"]


def _signed(private: str, questions: list[dict]) -> bytes:
    from apps.bank.export import canonical_question_file
    from apps.packs import signing

    return signing.pack_build(files={"topics.yaml": "[]\n",
                                     "moved.yaml": canonical_question_file(questions)},
                              key=signing.private_key(private), created="2026-01-01")


def _moved_question() -> dict:
    from apps.packs.formats import gift

    return {**gift.parse(NEW_GIFT).items[0].data, "style": "concept", "difficulty": 1,
            "resources": [{"slug": "hf-model-security", "locator": "Pickle Scanning"}]}


def test_it_imports_a_pack_that_verifies_under_a_trusted_key(world, small_bank, site_key):
    draft = services.import_draft_create(user=world["instructor"], filename="moved.zip",
                                         data=_signed(site_key[0], [_moved_question()]),
                                         fmt="pack")
    assert draft.format == "yaml" and "verified signed pack" in draft.filename
    services.import_apply(user=world["instructor"], draft=draft)
    version = Question.objects.get(slug="serialization-imported-one").current_version
    assert version.content["resources"] == [{"slug": "hf-model-security",
                                             "locator": "Pickle Scanning"}]


def test_it_refuses_a_pack_from_an_untrusted_key(world, small_bank, site_key):
    from tests.packs.conftest import new_key

    with pytest.raises(ImportRefused, match="does not verify under any trusted key"):
        services.import_draft_create(user=world["instructor"], filename="moved.zip",
                                     data=_signed(new_key()[0], [_moved_question()]),
                                     fmt="pack")
    with pytest.raises(ImportRefused, match="not a zip"):
        services.import_draft_create(user=world["instructor"], filename="x.zip",
                                     data=b"plain text", fmt="pack")
    assert not AuditEvent.objects.exclude(action="load").exists()


def test_it_purges_uploads_never_applied_and_keeps_applied_ones(world, small_bank):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    stale, applied, fresh = (_draft(world, NEW_GIFT) for _ in range(3))
    services.import_apply(user=world["instructor"], draft=applied)
    old = timezone.now() - timedelta(hours=30)
    ImportDraft.objects.filter(pk__in=[stale.pk, applied.pk]).update(created_at=old)
    assert services.import_drafts_purge(older_than=timedelta(hours=24)) == 1
    assert set(ImportDraft.objects.values_list("pk", flat=True)) == {applied.pk, fresh.pk}
    assert services.import_drafts_purge(older_than=timedelta(hours=24)) == 0  # idempotent
    ImportDraft.objects.filter(pk=fresh.pk).update(created_at=old)
    call_command("purgeimports", stdout=__import__("io").StringIO())
    assert list(ImportDraft.objects.values_list("pk", flat=True)) == [applied.pk]


MOODLE_STYLE_GIFT = """$CATEGORY: $course$/top/serialization

::Q1::Which opcode calls a function? {=REDUCE ~GLOBAL#Thinks a lookup is a call.}

::Pickle & opcodes!::Which opcode ends a pickle? {=STOP ~MARK#Thinks MARK ends it.}

::q1::Which opcode builds a tuple? {=TUPLE ~STOP#Thinks STOP builds it.}

::serialization-already-fine::Which opcode pushes a global? {=GLOBAL ~STOP#Thinks STOP.}
"""


def test_free_text_titles_become_ids_that_start_with_the_main_topic(world, small_bank):
    preview = preview_build(text=MOODLE_STYLE_GIFT, fmt="gift")
    assert preview.errors == []
    assert [(r.id, r.title) for r in preview.rows] == [
        ("serialization-q1", "Q1"),
        ("serialization-pickle-opcodes", "Pickle & opcodes!"),
        ("serialization-q1-2", "q1"),  # a second "q1" is numbered, not merged
        ("serialization-already-fine", ""),
    ]
    # The same file again maps to the same ids: re-importing it updates, never duplicates.
    draft = _draft(world, MOODLE_STYLE_GIFT)
    services.import_apply(user=world["instructor"], draft=draft)
    again = preview_build(text=MOODLE_STYLE_GIFT, fmt="gift")
    assert {r.action for r in again.rows} == {"unchanged"}


def test_a_title_without_a_category_is_still_refused_clearly(world, small_bank):
    preview = preview_build(text="::Q1::Which opcode calls? {=REDUCE ~GLOBAL#No.}\n", fmt="gift")
    assert preview.rows == [] and preview.errors


@pytest.mark.parametrize("name, head, fmt", [
    ("bank.gift", b"::x::", "gift"), ("QUIZ.XML", b"<quiz>", "moodle_xml"),
    ("pack.zip", b"PK\x03\x04", "pack"), ("questions.yml", b"- id: a-b", "yaml"),
    ("upload", b"\xef\xbb\xbf<?xml version='1.0'?><quiz>", "moodle_xml"),
    ("upload", b"// comment\n::t::", "gift"), ("upload", b"$CATEGORY: x", "gift"),
    ("upload", b"PK\x03\x04", "pack"), ("upload", b"- id: a-b\n", "yaml"),
])
def test_the_upload_format_is_detected_from_the_name_then_the_content(name, head, fmt):
    from apps.packs.importing import detect_format

    assert detect_format(name, head) == fmt
