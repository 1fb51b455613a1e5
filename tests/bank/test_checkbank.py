from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

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
    out, _ = check(__import__("django.conf").conf.settings.BANK_DIR)
    assert "checkbank:" in out and "pass" in out
    for heading in ("per resource", "per topic", "per difficulty", "per type", "per style",
                    "per OWASP ML risk", "with an artifact", "correct choice is the longest",
                    "correct choice position"):
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


def _q(qid, stem, choices, qtype="single"):
    from apps.bank.bankfile import ChoiceData, QuestionData

    return QuestionData(
        id=qid, type=qtype, style="concept", difficulty=2, topics=("serialization",),
        resources=(("safetensors", "README"),), stem=stem, artifact_kind="",
        artifact_content="", choices=tuple(ChoiceData(t, ok, "" if ok else "m")
                                           for t, ok in choices),
        explanation="x", status="published", source="f:1")


def test_it_reports_paraphrases_the_trigram_rule_misses():
    from apps.bank.lint import semantic_pairs

    a = _q("serialization-a", "Which opcode lets a pickle call os.system while it loads?",
           [("REDUCE", True), ("MARK", False)])
    b = _q("serialization-b", "While loading, what pickle opcode can invoke os.system?",
           [("REDUCE", True), ("STOP", False)])
    c = _q("serialization-c", "What does a safetensors header hold about each tensor?",
           [("dtype, shape and offsets", True), ("code", False)])
    filler = [_q(f"serialization-f{i}", stem, [(key, True), ("other", False)]) for i, (stem, key)
              in enumerate([("Who signs a model with Sigstore keyless signing?", "OIDC identity"),
                            ("What does SLSA provenance record about a build?", "the builder"),
                            ("Which field of an ML-BOM names the training data?", "datasets"),
                            ("What does namespace reuse on a model hub exploit?", "stale names"),
                            ("How does a BadNets trigger enter a model?", "poisoned samples"),
                            ("What does pinning a revision protect against?", "later pushes")])]
    pairs = semantic_pairs([a, b, c, *filler])
    assert [(x, y) for _, x, y in pairs] == [("serialization-a", "serialization-b")]


def test_it_reports_the_key_length_rank_and_multiple_answer_patterns():
    from apps.bank.lint import cue_report, key_length_rank

    second = _q("serialization-d", "s", [("medium key", True), ("the longest distractor", False),
                                         ("short", False)])
    assert key_length_rank(second) == 2
    multiple = _q("serialization-e", "s", [("a", True), ("b", True), ("c", False)], "multiple")
    lines = cue_report([second, multiple])
    assert "1 = longest): 2: 1 (100%)" in lines[0]
    assert "2: 1; choice A correct: 1 (100%); the correct set is the first k choices: 1 (100%)" \
        in lines[1]
