"""The field-by-field version comparison (a pure function over two versions' contents)."""

from __future__ import annotations

import copy

from apps.curation.diff import (
    MAX_WORD_DIFF_TOKENS,
    Segment,
    text_diff,
    version_field_diff,
)
from tests.curation.conftest import ITEM


def _sides(segments) -> tuple[str, str]:
    old = "".join(s.text for s in segments if s.op != "insert")
    new = "".join(s.text for s in segments if s.op != "delete")
    return old, new


def _changed(old, new) -> dict:
    return {f.name: f for f in version_field_diff(old, new) if f.changed}


def test_it_marks_only_the_changed_words_of_a_line():
    segments = text_diff("What does a BadNets-style backdoor need at training time?",
                         "What does a BadNets backdoor require at training time?")
    assert segments == (
        Segment("equal", "What does a BadNets"), Segment("delete", "-style"),
        Segment("equal", " backdoor "), Segment("delete", "need"), Segment("insert", "require"),
        Segment("equal", " at training time?"))


def test_a_change_starts_at_a_word_not_at_the_space_before_it():
    assert text_diff("3. Pickle files", "3. Reworded: Pickle files") == (
        Segment("equal", "3. "), Segment("insert", "Reworded: "), Segment("equal", "Pickle files"))


def test_its_segments_rebuild_both_texts():
    old = "line one\nline two has words\nline three\n"
    new = "line zero\nline one\nline two has more words\n"
    assert _sides(text_diff(old, new)) == (old, new)


def test_it_shows_added_and_removed_lines_whole():
    segments = text_diff("a\nb", "a\nb\nc")
    assert segments == (Segment("equal", "a\nb"), Segment("insert", "\nc"))
    assert [s.op for s in text_diff("", "new")] == ["insert"]
    assert [s.op for s in text_diff("old", "")] == ["delete"]


def test_identical_texts_have_no_change():
    assert text_diff("same\ntext", "same\ntext") == (Segment("equal", "same\ntext"),)
    assert not any(f.changed for f in version_field_diff(ITEM, copy.deepcopy(ITEM)))


def test_a_huge_changed_block_is_replaced_whole_not_compared_word_by_word():
    old = " ".join(["alpha"] * MAX_WORD_DIFF_TOKENS)
    new = " ".join(["beta"] * MAX_WORD_DIFF_TOKENS)
    assert text_diff(old, new) == (Segment("delete", old), Segment("insert", new))


def test_it_compares_a_version_field_by_field():
    new = copy.deepcopy(ITEM)
    new["stem"] = "What does a BadNets backdoor require at training time?\n"
    new["choices"][0]["correct"] = False
    new["choices"][1]["correct"] = True
    new["choices"][1]["misconception"] = "Confuses serving with training."
    new["topics"].append("model-serialization")
    new["resources"][0]["locator"] = "Section 4"
    changed = _changed(ITEM, new)
    assert set(changed) == {"stem", "key", "misconceptions", "topics", "resources"}
    key_old, key_new = _sides(changed["key"].segments)
    assert key_old == "1. Poisoned samples carrying a trigger and the attacker's label"
    assert key_new == "2. Write access to the inference server"
    assert _sides(changed["topics"].segments) == (
        "dataset-poisoning", "dataset-poisoning\nmodel-serialization")
    assert ("Section 3" in _sides(changed["resources"].segments)[0]
            and "Section 4" in _sides(changed["resources"].segments)[1])


def test_it_orders_fields_and_leaves_out_fields_empty_in_both():
    fields = [f.name for f in version_field_diff(ITEM, ITEM)]
    assert fields[:3] == ["stem", "choices", "key"]  # no artifact in either
    assert "artifact" not in fields and "atlas" not in fields
    with_artifact = {**ITEM, "artifact": {"kind": "python", "content": "import pickle\n"}}
    changed = _changed(ITEM, with_artifact)
    assert list(changed) == ["artifact"]
    assert _sides(changed["artifact"].segments) == ("", "[python]\nimport pickle")
