"""Every importer refuses hostile input with a clear error and bounded work (audit item 4).

Fuzzing (hypothesis, bounded sizes) asserts that no input makes an importer raise anything but
its own refusal. Known hostile shapes (a YAML alias bomb, deep nesting, a stem full of newlines,
an error on every line) get a clear error and a bounded answer. How long they take is measured,
not asserted: `bench/importers.py` times each against a benign input of the same size in the
same run and prints the ratio (performance is never asserted in tests: a shared machine's noise
made a ratio bound fail here once).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.packs import signing
from apps.packs.formats import moodlexml
from apps.packs.importing import ImportRefused, decode_upload, preview_build, verified_pack_text
from tests.packs.conftest import new_key
from tests.security.hostile_inputs import HOSTILE_SHAPES

pytestmark = pytest.mark.django_db
FORMATS = ("yaml", "gift", "moodle_xml")
SYNTAX = "[]{}:-&*!|>'\"#%@`~=\\/<>?\n \t0aZ:;,."


def _preview_or_refusal(data: bytes, fmt: str):
    try:
        text = decode_upload(data)
    except ImportRefused:
        return None
    preview = preview_build(text=text, fmt=fmt)
    assert preview.ok or all(isinstance(e, str) and e for e in preview.errors)
    return preview


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=st.text(alphabet=st.sampled_from(SYNTAX) | st.characters(), max_size=3000))
def test_no_input_breaks_an_importer(fmt, text, small_bank):
    _preview_or_refusal(text.encode("utf-8", "surrogatepass"), fmt)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4000))
def test_no_bytes_break_the_pack_reader(data, db):
    _, public = new_key()
    result = signing.pack_verify(data=data, trusted_keys=[public])
    assert not result.ok and result.errors


@pytest.mark.parametrize("name, fmt, text, error", HOSTILE_SHAPES)
def test_hostile_shapes_get_a_clear_error_in_bounded_work(name, fmt, text, error, settings,
                                                          small_bank):
    preview = preview_build(text=text, fmt=fmt)
    assert not preview.ok and preview.errors
    assert error in " ".join(preview.errors)
    assert len(preview.errors) <= settings.PACK_PREVIEW_MAX_ERRORS + 1, name


def test_an_error_on_every_line_is_listed_up_to_a_cap_with_the_rest_counted(settings,
                                                                            small_bank):
    settings.PACK_PREVIEW_MAX_ERRORS = 5
    text = "<quiz>" + '<question type="essay"/>\n' * 12 + "</quiz>"
    preview = preview_build(text=text, fmt="moodle_xml")
    assert not preview.ok
    assert len(preview.errors) == 6
    assert all("cannot be imported" in e for e in preview.errors[:5])
    assert preview.errors[0].startswith("1:") and preview.errors[4].startswith("5:")
    assert preview.errors[5] == "7 more errors not listed: fix these and upload again"


def test_errors_under_the_cap_are_all_listed(settings, small_bank):
    settings.PACK_PREVIEW_MAX_ERRORS = 5
    text = "<quiz>" + '<question type="essay"/>\n' * 5 + "</quiz>"
    assert len(preview_build(text=text, fmt="moodle_xml").errors) == 5


def test_a_pack_nested_too_deeply_is_refused_clearly(settings, small_bank):
    private, public = new_key()
    settings.PACK_TRUSTED_KEYS = [public]
    pack = signing.pack_build(files={"questions.yaml": "[" * 50_000},
                              key=signing.private_key(private), created="2026-12-05")
    with pytest.raises(ImportRefused, match="nested deeper than"):
        verified_pack_text(pack)


def test_gift_and_moodle_exports_round_trip_a_long_artifact(small_bank):
    from apps.packs.formats.common import split_artifact, stem_with_artifact

    content = {"stem": "Read the output.\n",
               "artifact": {"kind": "pickle-disassembly", "content": "``` x\n" * 500}}
    stem, artifact = split_artifact(stem_with_artifact(content))
    assert stem == "Read the output.\n" and artifact == content["artifact"]
    assert moodlexml.parse(moodlexml.export_questions([])).items == []
