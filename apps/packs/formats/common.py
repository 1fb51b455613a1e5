"""What every exchange format shares: the parsed item and the artifact-in-stem convention.

Items are dicts in the bank's YAML shape (see apps.bank.bankfile.QuestionData.content), so one
validator (`validate_question`) judges every format. Pure Python: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from apps.bank.bankfile import ARTIFACT_KINDS

# Every field of a bank question; a format lists the ones it cannot carry.
ALL_FIELDS = ("id", "type", "style", "difficulty", "topics", "resources", "stem", "artifact",
              "choices", "explanation", "status")
ARTIFACT_INFO = "artifact:"


@dataclass
class ParsedItem:
    line: int  # 1-based line where the question starts in the uploaded file
    data: dict[str, Any]
    not_carried: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # line of each key, when known


@dataclass
class ParseResult:
    items: list[ParsedItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "line: message"


def stem_with_artifact(content: dict[str, Any]) -> str:
    """The stem with the artifact appended as a fenced code block whose info string names the
    kind (```artifact:pickle-disassembly), fenced longer than any backtick run inside it."""
    stem = content["stem"].rstrip("\n")
    artifact = content.get("artifact")
    if not artifact:
        return stem
    body = artifact["content"].rstrip("\n")
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{stem}\n\n{fence}{ARTIFACT_INFO}{artifact['kind']}\n{body}\n{fence}"


def split_artifact(stem: str) -> tuple[str, dict[str, str] | None]:
    """Undo stem_with_artifact: (stem, artifact or None). A fence with an unknown kind stays
    part of the stem. Linear in the stem's length: string searches, no backtracking regex (a
    regex here was quadratic on stems full of newlines)."""
    plain = stem.rstrip("\n") + "\n", None
    text = stem.rstrip()
    last_newline = text.rfind("\n")
    fence = text[last_newline + 1:]
    if last_newline < 0 or len(fence) < 3 or fence.strip("`"):
        return plain
    opener = fence + ARTIFACT_INFO
    at = text.find(opener)
    while at > 0 and text[at - 1] != "\n":  # the opening fence starts a line
        at = text.find(opener, at + 1)
    if at < 0 or at >= last_newline:
        return plain
    line_end = text.find("\n", at)
    kind = text[at + len(opener):line_end]
    if kind not in ARTIFACT_KINDS or line_end >= last_newline:
        return plain
    return (text[:at].rstrip("\n") + "\n",
            {"kind": kind, "content": text[line_end + 1:last_newline] + "\n"})


def text_block(value: str) -> str:
    """Text as the bank stores it: stripped, one trailing newline (empty stays empty)."""
    value = value.strip()
    return value + "\n" if value else ""
