from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from apps.bank import lint
from tests.bank.test_bankfile import VALID
from tests.factories import write_bank


def check(path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("checkbank", "--bank", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def second(stem: str, qid: str = "serialization-second-question") -> str:
    return VALID.replace("serialization-sample-question", qid).replace(
        "What does the header hold?", stem)


def test_the_shipped_bank_passes_and_prints_its_balance():
    out, _ = check(settings.BANK_DIR)
    assert "checkbank:" in out and "pass" in out
    for heading in ("per resource", "per topic", "per difficulty", "per type", "per style",
                    "per OWASP ML risk", "with an artifact", "correct choice is the longest",
                    "correct choice position", "key's length rank", "correct choices per question",
                    "true/false keys", "semantic near-duplicates", "facts checked:",
                    "questions without `checked`", "MITRE ATLAS (ATLAS 5.6.0"):
        assert heading in out


def test_it_fails_on_a_missing_explanation(tmp_path):
    write_bank(tmp_path, VALID.replace("  explanation: The header is JSON metadata.\n", ""))
    with pytest.raises(CommandError):
        check(tmp_path)


def test_it_fails_on_a_question_without_resources(tmp_path):
    text = VALID.replace("  resources:\n    - slug: safetensors\n      locator: README\n", "")
    write_bank(tmp_path, text)
    with pytest.raises(CommandError):
        check(tmp_path)


@pytest.mark.parametrize("choice", ["All of the above", "None of these", "both of the above"])
def test_it_fails_on_all_or_none_of_the_above(tmp_path, choice):
    write_bank(tmp_path, VALID.replace("Python code to rebuild the model", choice))
    with pytest.raises(CommandError):
        check(tmp_path)


def test_it_fails_on_near_duplicate_stems(tmp_path):
    stem = ("Your team downloads a PyTorch checkpoint from a public hub and a scanner reports a "
            "GLOBAL opcode that imports os.system. What should happen next?")
    reworded = stem.replace("What should happen next?", "What should happen now?")
    write_bank(tmp_path, second(stem, "serialization-one") + second(reworded, "serialization-two"))
    with pytest.raises(CommandError):
        check(tmp_path)


def test_a_shared_scenario_opening_is_not_a_near_duplicate():
    opening = "Your team downloads a model from the Hub for a fraud-detection prototype. "
    a = lint.trigrams(opening + "The repository holds a pytorch_model.bin file and a README "
                      "that asks you to pass trust_remote_code=True when loading it.")
    b = lint.trigrams(opening + "Its safetensors header lists two tensors whose data offsets "
                      "overlap, and the loader refuses the file with an error.")
    assert lint.jaccard(a, b) < lint.NEAR_DUPLICATE_THRESHOLD


def test_it_reports_the_length_cue(tmp_path):
    long_key = VALID.replace("Tensor names, dtypes, shapes and offsets",
                             "Tensor names, dtypes, shapes and byte offsets of every tensor")
    write_bank(tmp_path, long_key)
    out, _ = check(tmp_path)
    assert "correct choice is the longest: 1 (100%)" in out


def test_it_prints_the_balance_of_one_file(tmp_path):
    write_bank(tmp_path, VALID)
    (tmp_path / "other.yaml").write_text(second("A different question about tensors entirely?"))
    out, _ = check_files(tmp_path, "other.yaml")
    assert "balance of other.yaml" in out
    assert "questions: 1" in out


def check_files(path, *files):
    out, err = io.StringIO(), io.StringIO()
    call_command("checkbank", "--bank", str(path), *files, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- the enforced rules: off by default, on with --strict or BANK_LINT_STRICT ----------------


def check_args(path, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("checkbank", "--bank", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing(path, *args) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("checkbank", "--bank", str(path), *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def keyed_longest(n: int) -> str:
    """n single questions whose key is always the longest choice: a length cue."""
    words = ("amber birch cedar delta ember fjord grove harbor island jungle kettle lagoon meadow "
             "nectar orchid pebble quartz ridge summit thicket upland valley").split()
    return "".join(
        second(f"Which {words[i]} {words[-1 - i]} {i}?", f"serialization-cue-{i}").replace(
            "Python code to rebuild the model", "Short")
        for i in range(n))


def test_it_reports_the_cue_without_failing_by_default(tmp_path):
    write_bank(tmp_path, keyed_longest(20))
    out, _ = check_args(tmp_path)
    assert "not enforced (checkbank --strict would fail on these" in out
    assert "the key is the 1st longest choice in 100% of single questions" in out
    assert "pass" in out


def test_strict_fails_the_key_length_cue(tmp_path):
    write_bank(tmp_path, keyed_longest(20))
    err = failing(tmp_path, "--strict")
    assert "the key is the 1st longest choice in 100% of single questions (20 of 20); uniform " \
        "keys give 50%, the band is 42%-58%" in err


@override_settings(BANK_LINT_STRICT=True)
def test_the_setting_turns_strict_on(tmp_path):
    write_bank(tmp_path, keyed_longest(20))
    assert "1st longest" in failing(tmp_path)


def test_strict_passes_a_bank_without_problems(tmp_path):
    write_bank(tmp_path, VALID)
    out, _ = check_args(tmp_path, "--strict")
    assert "checkbank: 1 questions pass (strict)" in out


def test_strict_fails_a_paraphrase_until_it_is_allow_listed(tmp_path):
    stem = "Which opcode lets a pickle call os.system while it loads a checkpoint file?"
    write_bank(tmp_path, VALID + second(stem, "serialization-one")
               + second("While a checkpoint file loads, what pickle opcode can call os.system?",
                        "serialization-two"))
    assert "serialization-two ~ serialization-one" in failing(tmp_path, "--strict")
    (tmp_path / "distinct-pairs.yaml").write_text(
        "- questions: [serialization-one, serialization-two]\n"
        "  reason: kept apart on purpose for this test\n")
    out, _ = check_args(tmp_path, "--strict")
    assert "pass (strict)" in out


def test_a_malformed_allow_list_fails_even_without_strict(tmp_path):
    write_bank(tmp_path, VALID)
    (tmp_path / "distinct-pairs.yaml").write_text(
        "- questions: [serialization-sample-question, serialization-gone]\n  reason: r\n")
    err = failing(tmp_path)
    assert "distinct-pairs.yaml:1: unknown question 'serialization-gone'" in err


def test_the_allow_list_is_not_read_as_a_question_file(tmp_path):
    write_bank(tmp_path, VALID)
    (tmp_path / "distinct-pairs.yaml").write_text("[]\n")
    out, _ = check_args(tmp_path)
    assert "questions: 1" in out


# --- freshness: --max-age-months, BANK_CHECK_MAX_AGE_MONTHS, --require-checked ----------------


def with_checked(month: str) -> str:
    return VALID + f"  checked: '{month}'\n  checked_against: safetensors README read {month}\n"


def test_strict_fails_facts_checked_too_long_ago(tmp_path):
    write_bank(tmp_path, with_checked("2020-01"))
    out, _ = check_args(tmp_path)
    assert "stale: serialization-sample-question (checked 2020-01)" in out
    assert "was last checked 2020-01, more than 12 months ago" in failing(tmp_path, "--strict")


def test_the_maximum_age_is_an_option(tmp_path):
    write_bank(tmp_path, with_checked("2020-01"))
    out, _ = check_args(tmp_path, "--strict", "--max-age-months", "1200")
    assert "0 older than 1200 months" in out and "pass (strict)" in out


@override_settings(BANK_CHECK_MAX_AGE_MONTHS=1200)
def test_the_maximum_age_is_a_setting(tmp_path):
    write_bank(tmp_path, with_checked("2020-01"))
    out, _ = check_args(tmp_path, "--strict")
    assert "0 older than 1200 months" in out


def test_it_refuses_a_maximum_age_below_one_month(tmp_path):
    write_bank(tmp_path, VALID)
    with pytest.raises(CommandError, match="at least 1"):
        check_args(tmp_path, "--max-age-months", "0")


def test_a_missing_checked_fails_only_with_require_checked(tmp_path):
    write_bank(tmp_path, VALID)
    out, _ = check_args(tmp_path, "--strict")
    assert "questions without `checked`: 1" in out and "pass" in out
    err = failing(tmp_path, "--require-checked")
    assert "question 'serialization-sample-question' does not record when its facts" in err
    write_bank(tmp_path, with_checked("2026-12"))
    out, _ = check_args(tmp_path, "--require-checked")
    assert "pass" in out


@override_settings(BANK_REQUIRE_CHECKED=True)
def test_require_checked_is_a_setting(tmp_path):
    write_bank(tmp_path, VALID)
    assert "does not record when its facts" in failing(tmp_path)


def superseded_bank(tmp_path, note: str):
    write_bank(tmp_path, with_checked("2026-12"))
    resources = (tmp_path / "resources.yaml").read_text()
    marker = "- slug: safetensors\n"
    assert marker in resources
    head, tail = resources.split(marker, 1)
    entry, rest = tail.split("\n- ", 1)
    (tmp_path / "resources.yaml").write_text(
        head + marker + entry + f"\n  superseded: {note}\n- " + rest)
    return tmp_path


def test_strict_fails_a_question_citing_a_superseded_resource(tmp_path):
    superseded_bank(tmp_path, "moved to the huggingface/safetensors docs site")
    out, _ = check_args(tmp_path)
    assert "cites superseded safetensors: serialization-sample-question" in out
    assert "which is superseded (moved to the huggingface/safetensors docs site)" in failing(
        tmp_path, "--strict")
