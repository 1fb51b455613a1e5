"""Every importer refuses hostile input with a clear error and bounded work (audit item 4).

Fuzzing (hypothesis, bounded sizes) asserts that no input makes an importer raise anything but
its own refusal. Known hostile shapes (a YAML alias bomb, deep nesting, a stem full of newlines)
are timed against a benign input of the same size in the same run: the figure is a ratio, with
a bound generous enough for a noisy machine and far below what the quadratic parsers took
(seconds against milliseconds: ratios in the thousands).
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.packs import signing
from apps.packs.formats import moodlexml
from apps.packs.importing import ImportRefused, decode_upload, preview_build, verified_pack_text
from tests.packs.conftest import new_key

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


def _cpu(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return max(best, 1e-4)


def _ratio(hostile: str, fmt: str) -> float:
    benign = ("a" * 79 + "\n") * (len(hostile) // 80 + 1)
    return _cpu(lambda: preview_build(text=hostile, fmt=fmt)) / _cpu(
        lambda: preview_build(text=benign[: len(hostile)], fmt=fmt))


ALIAS_BOMB = "a: &a [" + ",".join(["x"] * 9) + "]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n"
    for i in range(8))


@pytest.mark.parametrize("name, fmt, text, error", [
    ("alias bomb", "yaml", ALIAS_BOMB, "anchors and aliases are not allowed"),
    ("deep nesting", "yaml", "[" * 50_000, "nested deeper than"),
    ("deep mapping", "yaml", "a:\n" + "".join(" " * i + "a:\n" for i in range(1, 400)),
     "nested deeper than"),
    ("newlines in a GIFT stem", "gift",
     "::serialization-q::q" + "\\n" * 16_000 + "x {=a ~b#c}", ""),
    ("newlines in a Moodle XML stem", "moodle_xml",
     '<quiz><question type="multichoice"><name><text>serialization-q</text></name>'
     '<questiontext format="markdown"><text>q' + "\n" * 32_000 + "x</text></questiontext>"
     "</question></quiz>", ""),
    ("many questions in Moodle XML", "moodle_xml",
     "<quiz>" + '<question type="essay"/>\n' * 20_000 + "</quiz>", "cannot be imported"),
])
def test_hostile_shapes_get_a_clear_error_in_bounded_work(name, fmt, text, error, small_bank):
    preview = preview_build(text=text, fmt=fmt)
    assert not preview.ok and preview.errors
    assert error in " ".join(preview.errors)
    assert _ratio(text, fmt) < 50, name


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
