"""apps.bank.lint: the reported and enforced rules, one test or more a rule and a refusal."""

from __future__ import annotations

from datetime import date

import pytest

from apps.bank import lint
from apps.bank.bankfile import Bank, ChoiceData, QuestionData, ResourceData

WORDS = ("amber birch cedar delta ember fjord grove harbor island jungle kettle lagoon meadow "
         "nectar orchid pebble quartz ridge summit thicket upland valley willow xylem yarrow zephyr "
         "acorn bramble canyon dune estuary falcon glacier heron iris juniper kelp lichen marsh "
         "nettle otter prairie quail reed sorrel tundra umber violet walrus yew zinnia").split()


def q(qid="serialization-q", *, choices=(("key", True), ("other", False)), qtype="single",
      stem="s", checked="", resources=(("safetensors", "README"),), atlas=(), source="f.yaml:1"):
    return QuestionData(
        id=qid, type=qtype, style="concept", difficulty=2, topics=("serialization",),
        resources=tuple(resources), stem=stem, artifact_kind="", artifact_content="",
        choices=tuple(ChoiceData(t, ok, "" if ok else "m") for t, ok in choices),
        explanation="x", status="published", source=source, atlas=tuple(atlas), checked=checked)


def single_with_rank(i: int, rank: int, n: int = 4) -> QuestionData:
    """A single question of n choices whose key is the `rank`-th longest."""
    lengths = list(range(n + 10, 10, -1))  # distinct lengths, longest first
    choices = [("k" * lengths[rank - 1], True)] + [
        (chr(97 + j) * length, False) for j, length in enumerate(lengths) if j != rank - 1]
    return q(f"serialization-q{i}", choices=choices)


# --- key length rank ---------------------------------------------------------------------------


def test_it_ranks_the_key_by_length_with_ties_shared():
    assert lint.key_length_rank(q(choices=(("medium key", True), ("the longest distractor", False),
                                           ("short", False)))) == 2
    assert lint.key_length_rank(q(choices=(("same", True), ("also", False)))) == 1
    assert lint.key_length_rank(q(qtype="multiple")) is None


def test_it_passes_keys_spread_evenly_over_the_ranks():
    questions = [single_with_rank(i, i % 4 + 1) for i in range(40)]
    check = lint.key_rank_check(questions)
    assert check.failures == []
    assert "1: 10 (25%), 2: 10 (25%), 3: 10 (25%), 4: 10 (25%)" in check.lines[0]


def test_it_fails_the_second_longest_over_correction():
    # the first edition's pattern: the key rarely longest, mostly second longest
    ranks = [1] * 3 + [2] * 17 + [3] * 10 + [4] * 10
    check = lint.key_rank_check([single_with_rank(i, r) for i, r in enumerate(ranks)])
    assert len(check.failures) == 2
    assert "1st longest choice in 8% of single questions (3 of 40); uniform keys give 25%, the " \
        "band is 17%-33%" in check.failures[0]
    assert "2nd longest choice in 42%" in check.failures[1]


def test_it_expects_each_rank_per_question_for_three_five_and_six_choices():
    # 3-choice questions put 1/3 on ranks 1-3; 6-choice ones 1/6 on ranks 1-6
    questions = ([single_with_rank(i, i % 3 + 1, n=3) for i in range(30)]
                 + [single_with_rank(100 + i, i % 6 + 1, n=6) for i in range(30)])
    check = lint.key_rank_check(questions)
    assert "uniform would be 1: 25%, 2: 25%, 3: 25%, 4: 8%, 5: 8%, 6: 8%" in check.lines[0]
    assert check.failures == []
    # the same keys judged against a 4-choice expectation would fail rank 4 (8% vs 25%)
    only_first = [single_with_rank(i, 1, n=5) for i in range(30)]
    assert any("1st longest" in f and "uniform keys give 20%" in f
               for f in lint.key_rank_check(only_first).failures)


def test_it_does_not_judge_a_handful_of_single_questions():
    check = lint.key_rank_check([single_with_rank(i, 1) for i in range(5)])
    assert check.failures == []
    assert "not judged" in check.lines[-1]


# --- multiple-answer spread --------------------------------------------------------------------


def multiple(i: int, flags: str) -> QuestionData:
    """flags: "1010" = choices A and C correct."""
    return q(f"serialization-m{i}", qtype="multiple",
             choices=[(f"choice {c}", f == "1") for c, f in zip("abcdef", flags, strict=False)])


def test_it_passes_a_varied_multiple_answer_set():
    patterns = ["0110", "1001", "0100", "0011", "1010", "0010", "0111", "0001", "1101", "1000"]
    check = lint.multiple_answer_check([multiple(i, p) for i, p in enumerate(patterns)])
    assert check.failures == []
    assert "correct choices per question: 1: 4, 2: 4, 3: 2; choice A correct: 4 (40%); the " \
        "correct set is the first k choices: 1 (10%)" in check.lines[0]


def test_it_fails_one_correct_count_for_most_questions_a_first_and_the_first_k():
    check = lint.multiple_answer_check([multiple(i, "1110") for i in range(10)])
    assert [f.split(" ")[0:4] for f in check.failures] == [
        ["100%", "of", "multiple", "questions"], ["choice", "A", "is", "correct"],
        ["the", "correct", "set", "is"]]


def test_it_fails_a_multiple_question_with_every_choice_correct():
    check = lint.multiple_answer_check([multiple(1, "111")])
    assert check.failures == ["f.yaml:1: question 'serialization-m1': every choice is correct"]
    assert "not judged" in check.lines[-1]


# --- true/false ---------------------------------------------------------------------------------


def tf(i: int, key: str) -> QuestionData:
    return q(f"serialization-t{i}", qtype="true_false",
             choices=[("True", key == "True"), ("False", key == "False")])


@pytest.mark.parametrize(("trues", "fails"), [(3, True), (4, False), (6, False), (7, True)])
def test_it_holds_the_true_share_within_its_band(trues, fails):
    questions = [tf(i, "True" if i < trues else "False") for i in range(10)]
    check = lint.true_false_check(questions)
    assert bool(check.failures) is fails
    assert f"True {trues}, False {10 - trues}" in check.lines[0]


# --- semantic near-duplicates ------------------------------------------------------------------


def _paraphrase_bank() -> list[QuestionData]:
    a = q("serialization-a", stem="Which opcode lets a pickle call os.system while it loads?",
          choices=[("REDUCE", True), ("MARK", False)])
    b = q("serialization-b", stem="While loading, what pickle opcode can invoke os.system?",
          choices=[("REDUCE", True), ("STOP", False)])
    c = q("serialization-c", stem="What does a safetensors header hold about each tensor?",
          choices=[("dtype, shape and offsets", True), ("code", False)])
    filler = [q(f"serialization-f{i}", stem=stem, choices=[(key, True), ("other", False)])
              for i, (stem, key) in enumerate([
                  ("Who signs a model with Sigstore keyless signing?", "OIDC identity"),
                  ("What does SLSA provenance record about a build?", "the builder"),
                  ("Which field of an ML-BOM names the training data?", "datasets"),
                  ("What does namespace reuse on a model hub exploit?", "stale names"),
                  ("How does a BadNets trigger enter a model?", "poisoned samples"),
                  ("What does pinning a revision protect against?", "later pushes")])]
    return [a, b, c, *filler]


def test_it_reports_paraphrases_the_trigram_rule_misses():
    pairs = lint.semantic_pairs(_paraphrase_bank())
    assert [(x, y) for _, x, y in pairs] == [("serialization-a", "serialization-b")]


def test_it_fails_a_paraphrase_pair_unless_it_is_allow_listed():
    questions = _paraphrase_bank()
    check = lint.semantic_check(questions)
    assert len(check.failures) == 1 and "serialization-b ~ serialization-a" in check.failures[0]
    pair = frozenset(("serialization-a", "serialization-b"))
    allowed = lint.semantic_check(questions, {pair: lint.DistinctPair(pair, "why", "d.yaml:1")})
    assert allowed.failures == []
    assert "1 pairs, all allow-listed" in allowed.lines[0]


def test_it_notes_an_allow_list_entry_that_is_no_longer_flagged():
    pair = frozenset(("serialization-c", "serialization-f0"))
    check = lint.semantic_check(_paraphrase_bank(),
                                {pair: lint.DistinctPair(pair, "why", "d.yaml:3")})
    assert any("d.yaml:3: serialization-c ~ serialization-f0 is no longer flagged" in line
               for line in check.lines)


def test_the_threshold_lists_the_reviews_weakest_named_pair():
    """The LoRA-adapter pair of the first edition scored 0.253: the threshold must stay below."""
    assert lint.SEMANTIC_THRESHOLD <= 0.25


def write_pairs(tmp_path, text: str):
    (tmp_path / "distinct-pairs.yaml").write_text(text)
    return tmp_path


def test_it_reads_the_allow_list(tmp_path):
    write_pairs(tmp_path, "- questions: [serialization-a, serialization-b]\n"
                          "  reason: one asks for the opcode, the other for the defence\n")
    pairs, errors = lint.read_distinct_pairs(tmp_path, {"serialization-a", "serialization-b"})
    assert errors == []
    assert pairs[frozenset(("serialization-a", "serialization-b"))].reason.startswith("one asks")


def test_a_missing_allow_list_is_empty(tmp_path):
    assert lint.read_distinct_pairs(tmp_path, set()) == ({}, [])


@pytest.mark.parametrize(("text", "message"), [
    ("- questions: [serialization-a, serialization-zz]\n  reason: r\n",
     ":1: unknown question 'serialization-zz'"),
    ("- questions: [serialization-a, serialization-b]\n  reason: ''\n", ":1: say why"),
    ("- questions: [serialization-a, serialization-a]\n  reason: r\n", "two different question"),
    ("- questions: [serialization-a]\n  reason: r\n", "two different question"),
    ("- questions: [serialization-a, serialization-b]\n", "exactly `questions: [id, id]`"),
    ("- questions: [serialization-a, serialization-b]\n  reason: r\n  note: x\n", "exactly"),
    ("- questions: [serialization-a, serialization-b]\n  reason: " + "r" * 501 + "\n",
     "the limit is 500"),
    ("- questions: [serialization-a, serialization-b]\n  reason: r\n"
     "- questions: [serialization-b, serialization-a]\n  reason: r\n", ":3: pair listed twice"),
    ("questions: [serialization-a, serialization-b]\n", "must be a YAML list"),
])
def test_it_refuses_a_malformed_allow_list_entry(tmp_path, text, message):
    _, errors = lint.read_distinct_pairs(write_pairs(tmp_path, text),
                                         {"serialization-a", "serialization-b"})
    assert any(message in e for e in errors), errors


# --- freshness ----------------------------------------------------------------------------------


def bank_with(*questions, superseded=""):
    return Bank(resources=[ResourceData("safetensors", "t", "p", 2024, "https://x", "docs",
                                        superseded)], questions=list(questions))


def test_it_counts_months_between_checked_and_today():
    assert lint.months_old("2025-12", date(2026, 12, 5)) == 12
    assert lint.months_old("2027-01", date(2026, 12, 5)) == -1


def test_it_lists_and_fails_stale_and_future_checks_but_not_recent_ones():
    bank = bank_with(q("serialization-old", checked="2025-11"),
                     q("serialization-edge", checked="2025-12"),
                     q("serialization-new", checked="2026-12"),
                     q("serialization-next", checked="2027-01"))
    fresh, _ = lint.freshness_checks(bank, bank.questions, today=date(2026, 12, 5),
                                     max_age_months=12)
    assert "1 older than 12 months (before 2025-12); 1 dated in the future" in fresh.lines[0]
    assert [f.split("'")[1] for f in fresh.failures] == ["serialization-old", "serialization-next"]
    shorter, _ = lint.freshness_checks(bank, bank.questions, today=date(2026, 12, 5),
                                       max_age_months=6)
    assert len(shorter.failures) == 3


def test_it_fails_a_question_citing_a_superseded_resource():
    bank = bank_with(q("serialization-a", checked="2026-12"),
                     superseded="README removed in PR #579; cite the commit before it")
    fresh, _ = lint.freshness_checks(bank, bank.questions, today=date(2026, 12, 5),
                                     max_age_months=12)
    assert "1 citations of a superseded resource (safetensors)" in fresh.lines[0]
    assert fresh.failures == ["f.yaml:1: question 'serialization-a' cites 'safetensors', which is "
                              "superseded (README removed in PR #579; cite the commit before it)"]


def test_it_lists_questions_without_checked_separately():
    bank = bank_with(q("serialization-a"), q("serialization-b", checked="2026-12"))
    fresh, missing = lint.freshness_checks(bank, bank.questions, today=date(2026, 12, 5),
                                           max_age_months=12, verbose=True)
    assert fresh.failures == []
    assert missing.lines == ["questions without `checked`: 1 (f.yaml: 1)", "  serialization-a"]
    assert len(missing.failures) == 1


# --- ATLAS coverage -----------------------------------------------------------------------------


def test_it_reports_coverage_per_technique_with_its_sub_techniques():
    lines = lint.atlas_coverage([
        q("serialization-a", atlas=("AML.T0010.003", "AML.M0014")),
        q("serialization-b", atlas=("AML.T0010.001", "AML.T0010.003")),
        q("serialization-c", atlas=("AML.T0010",)),
        q("serialization-d")])
    assert lines[0].startswith("MITRE ATLAS (ATLAS 5.6.0") and "3 (75%) questions" in lines[0]
    assert "  AML.T0010 AI Supply Chain Compromise: 3" in lines
    assert "    AML.T0010.003 AI Supply Chain Compromise: Model: 2" in lines
    assert "    AML.T0010.001 AI Supply Chain Compromise: AI Software: 1" in lines
    assert "  AML.M0014 Verify AI Artifacts: 1" in lines


def test_an_ordering_question_is_not_compared_with_a_fact_question_about_the_same_event():
    questions = _paraphrase_bank()
    steps = q("serialization-steps", qtype="ordering",
              stem="Which opcode lets a pickle call os.system while it loads?",
              choices=[("REDUCE", True), ("STOP", True), ("MARK", True)])
    pairs = lint.semantic_pairs([*questions, steps])
    assert [(x, y) for _, x, y in pairs] == [("serialization-a", "serialization-b")]
    twin = q("serialization-steps-twin", qtype="ordering",
             stem="While loading, what pickle opcode can invoke os.system?",
             choices=[("REDUCE", True), ("STOP", True), ("MARK", True)])
    assert ("serialization-steps", "serialization-steps-twin") in [
        (x, y) for _, x, y in lint.semantic_pairs([*questions, steps, twin])]
