"""Quality lint for the bank (`checkbank`): rules that go beyond the format, and the balance.

Always enforced:

- every question cites a resource and has an explanation; no "all/none of the above" choice;
- near-duplicate stems: each stem is lowercased, reduced to words, and turned into the set of its
  word trigrams; two stems are near-duplicates when the Jaccard similarity of those sets is at
  least NEAR_DUPLICATE_THRESHOLD. A shared scenario opening ("Your team downloads a model from the
  Hub") contributes only a handful of trigrams to otherwise different stems, so it stays far
  below the threshold, while a reworded copy of a question stays above it;
- distinct-pairs.yaml (the allow-list below) is well formed and names existing questions.

Reported always, enforced with `checkbank --strict` (issue 15; the thresholds are the block
below, and questions/README.md "Enforced balance" explains them):

- key length rank (single-answer questions): the key is the longest choice (rank 1), the second
  longest (rank 2), ... Over the bank each rank's share must be within KEY_RANK_BAND of what
  uniform keys give. That expectation is computed per question: a question with n choices
  contributes 1/n to each of the ranks 1..n, so 3-, 5- and 6-choice questions move it (with only
  4-choice questions it is 25% per rank, band 17-33%). A band on every rank, not only "key is
  the longest", because the fix for "the key is the longest" was "the key is second longest".
- multiple-answer spread: no number of correct choices holds more than MULTIPLE_MAX_COUNT_SHARE
  of the multiple-answer questions, and no question has every choice correct; in the authored
  order (GIFT and native exports keep it) choice A is correct in at most
  MULTIPLE_MAX_FIRST_CORRECT of them, and the correct set is exactly the first k choices in at
  most MULTIPLE_MAX_PREFIX. Chance for a 4- or 5-choice question with 1-3 correct is about 45%
  for "A correct" and 10-25% for "first k".
- true/false balance: the share of questions keyed True within TRUE_SHARE_BAND.
- semantic near-duplicates (paraphrases the trigram rule misses): TF-IDF cosine of stem + key
  (words of three letters or more, sublinear term frequency, smoothed IDF over the bank) at or
  above SEMANTIC_THRESHOLD, unless the pair is allow-listed in questions/distinct-pairs.yaml.
- freshness: questions whose `checked` month is more than the maximum age
  (BANK_CHECK_MAX_AGE_MONTHS, default 12) before the current month, or in the future, and
  questions citing a resource marked `superseded` in resources.yaml.

A question without `checked` is listed; it fails only with `--require-checked`.

The balance bands are judged only when the bank holds enough questions of the type (MIN_SAMPLE):
a share of five questions says nothing about a cue.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path

from apps.bank import atlas as atlas_list
from apps.bank.bankfile import (
    DISTINCT_PAIRS_FILE,
    QUESTION_TYPES,
    Bank,
    QuestionData,
    _read_list_file,
)

# --- Thresholds: the one place they live (questions/README.md "Enforced balance") -------------
NEAR_DUPLICATE_THRESHOLD = 0.6  # trigram Jaccard of stems: always enforced
# TF-IDF cosine of stem + key. Tuned on the first edition (300 questions): 0.25 is the highest
# value that lists every paraphrase pair the expert review named (the lowest, the LoRA-adapter
# pair, scores 0.253; the model-card pair 0.281) and links three of the five namespace-reuse /
# pin-the-revision questions; it lists 61 pairs, against 15 at the earlier 0.35, which missed
# the model-card and LoRA pairs. Lower values grow the list fast (0.22: 110 pairs) for little
# gain: the two remaining namespace questions share ideas, not words (0.22 and 0.16).
SEMANTIC_THRESHOLD = 0.25
KEY_RANK_BAND = 0.08  # each key-length rank's share: uniform expectation +- 8 points
MULTIPLE_MAX_COUNT_SHARE = 0.50  # no single number of correct choices above half
MULTIPLE_MAX_FIRST_CORRECT = 0.60  # authored choice A correct
MULTIPLE_MAX_PREFIX = 0.25  # authored correct set == the first k choices
TRUE_SHARE_BAND = (0.35, 0.65)  # true/false questions keyed True
MIN_SAMPLE = {"single": 20, "multiple": 10, "true_false": 10}
DEFAULT_MAX_AGE_MONTHS = 12  # settings.BANK_CHECK_MAX_AGE_MONTHS overrides it
DISTINCT_REASON_MAX = 500

ABOVE_RE = re.compile(r"\b(all|none|both|neither) of (the )?(above|these|those)\b", re.I)
OWASP_ML_RE = re.compile(r"\bML(0[1-9]|10):2023\b")
WORD_RE = re.compile(r"[a-z0-9_]+")


@dataclass
class LintResult:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Check:
    """One reported rule: the figures it prints, and what fails it when it is enforced."""

    title: str
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def trigrams(text: str) -> set[tuple[str, ...]]:
    words = WORD_RE.findall(text.lower())
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def lint_bank(bank: Bank) -> LintResult:
    result = LintResult()
    for q in bank.questions:
        where = f"{q.source}: question {q.id!r}"
        if not q.resources:
            result.errors.append(f"{where}: cites no resource")
        if not q.explanation.strip():
            result.errors.append(f"{where}: has no explanation")
        n_correct = sum(c.correct for c in q.choices)
        if q.type == "single" and n_correct != 1:
            result.errors.append(f"{where}: a single question needs exactly one correct choice")
        if q.type == "multiple" and n_correct < 1:
            result.errors.append(f"{where}: a multiple question needs a correct choice")
        for c in q.choices:
            if ABOVE_RE.search(c.text):
                result.errors.append(f"{where}: choice {c.text[:40]!r} is an 'all/none of the "
                                     "above' choice")
    shingles = [(q, trigrams(q.stem)) for q in bank.questions]
    for (qa, sa), (qb, sb) in combinations(shingles, 2):
        similarity = jaccard(sa, sb)
        if similarity >= NEAR_DUPLICATE_THRESHOLD:
            result.errors.append(
                f"{qb.source}: question {qb.id!r} has a stem {similarity:.0%} similar to "
                f"{qa.id!r} ({qa.source})"
            )
    return result



def _share(n: int, total: int) -> str:
    return f"{n} ({n / total:.0%})" if total else "0"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


# --- Answer cues ------------------------------------------------------------------------------


def key_length_rank(q: QuestionData) -> int | None:
    """1 when the single key is the longest choice, 2 the second longest, ... (ties shared)."""
    correct = [c for c in q.choices if c.correct]
    if q.type != "single" or len(correct) != 1:
        return None
    key = len(correct[0].text)
    return 1 + sum(1 for c in q.choices if not c.correct and len(c.text) > key)


def key_rank_check(questions: list[QuestionData]) -> Check:
    check = Check("key length rank")
    singles = [q for q in questions if key_length_rank(q) is not None]
    if not singles:
        return check
    ranks = Counter(key_length_rank(q) for q in singles)
    total = len(singles)
    top = max(len(q.choices) for q in singles)
    expected = {r: sum(1 / len(q.choices) for q in singles if r <= len(q.choices)) / total
                for r in range(1, top + 1)}
    check.lines.append(
        "single questions, the key's length rank among the choices (1 = longest): "
        + ", ".join(f"{r}: {_share(ranks[r], total)}" for r in sorted(ranks))
        + "; uniform would be " + ", ".join(f"{r}: {_pct(e)}" for r, e in expected.items())
        + f"; band +-{KEY_RANK_BAND * 100:.0f} points")
    if total < MIN_SAMPLE["single"]:
        check.lines.append(f"  (fewer than {MIN_SAMPLE['single']} single questions: not judged)")
        return check
    for r, e in expected.items():
        share = ranks[r] / total
        if abs(share - e) > KEY_RANK_BAND + 1e-9:
            check.failures.append(
                f"the key is the {_ordinal(r)} longest choice in {_pct(share)} of single "
                f"questions ({ranks[r]} of {total}); uniform keys give {_pct(e)}, the band is "
                f"{_pct(max(0.0, e - KEY_RANK_BAND))}-{_pct(e + KEY_RANK_BAND)}")
    return check


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def _is_prefix(q: QuestionData) -> bool:
    flags = [c.correct for c in q.choices]
    return flags == sorted(flags, reverse=True)


def multiple_answer_check(questions: list[QuestionData]) -> Check:
    check = Check("multiple-answer spread")
    multiple = [q for q in questions if q.type == "multiple"]
    if not multiple:
        return check
    total = len(multiple)
    counts = Counter(sum(c.correct for c in q.choices) for q in multiple)
    first = sum(1 for q in multiple if q.choices[0].correct)
    prefix = sum(1 for q in multiple if _is_prefix(q))
    check.lines.append(
        "multiple questions, correct choices per question: "
        + ", ".join(f"{k}: {counts[k]}" for k in sorted(counts))
        + f"; choice A correct: {_share(first, total)}; the correct set is the first k choices: "
        f"{_share(prefix, total)} (limits: one count at most {_pct(MULTIPLE_MAX_COUNT_SHARE)}, "
        f"A correct at most {_pct(MULTIPLE_MAX_FIRST_CORRECT)}, first k at most "
        f"{_pct(MULTIPLE_MAX_PREFIX)})")
    for q in multiple:
        if all(c.correct for c in q.choices):
            check.failures.append(f"{q.source}: question {q.id!r}: every choice is correct")
    if total < MIN_SAMPLE["multiple"]:
        check.lines.append(f"  (fewer than {MIN_SAMPLE['multiple']} multiple questions: spread "
                           "not judged)")
        return check
    k, n = counts.most_common(1)[0]
    if n / total > MULTIPLE_MAX_COUNT_SHARE:
        check.failures.append(f"{_pct(n / total)} of multiple questions ({n} of {total}) have "
                              f"exactly {k} correct choices; at most "
                              f"{_pct(MULTIPLE_MAX_COUNT_SHARE)} may share one count")
    if first / total > MULTIPLE_MAX_FIRST_CORRECT:
        check.failures.append(f"choice A is correct in {_pct(first / total)} of multiple "
                              f"questions ({first} of {total}) as authored; at most "
                              f"{_pct(MULTIPLE_MAX_FIRST_CORRECT)}")
    if prefix / total > MULTIPLE_MAX_PREFIX:
        check.failures.append(f"the correct set is the first k choices in {_pct(prefix / total)} "
                              f"of multiple questions ({prefix} of {total}) as authored; at most "
                              f"{_pct(MULTIPLE_MAX_PREFIX)}")
    return check


def true_false_check(questions: list[QuestionData]) -> Check:
    check = Check("true/false balance")
    tf = [q for q in questions if q.type == "true_false"]
    if not tf:
        return check
    true_keys = sum(1 for q in tf for c in q.choices if c.correct and c.text == "True")
    low, high = TRUE_SHARE_BAND
    check.lines.append(f"true/false keys: True {true_keys}, False {len(tf) - true_keys} "
                       f"(True share {_pct(true_keys / len(tf))}; band {_pct(low)}-{_pct(high)})")
    if len(tf) < MIN_SAMPLE["true_false"]:
        check.lines.append(f"  (fewer than {MIN_SAMPLE['true_false']} true/false questions: not "
                           "judged)")
    elif not low - 1e-9 <= true_keys / len(tf) <= high + 1e-9:
        check.failures.append(f"{_pct(true_keys / len(tf))} of true/false questions are keyed "
                              f"True ({true_keys} of {len(tf)}); the band is {_pct(low)}-"
                              f"{_pct(high)}")
    return check


# --- Semantic near-duplicates -----------------------------------------------------------------


def _tfidf_vectors(texts: list[str]) -> list[dict[str, float]]:
    docs = [Counter(w for w in WORD_RE.findall(t.lower()) if len(w) > 2) for t in texts]
    df = Counter(w for d in docs for w in d)
    n = len(docs)
    vectors = []
    for d in docs:
        v = {w: (1 + math.log(c)) * math.log((1 + n) / (1 + df[w])) for w, c in d.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({w: x / norm for w, x in v.items()})
    return vectors


def semantic_pairs(questions: list[QuestionData],
                   threshold: float = SEMANTIC_THRESHOLD) -> list[tuple[float, str, str]]:
    """Pairs of questions whose stem plus key are alike in TF-IDF cosine (paraphrases that the
    trigram rule misses), most alike first. IDF is computed over `questions`, so pass the whole
    bank: a word common across the bank weighs little. An ordering question and a question of
    another type about the same incident ask different things (the sequence of its steps, not a
    fact about it), so such a pair is not compared; two ordering questions are."""
    texts = [q.stem + " " + " ".join(c.text for c in q.choices if c.correct) for q in questions]
    vectors = _tfidf_vectors(texts)
    pairs = []
    for (i, a), (j, b) in combinations(enumerate(vectors), 2):
        if (questions[i].type == "ordering") != (questions[j].type == "ordering"):
            continue
        small, large = (a, b) if len(a) < len(b) else (b, a)
        cosine = sum(x * large.get(w, 0.0) for w, x in small.items())
        if cosine >= threshold:
            pairs.append((cosine, questions[i].id, questions[j].id))
    return sorted(pairs, reverse=True)


@dataclass(frozen=True)
class DistinctPair:
    ids: frozenset[str]
    reason: str
    where: str  # file:line


def read_distinct_pairs(root: Path | str, known_ids: set[str]) -> tuple[
        dict[frozenset[str], DistinctPair], list[str]]:
    """The allow-list of question pairs judged distinct (questions/distinct-pairs.yaml):

        - questions: [first-id, second-id]
          reason: why they are different questions despite the shared words

    Returns the pairs and every problem as `file:line: message` (both ids must exist, a reason is
    required, a pair is listed once). A missing file is an empty list."""
    path = Path(root) / DISTINCT_PAIRS_FILE
    if not path.is_file():
        return {}, []
    errors: list[str] = []
    data, node = _read_list_file(path, str(path), errors)
    pairs: dict[frozenset[str], DistinctPair] = {}
    for i, item in enumerate(data):
        where = f"{path}:{node.value[i].start_mark.line + 1}"
        if not isinstance(item, dict) or set(item) != {"questions", "reason"}:
            errors.append(f"{where}: each entry has exactly `questions: [id, id]` and `reason`")
            continue
        ids, reason = item["questions"], item["reason"]
        if not (isinstance(ids, list) and len(ids) == 2 and all(isinstance(x, str) for x in ids)
                and ids[0] != ids[1]):
            errors.append(f"{where}: questions must be two different question ids")
            continue
        for qid in ids:
            if qid not in known_ids:
                errors.append(f"{where}: unknown question {qid!r}")
        if not (isinstance(reason, str) and reason.strip()):
            errors.append(f"{where}: say why the two questions are distinct (reason)")
        elif len(reason) > DISTINCT_REASON_MAX:
            errors.append(f"{where}: the reason is {len(reason):,} characters long; the limit is "
                          f"{DISTINCT_REASON_MAX}")
        key = frozenset(ids)
        if key in pairs:
            errors.append(f"{where}: pair listed twice (first at {pairs[key].where})")
        pairs[key] = DistinctPair(ids=key, reason=str(reason), where=where)
    return pairs, errors


def semantic_check(questions: list[QuestionData],
                   distinct: dict[frozenset[str], DistinctPair] | None = None,
                   threshold: float = SEMANTIC_THRESHOLD) -> Check:
    distinct = distinct or {}
    check = Check("semantic near-duplicates")
    source = {q.id: q.source for q in questions}
    pairs = semantic_pairs(questions, threshold)
    flagged = [(c, a, b) for c, a, b in pairs if frozenset((a, b)) not in distinct]
    allowed = len(pairs) - len(flagged)
    summary = (f"{len(pairs)} pairs, {allowed} allow-listed as distinct ({DISTINCT_PAIRS_FILE}), "
               f"{len(flagged)} to merge or allow-list (listed below)" if flagged
               else f"{len(pairs)} pairs, all allow-listed as distinct ({DISTINCT_PAIRS_FILE})")
    check.lines.append(f"semantic near-duplicates (TF-IDF cosine of stem + key >= {threshold}): "
                       + summary)
    found = {frozenset((a, b)) for _, a, b in pairs}
    for key, pair in distinct.items():
        if key not in found and key <= source.keys():
            check.lines.append(f"  note: {pair.where}: {' ~ '.join(sorted(key))} is no longer "
                               "flagged; the entry can go")
    # One line a pair (most alike first): merge the two, or allow-list them with a reason.
    check.failures += [f"{source[b]}: {cos:.2f} {b} ~ {a} ({Path(source[a]).name})"
                       for cos, a, b in flagged]
    return check


# --- Freshness of facts -----------------------------------------------------------------------


def months_old(checked: str, today: date) -> int:
    year, month = map(int, checked.split("-"))
    return (today.year * 12 + today.month) - (year * 12 + month)


def freshness_checks(bank: Bank, questions: list[QuestionData], *, today: date,
                     max_age_months: int, verbose: bool = False) -> tuple[Check, Check]:
    """(stale facts and superseded citations, which --strict enforces; missing `checked`, which
    --require-checked enforces)."""
    fresh = Check("facts checked recently")
    missing = Check("facts never checked")
    superseded = {r.slug: r.superseded for r in bank.resources if r.superseded}
    unchecked = [q for q in questions if not q.checked]
    stale = [q for q in questions if q.checked and months_old(q.checked, today) > max_age_months]
    future = [q for q in questions if q.checked and months_old(q.checked, today) < 0]
    citing = [(q, slug) for q in questions for slug, _ in q.resources if slug in superseded]
    fresh.lines.append(
        f"facts checked: {len(questions) - len(unchecked)} of {len(questions)} questions record "
        f"`checked`; {len(stale)} older than {max_age_months} months (before "
        f"{_month_minus(today, max_age_months)}); {len(future)} dated in the future; "
        f"{len(citing)} citations of a superseded resource "
        f"({', '.join(sorted(superseded)) or 'none marked'})")
    for q in stale:
        fresh.lines.append(f"  stale: {q.id} (checked {q.checked})")
        fresh.failures.append(f"{q.source}: question {q.id!r} was last checked {q.checked}, more "
                              f"than {max_age_months} months ago: re-check it against today's "
                              "sources and update `checked`")
    for q in future:
        fresh.failures.append(f"{q.source}: question {q.id!r}: checked {q.checked} is in the future")
    for q, slug in citing:
        fresh.lines.append(f"  cites superseded {slug}: {q.id}")
        fresh.failures.append(f"{q.source}: question {q.id!r} cites {slug!r}, which is superseded "
                              f"({superseded[slug]})")
    per_file = Counter(q.source.rsplit(":", 1)[0] for q in unchecked)
    missing.lines.append(f"questions without `checked`: {len(unchecked)}" + (
        " (" + ", ".join(f"{Path(f).name}: {n}" for f, n in sorted(per_file.items())) + ")"
        if unchecked else ""))
    if verbose:
        missing.lines += [f"  {q.id}" for q in unchecked]
    missing.failures += [f"{q.source}: question {q.id!r} does not record when its facts were "
                         "checked (`checked: YYYY-MM` and `checked_against`)" for q in unchecked]
    return fresh, missing


def _month_minus(today: date, months: int) -> str:
    index = today.year * 12 + today.month - 1 - months
    return f"{index // 12}-{index % 12 + 1:02d}"


# --- MITRE ATLAS coverage ---------------------------------------------------------------------


def atlas_coverage(questions: list[QuestionData]) -> list[str]:
    """Questions per ATLAS id: each technique with the questions citing it or one of its
    sub-techniques, then its sub-techniques, mitigations and case studies."""
    cat = atlas_list.catalogue()
    tagged = [q for q in questions if q.atlas]
    lines = [f"MITRE ATLAS ({cat.version}): {_share(len(tagged), len(questions))} questions "
             "carry ids" if questions else "MITRE ATLAS: no questions"]
    if not tagged:
        return lines
    direct = Counter(a for q in tagged for a in q.atlas)
    technique_questions: dict[str, set[str]] = {}
    for q in tagged:
        for a in q.atlas:
            if atlas_list.kind_of(a) in ("technique", "sub-technique"):
                technique_questions.setdefault(a[:9], set()).add(q.id)
    lines.append("per technique (questions citing it or a sub-technique):")
    for tech in sorted(technique_questions):
        entry = atlas_list.entries_for([tech])[0]
        lines.append(f"  {tech} {entry.name}: {len(technique_questions[tech])}")
        for sub in sorted(a for a in direct if a.startswith(tech + ".")):
            lines.append(f"    {sub} {atlas_list.entries_for([sub])[0].name}: {direct[sub]}")
    for kind, title in (("mitigation", "per mitigation"), ("case-study", "per case study")):
        ids = sorted(a for a in direct if atlas_list.kind_of(a) == kind)
        if ids:
            lines.append(f"{title}:")
            lines += [f"  {a} {atlas_list.entries_for([a])[0].name}: {direct[a]}" for a in ids]
    return lines


# --- Balance ----------------------------------------------------------------------------------

def key_is_longest(q: QuestionData) -> bool:
    """True when the (single) correct choice is strictly the longest choice."""
    correct = [c for c in q.choices if c.correct]
    if q.type != "single" or len(correct) != 1:
        return False
    key = len(correct[0].text)
    return all(key > len(c.text) for c in q.choices if not c.correct)


def balance_report(questions: list[QuestionData]) -> list[str]:
    total = len(questions)
    lines = [f"questions: {total}"]
    if not total:
        return lines

    def counter_lines(title: str, counter: Counter) -> None:
        lines.append(f"{title}:")
        for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0]))):
            lines.append(f"  {key}: {n}")

    counter_lines("per resource (questions citing it)",
                  Counter(slug for q in questions for slug, _ in q.resources))
    counter_lines("per topic (questions tagged)", Counter(t for q in questions for t in q.topics))
    counter_lines("per main topic", Counter(q.topics[0] for q in questions))
    diff = Counter(q.difficulty for q in questions)
    lines.append("per difficulty: " + ", ".join(
        f"{d}: {_share(diff.get(d, 0), total)}" for d in (1, 2, 3)))
    types = Counter(q.type for q in questions)
    lines.append("per type: " + ", ".join(
        f"{t}: {_share(types.get(t, 0), total)}" for t in QUESTION_TYPES))
    styles = Counter(q.style for q in questions)
    lines.append("per style: " + ", ".join(
        f"{s}: {_share(styles.get(s, 0), total)}" for s in ("concept", "scenario")))
    owasp = Counter(
        m.group(0) for q in questions for slug, loc in q.resources if slug == "owasp-ml-top10"
        for m in [OWASP_ML_RE.search(loc)] if m
    )
    lines.append("per OWASP ML risk: " + (", ".join(
        f"ML{i:02d}: {owasp.get(f'ML{i:02d}:2023', 0)}" for i in range(1, 11)) if owasp else "none"))
    with_artifact = sum(1 for q in questions if q.artifact_kind)
    lines.append(f"with an artifact: {_share(with_artifact, total)}")
    singles = [q for q in questions if q.type == "single"]
    longest = sum(1 for q in singles if key_is_longest(q))
    expected = sum(1 / len(q.choices) for q in singles)
    lines.append(f"single questions whose correct choice is the longest: "
                 f"{_share(longest, len(singles))} (chance would be about "
                 f"{expected / len(singles):.0%})" if singles else
                 "single questions whose correct choice is the longest: n/a")
    positions = Counter(
        i + 1 for q in questions if q.type != "true_false"
        for i, c in enumerate(q.choices) if c.correct
    )
    lines.append("correct choice position (as authored; play shuffles): " + ", ".join(
        f"{p}: {positions[p]}" for p in sorted(positions)))
    return lines
