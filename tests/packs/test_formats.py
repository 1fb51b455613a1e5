"""GIFT and Moodle XML both directions: every field a format can carry survives the round trip,
on every question of the shipped bank."""

from __future__ import annotations

import pytest
from django.conf import settings

from apps.bank.bankfile import read_bank
from apps.packs.formats import gift, moodlexml, native
from apps.packs.formats.common import split_artifact, stem_with_artifact

GIFT_FIELDS = ("id", "type", "stem", "artifact", "choices", "explanation")


@pytest.fixture(scope="module")
def shipped():
    """The shipped bank and the hands-on fixture (hotspots with one and two key lines, ordering)."""
    hands_on = settings.BASE_DIR / "tests" / "fixtures" / "bank-hands-on"
    return [q.content() for q in read_bank(settings.BANK_DIR).questions] + \
        [q.content() for q in read_bank(hands_on).questions]


def test_it_round_trips_every_gift_field_of_the_shipped_bank(shipped):
    result = gift.parse(gift.export_questions(shipped))
    assert result.errors == []
    carried = [q for q in shipped if q["type"] in ("single", "multiple", "true_false")]
    assert len(carried) < len(shipped)  # the hands-on types are left out, not mangled
    assert len(result.items) == len(carried)
    for original, item in zip(carried, result.items, strict=True):
        assert {k: original.get(k) for k in GIFT_FIELDS} == \
            {k: item.data.get(k) for k in GIFT_FIELDS}, original["id"]
        assert item.data["topics"] == original["topics"][:1]
        assert "difficulty" in item.not_carried and "resources" in item.not_carried
        assert {"atlas", "checked", "checked_against"} <= set(item.not_carried)


def test_it_round_trips_every_moodle_xml_field_of_the_shipped_bank(shipped):
    result = moodlexml.parse(moodlexml.export_questions(shipped))
    assert result.errors == []
    for original, item in zip(shipped, result.items, strict=True):
        expected = {k: v for k, v in original.items() if k != "status"}
        if not expected.get("resources"):
            expected.pop("resources", None)
        assert item.data == expected, original["id"]
        assert item.not_carried == ["status"]
    assert {q["type"] for q in shipped} >= {"hotspot", "ordering"}


def test_moodle_xml_writes_ordering_as_moodles_ordering_type_and_hotspot_as_tagged_lines(
        shipped):
    import xml.etree.ElementTree as ET

    ordering = next(q for q in shipped if q["type"] == "ordering")
    hotspot = next(q for q in shipped if q["type"] == "hotspot")
    root = ET.fromstring(moodlexml.export_questions([ordering, hotspot]))  # noqa: S314 (our own output)
    first, second = root.findall("question")[1], root.findall("question")[3]
    assert first.get("type") == "ordering"
    assert first.findtext("gradingtype") == "LONGEST_ORDERED_SUBSET"
    assert [(a.get("fraction"), a.findtext("text")) for a in first.findall("answer")] == [
        (f"{n}.0000000", step) for n, step in enumerate(ordering["steps"], start=1)]
    assert second.get("type") == "multichoice"
    assert second.findtext("shuffleanswers") == "false"
    answers = second.findall("answer")
    lines = hotspot["artifact"]["content"].rstrip("\n").split("\n")
    assert len(answers) == len(lines)
    assert answers[0].findtext("text").startswith("Line 1: ")
    assert [n for n, a in enumerate(answers, start=1) if float(a.get("fraction")) > 0] == \
        hotspot["key_lines"]
    assert "type:hotspot" in [t.text for t in second.findall("tags/tag/text")]
    assert moodlexml.not_carried(hotspot)[-1] == moodlexml.HOTSPOT_NOTE


def test_moodle_xml_refuses_a_tagged_hotspot_whose_answers_are_not_lines():
    text = moodlexml.export_questions([{
        "id": "serialization-x", "type": "single", "style": "concept", "difficulty": 1,
        "topics": ["serialization"], "stem": "s\n", "explanation": "",
        "choices": [{"text": "a", "correct": True}, {"text": "b", "misconception": "m"}]}])
    text = text.replace("<text>style:concept</text>",
                        "<text>style:concept</text></tag><tag><text>type:hotspot</text>")
    result = moodlexml.parse(text)
    assert result.items == [] and "must read 'Line N: ...'" in result.errors[0]


def test_it_round_trips_the_native_yaml(shipped):
    result = native.parse(native.export_questions(shipped))
    assert result.errors == []
    assert [i.data for i in result.items] == shipped


def test_it_writes_multiple_answer_fractions_that_sum_to_100():
    q = {"id": "hub-risks-x", "type": "multiple", "style": "concept", "difficulty": 1,
         "topics": ["hub-risks"], "resources": [], "stem": "Pick.\n", "explanation": "",
         "choices": [{"text": "a", "correct": True}, {"text": "b", "correct": True},
                     {"text": "c", "correct": True}, {"text": "d", "misconception": "no"}]}
    text = gift.export_questions([q])
    assert text.count("~%33.33333%") == 3 and "~%-100%d#no" in text
    xml = moodlexml.export_questions([q])
    assert xml.count('fraction="33.33333"') == 3 and 'fraction="-100"' in xml
    assert gift.parse(text).items[0].data["choices"] == q["choices"]
    assert moodlexml.parse(xml).items[0].data["choices"] == q["choices"]


def test_it_escapes_gift_special_characters_and_newlines():
    q = {"id": "hub-risks-esc", "type": "single", "style": "concept", "difficulty": 1,
         "topics": ["hub-risks"], "resources": [],
         "stem": "a {b} = c ~ d # e: f \\ g\n\nsecond paragraph\n", "explanation": "why: #1\n",
         "choices": [{"text": "x=1", "correct": True},
                     {"text": "y~2", "misconception": "thinks {y}#"}]}
    text = gift.export_questions([q])
    item = gift.parse(text).items[0].data
    assert item["stem"] == q["stem"] and item["choices"] == q["choices"]
    assert item["explanation"] == q["explanation"]


def test_it_reads_hand_written_gift_true_false_and_reports_what_it_lacks():
    text = ("// a comment\n$CATEGORY: $course$/top/serialization\n\n"
            "::serialization-tf-x::Pickle can run code on load. {T#It can: REDUCE calls."
            "####Because of REDUCE.}\n")
    result = gift.parse(text)
    assert result.errors == []
    item = result.items[0]
    assert item.line == 4
    assert item.data["type"] == "true_false"
    assert item.data["topics"] == ["serialization"]
    assert item.data["choices"] == [{"text": "True", "correct": True},
                                    {"text": "False", "misconception": "It can: REDUCE calls."}]
    assert item.data["explanation"] == "Because of REDUCE.\n"
    assert set(item.not_carried) >= {"style", "difficulty", "resources", "status"}


def test_it_refuses_gift_questions_it_cannot_import_with_their_line():
    text = "::a-b::Missing title ok\n\n::x-y::No answers here\n\nJust text { =a ~b }\n"
    result = gift.parse(text)
    assert any(e.startswith("1: ") for e in result.errors)
    assert any(e.startswith("3: ") for e in result.errors)
    assert any(e.startswith("5: ") and "title" in e for e in result.errors)


def test_it_carries_the_artifact_as_a_code_block_fenced_past_its_backticks():
    content = {"stem": "Read it.\n", "artifact": {"kind": "log", "content": "  ```x```\nend\n"}}
    stem = stem_with_artifact(content)
    assert "````artifact:log" in stem
    assert split_artifact(stem) == ("Read it.\n", content["artifact"])


def test_it_leaves_a_code_block_of_unknown_kind_in_the_stem():
    stem = "Look:\n\n```artifact:rootkit\nboom\n```"
    assert split_artifact(stem) == (stem + "\n", None)


def test_it_refuses_xml_with_a_doctype_so_entities_never_expand():
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
            ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
            "<quiz><question type=\"truefalse\"><name><text>&lol2;</text></name></question></quiz>")
    result = moodlexml.parse(bomb)
    assert result.items == []
    assert result.errors == ["2: a DOCTYPE or entity declaration is not allowed (entities are "
                             "never expanded)"]
    external = ('<?xml version="1.0"?><!doctype quiz SYSTEM "file:///etc/passwd"><quiz/>')
    assert "DOCTYPE" in moodlexml.parse(external).errors[0]


def test_it_reports_broken_xml_with_its_line():
    result = moodlexml.parse("<quiz>\n<question type='multichoice'>\n</quiz>")
    assert result.errors and result.errors[0].startswith("3: invalid XML")


def test_it_refuses_moodle_question_types_it_cannot_carry():
    xml = ("<quiz>\n<question type=\"essay\"><name><text>e</text></name></question>\n</quiz>")
    assert moodlexml.parse(xml).errors == [
        "2: question type 'essay' cannot be imported (only multichoice, truefalse and ordering)"]


def test_it_refuses_yaml_tags_in_an_uploaded_bank_file():
    result = native.parse("- id: !!python/object/apply:os.system ['echo hi']\n")
    assert result.items == []
    assert "tag" in result.errors[0] and result.errors[0].startswith("1: ")


@pytest.mark.django_db
def test_the_export_preview_lists_what_each_format_does_with_the_hands_on_types(hands_on_bank):
    from apps.packs.exporting import export_preview

    gift_preview = export_preview(kind="gift")
    assert {row["reason"] for row in gift_preview.left_out} == {
        "GIFT has no hotspot question", "GIFT has no ordering question"}
    assert gift_preview.rows == []
    moodle = {row.id: row.not_carried for row in export_preview(kind="moodle_xml").rows}
    assert moodle["serialization-fixture-find-the-call"] == ["status", moodlexml.HOTSPOT_NOTE]
    assert moodle["hub-risks-fixture-verify-order"] == ["status"]
    qti_preview = export_preview(kind="qti", topic="hub-risks")
    assert len(qti_preview.left_out) == 3 and qti_preview.rows == []


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["gift", "qti"])
def test_an_export_with_nothing_the_format_can_hold_is_refused(hands_on_bank, world, kind):
    from apps.packs.exporting import ExportRefused, export_file

    with pytest.raises(ExportRefused, match="None of these questions can be written"):
        export_file(user=world["instructor"], kind=kind, topic="hub-risks")
