"""Moodle GIFT, both directions: multichoice (single and multiple with fractions) and truefalse.
GIFT has no "find the line" or ordering question: those are left out of an export, and the
preview lists them (`carried`).

GIFT carries the id (question title), main topic ($CATEGORY), stem with the artifact as a code
block, choices, key, per-choice feedback (misconceptions) and general feedback (explanation).
It cannot carry style, difficulty, resources, further topics or status. Every text is written on
one line with Moodle's escapes (\\n for a newline), so a blank line always separates questions.
"""

from __future__ import annotations

import re
from typing import Any

from apps.packs.formats.common import ParsedItem, ParseResult, split_artifact, stem_with_artifact

NOT_CARRIED = ["style", "difficulty", "resources", "topics (beyond the main topic)", "atlas",
               "checked", "checked_against", "status"]
_SPECIAL = "~=#{}:"
CARRIED_TYPES = ("single", "multiple", "true_false")


def carried(question: dict[str, Any]) -> bool:
    return question.get("type") in CARRIED_TYPES


def escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for ch in _SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


def unescape(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _fraction(n_correct: int) -> str:
    return f"{100 / n_correct:.5f}".rstrip("0").rstrip(".")


def export_questions(questions: list[dict[str, Any]]) -> str:
    """GIFT text for bank-shaped question dicts, grouped under a $CATEGORY per main topic."""
    lines: list[str] = ["// Exported from the AI supply-chain security arena (GIFT).", ""]
    category = None
    for q in (q for q in questions if carried(q)):
        if q["topics"][0] != category:
            category = q["topics"][0]
            lines += [f"$CATEGORY: $course$/top/{category}", ""]
        head = f"::{escape(q['id'])}::[markdown]{escape(stem_with_artifact(q))}"
        general = f"####{escape(q['explanation'].rstrip())}" if q.get("explanation") else ""
        choices = q["choices"]
        if q["type"] == "true_false":
            key = next(c["text"] for c in choices if c.get("correct"))
            wrong = next(c for c in choices if not c.get("correct"))
            lines.append(f"{head} {{{'TRUE' if key == 'True' else 'FALSE'}"
                         f"#{escape(wrong.get('misconception', ''))}{general}}}")
        else:
            lines.append(head + " {")
            n_correct = sum(1 for c in choices if c.get("correct"))
            for c in choices:
                if q["type"] == "single":
                    mark = "=" if c.get("correct") else "~"
                else:
                    mark = f"~%{_fraction(n_correct)}%" if c.get("correct") else "~%-100%"
                feedback = f"#{escape(c['misconception'])}" if c.get("misconception") else ""
                lines.append(f"\t{mark}{escape(c['text'])}{feedback}")
            if general:
                lines.append(f"\t{general}")
            lines.append("}")
        lines.append("")
    return "\n".join(lines)


def _split_unescaped(text: str, sep: str) -> list[str]:
    """Split on `sep` where it is not escaped by a backslash."""
    parts, current, i = [], [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            current.append(text[i:i + 2])
            i += 2
            continue
        if text.startswith(sep, i):
            parts.append("".join(current))
            current = []
            i += len(sep)
            continue
        current.append(text[i])
        i += 1
    parts.append("".join(current))
    return parts


def _find_unescaped(text: str, chars: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in chars:
            return i
        i += 1
    return -1


def _blocks(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each blank-line-separated block, comments dropped."""
    blocks, current, start = [], [], 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            if current:
                blocks.append((start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def parse(text: str) -> ParseResult:
    result = ParseResult()
    category = ""
    for line, block in _blocks(text):
        stripped = block.strip()
        if stripped.startswith("$CATEGORY:"):
            category = stripped[len("$CATEGORY:"):].strip().rstrip("/").rsplit("/", 1)[-1]
            continue
        item = _parse_question(line, stripped, category, result.errors)
        if item is not None:
            result.items.append(item)
    return result


def _parse_question(line: int, block: str, category: str, errors: list[str]) -> ParsedItem | None:
    data: dict[str, Any] = {}
    rest = block
    if rest.startswith("::"):
        end = rest.find("::", 2)
        while end != -1 and rest[end - 1] == "\\":
            end = rest.find("::", end + 1)
        if end == -1:
            errors.append(f"{line}: the question title is not closed with '::'")
            return None
        data["id"] = unescape(rest[2:end]).strip()
        rest = rest[end + 2:]
    else:
        errors.append(f"{line}: a question needs a title (::id::) to be imported")
        return None
    open_at = _find_unescaped(rest, "{")
    close_at = _find_unescaped(rest, "}", open_at + 1) if open_at != -1 else -1
    if open_at == -1 or close_at == -1:
        errors.append(f"{line}: question {data['id']!r} has no answer block {{...}}")
        return None
    if rest[close_at + 1:].strip():
        errors.append(f"{line}: question {data['id']!r}: text after the answer block is not "
                      "supported (missing-word questions cannot be imported)")
        return None
    stem = rest[:open_at].strip()
    stem = re.sub(r"^\[(markdown|html|plain|moodle)\]", "", stem)
    stem, artifact = split_artifact(unescape(stem).strip())
    data["stem"] = stem
    if artifact:
        data["artifact"] = artifact
    if category:
        data["topics"] = [category]
    answers = rest[open_at + 1:close_at].strip()
    general_parts = _split_unescaped(answers, "####")
    answers = general_parts[0].strip()
    data["explanation"] = (unescape(general_parts[1]).strip() + "\n"
                           if len(general_parts) > 1 and general_parts[1].strip() else "")
    key = _split_unescaped(answers, "#")
    truth = key[0].strip().upper()
    if truth in ("T", "TRUE", "F", "FALSE"):
        is_true = truth.startswith("T")
        wrong_feedback = unescape(key[1]).strip() if len(key) > 1 else ""
        data["type"] = "true_false"
        data["choices"] = [
            {"text": "True", **({"correct": True} if is_true else
                                {"misconception": wrong_feedback})},
            {"text": "False", **({"correct": True} if not is_true else
                                 {"misconception": wrong_feedback})},
        ]
        return ParsedItem(line=line, data=data, not_carried=list(NOT_CARRIED))
    choices, kinds = [], set()
    for raw in _split_answers(answers):
        mark, body = raw[0], raw[1:]
        fraction = None
        match = re.match(r"%(-?\d+(?:\.\d+)?)%", body)
        if match:
            fraction = float(match.group(1))
            body = body[match.end():]
        text, *feedback = _split_unescaped(body, "#")
        if fraction is not None:
            kinds.add("multiple")
            correct = fraction > 0
        else:
            kinds.add("single")
            correct = mark == "="
        choice: dict[str, Any] = {"text": unescape(text).strip()}
        if correct:
            choice["correct"] = True
        if feedback and unescape(feedback[0]).strip():
            choice["misconception"] = unescape(feedback[0]).strip()
        choices.append(choice)
    if not choices:
        errors.append(f"{line}: question {data['id']!r} has no choices (only multichoice and "
                      "true/false questions can be imported)")
        return None
    data["type"] = "multiple" if "multiple" in kinds else "single"
    data["choices"] = choices
    return ParsedItem(line=line, data=data, not_carried=list(NOT_CARRIED))


def _split_answers(answers: str) -> list[str]:
    """Each answer starts at an unescaped `=` or `~`."""
    starts, i = [], 0
    while i < len(answers):
        if answers[i] == "\\":
            i += 2
            continue
        if answers[i] in "=~":
            starts.append(i)
        i += 1
    return [answers[a:b].strip() for a, b in zip(starts, starts[1:] + [len(answers)], strict=True)]
