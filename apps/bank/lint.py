"""Quality lint for the bank (`checkbank`): rules that go beyond the format, and the balance.

Near-duplicate stems: each stem is lowercased, reduced to words, and turned into the set of its
word trigrams; two stems are near-duplicates when the Jaccard similarity of those sets is at least
NEAR_DUPLICATE_THRESHOLD. A shared scenario opening ("Your team downloads a model from the Hub")
contributes only a handful of trigrams to otherwise different stems, so it stays far below the
threshold, while a reworded copy of a question stays above it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from apps.bank.bankfile import Bank, QuestionData

NEAR_DUPLICATE_THRESHOLD = 0.6
ABOVE_RE = re.compile(r"\b(all|none|both|neither) of (the )?(above|these|those)\b", re.I)
OWASP_ML_RE = re.compile(r"\bML(0[1-9]|10):2023\b")
WORD_RE = re.compile(r"[a-z0-9_]+")


@dataclass
class LintResult:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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


# TF-IDF cosine over stem + key, tuned on the shipped bank so it lists the paraphrase clusters an
# expert review found (the JFrog, ClamAV, GPG-badge, SLSA-retraining and namespace-reuse pairs).
# Reported by checkbank, not yet enforced: the bank's second edition (issue 15) merges them.
SEMANTIC_THRESHOLD = 0.35


def _tfidf_vectors(texts: list[str]) -> list[dict[str, float]]:
    import math

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
    trigram rule misses), most alike first."""
    texts = [q.stem + " " + " ".join(c.text for c in q.choices if c.correct) for q in questions]
    vectors = _tfidf_vectors(texts)
    pairs = []
    for (i, a), (j, b) in combinations(enumerate(vectors), 2):
        small, large = (a, b) if len(a) < len(b) else (b, a)
        cosine = sum(x * large.get(w, 0.0) for w, x in small.items())
        if cosine >= threshold:
            pairs.append((cosine, questions[i].id, questions[j].id))
    return sorted(pairs, reverse=True)


def key_length_rank(q: QuestionData) -> int | None:
    """1 when the single key is the longest choice, 2 the second longest, ... (ties shared)."""
    correct = [c for c in q.choices if c.correct]
    if q.type != "single" or len(correct) != 1:
        return None
    key = len(correct[0].text)
    return 1 + sum(1 for c in q.choices if not c.correct and len(c.text) > key)


def cue_report(questions: list[QuestionData]) -> list[str]:
    """Figures for the answer cues review found (issue 15); reported, not yet enforced."""
    lines = []
    ranks = Counter(r for q in questions for r in [key_length_rank(q)] if r is not None)
    total = sum(ranks.values())
    if total:
        lines.append("single questions, the key's length rank among the choices (1 = longest): "
                     + ", ".join(f"{r}: {_share(ranks[r], total)}" for r in sorted(ranks)))
    multiple = [q for q in questions if q.type == "multiple"]
    if multiple:
        counts = Counter(sum(c.correct for c in q.choices) for q in multiple)
        first = sum(1 for q in multiple if q.choices[0].correct)
        prefix = sum(1 for q in multiple
                     if [c.correct for c in q.choices] == sorted(
                         (c.correct for c in q.choices), reverse=True))
        lines.append("multiple questions, correct choices per question: " + ", ".join(
            f"{k}: {counts[k]}" for k in sorted(counts)) + f"; choice A correct: "
            f"{_share(first, len(multiple))}; the correct set is the first k choices: "
            f"{_share(prefix, len(multiple))}")
    tf = [q for q in questions if q.type == "true_false"]
    if tf:
        true_keys = sum(1 for q in tf for c in q.choices if c.correct and c.text == "True")
        lines.append(f"true/false keys: True {true_keys}, False {len(tf) - true_keys}")
    pairs = semantic_pairs(questions)
    lines.append(f"semantic near-duplicates (TF-IDF cosine of stem + key >= "
                 f"{SEMANTIC_THRESHOLD}): {len(pairs)} pairs")
    lines += [f"  {cos:.2f} {a} ~ {b}" for cos, a, b in pairs[:40]]
    return lines


def _share(n: int, total: int) -> str:
    return f"{n} ({n / total:.0%})" if total else "0"


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
        f"{t}: {_share(types.get(t, 0), total)}" for t in ("single", "multiple", "true_false")))
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
    return lines + cue_report(questions)
