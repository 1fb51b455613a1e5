"""Field-by-field comparison of two versions of a question, for the version history page.

Pure Python (difflib), no Django: the caller passes each version's `content` (the bank's YAML
shape) and renders the result. Each field becomes text; texts are compared line by line, and a
changed block of lines word by word, so a one-word edit in a long stem shows as one word, not
as the whole paragraph removed and added again.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Literal

Op = Literal["equal", "delete", "insert"]

# Word-level comparison is quadratic in the worst case: a changed block longer than this (in
# words and spaces, per side) is shown as removed and added whole. The bank's longest text (an
# artifact of 12,000 characters) is about 4,000 tokens.
MAX_WORD_DIFF_TOKENS = 2_000
TOKEN = re.compile(r"\s+|\w+|[^\w\s]")

# The order fields are shown in, and their labels.
FIELDS: tuple[tuple[str, str], ...] = (
    ("stem", "Stem"),
    ("artifact", "Artifact"),
    ("choices", "Choices"),
    ("key", "Key"),
    ("misconceptions", "Misconceptions"),
    ("explanation", "Explanation"),
    ("type", "Type"),
    ("style", "Style"),
    ("difficulty", "Difficulty"),
    ("topics", "Topics"),
    ("resources", "Resources"),
    ("atlas", "MITRE ATLAS"),
    ("checked", "Checked"),
    ("checked_against", "Checked against"),
)


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    segments: tuple[Segment, ...]

    @property
    def changed(self) -> bool:
        return any(s.op != "equal" for s in self.segments)


def _choices(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in content.get("choices") or [] if isinstance(c, dict)]


def field_texts(content: dict[str, Any]) -> dict[str, str]:
    """Each field of a version as the text compared and shown (one item a line for lists)."""
    choices = _choices(content)
    artifact = content.get("artifact") or {}
    resources = [r for r in content.get("resources") or [] if isinstance(r, dict)]
    return {
        "stem": str(content.get("stem") or "").strip(),
        "artifact": (f"[{artifact.get('kind', '')}]\n{artifact.get('content', '')}".strip()
                     if artifact else ""),
        "choices": "\n".join(f"{i}. {c.get('text', '')}" for i, c in enumerate(choices, 1)),
        "key": "\n".join(f"{i}. {c.get('text', '')}" for i, c in enumerate(choices, 1)
                         if c.get("correct")),
        "misconceptions": "\n".join(f"{i}. {c['misconception']}"
                                    for i, c in enumerate(choices, 1) if c.get("misconception")),
        "explanation": str(content.get("explanation") or "").strip(),
        "type": str(content.get("type") or ""),
        "style": str(content.get("style") or ""),
        "difficulty": str(content.get("difficulty") or ""),
        "topics": "\n".join(str(t) for t in content.get("topics") or []),
        "resources": "\n".join(f"{r.get('slug', '')}: {r.get('locator', '')}".rstrip(": ")
                               for r in resources),
        "atlas": "\n".join(str(a) for a in content.get("atlas") or []),
        "checked": str(content.get("checked") or ""),
        "checked_against": str(content.get("checked_against") or ""),
    }


def _merge(segments: list[Segment]) -> tuple[Segment, ...]:
    """Adjacent segments of the same kind as one (fewer, longer <del>/<ins> runs)."""
    out: list[Segment] = []
    for s in segments:
        if not s.text:
            continue
        if out and out[-1].op == s.op:
            out[-1] = Segment(s.op, out[-1].text + s.text)
        else:
            out.append(s)
    return tuple(out)


def _slide(segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
    """An insertion or deletion that starts with the space the kept text after it also starts
    with is moved one character on ("3.[+ Reworded:] Pickle" reads "3. [+Reworded: ]Pickle"):
    the same change, marked where a reader expects it."""
    out = list(segments)
    for i in range(1, len(out) - 1):
        before, change, after = out[i - 1], out[i], out[i + 1]
        if (change.op != "equal" and before.op == "equal" and after.op == "equal"
                and change.text[:1].isspace() and after.text[:1] == change.text[:1]):
            c = change.text[0]
            out[i - 1] = Segment("equal", before.text + c)
            out[i] = Segment(change.op, change.text[1:] + c)
            out[i + 1] = Segment("equal", after.text[1:])
    return tuple(s for s in out if s.text)


def _word_diff(old: str, new: str) -> list[Segment]:
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    if len(a) > MAX_WORD_DIFF_TOKENS or len(b) > MAX_WORD_DIFF_TOKENS:
        return [Segment("delete", old), Segment("insert", new)]
    out: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(Segment("equal", "".join(a[i1:i2])))
            continue
        # Removed text first, then added: read aloud or in grey, "was X, is now Y".
        out.append(Segment("delete", "".join(a[i1:i2])))
        out.append(Segment("insert", "".join(b[j1:j2])))
    return out


def text_diff(old: str, new: str) -> tuple[Segment, ...]:
    """`old` to `new` as segments: kept, removed and added text, in reading order. Joining the
    equal and delete segments gives `old`; the equal and insert ones give `new`."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    out: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(Segment("equal", "".join(a[i1:i2])))
        elif tag == "replace":
            out.extend(_word_diff("".join(a[i1:i2]), "".join(b[j1:j2])))
        else:
            out.append(Segment("delete", "".join(a[i1:i2])))
            out.append(Segment("insert", "".join(b[j1:j2])))
    return _slide(_merge(out))


def version_field_diff(old: dict[str, Any], new: dict[str, Any]) -> list[FieldDiff]:
    """Every field of two versions' contents, in display order, with what changed. A field
    empty in both is left out."""
    before, after = field_texts(old), field_texts(new)
    out = []
    for name, label in FIELDS:
        if not before[name] and not after[name]:
            continue
        out.append(FieldDiff(name=name, label=label,
                             segments=text_diff(before[name], after[name])))
    return out
