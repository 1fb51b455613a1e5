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


_ARTIFACT_RE = re.compile(
    r"\n*(?P<fence>`{3,})" + re.escape(ARTIFACT_INFO) + r"(?P<kind>[a-z-]+)\n(?P<body>.*)\n"
    r"(?P=fence)\s*\Z", re.S)


def split_artifact(stem: str) -> tuple[str, dict[str, str] | None]:
    """Undo stem_with_artifact: (stem, artifact or None). A fence with an unknown kind stays
    part of the stem."""
    match = _ARTIFACT_RE.search(stem)
    if not match or match.group("kind") not in ARTIFACT_KINDS:
        return stem.rstrip("\n") + "\n", None
    return (stem[: match.start()].rstrip("\n") + "\n",
            {"kind": match.group("kind"), "content": match.group("body") + "\n"})


def text_block(value: str) -> str:
    """Text as the bank stores it: stripped, one trailing newline (empty stays empty)."""
    value = value.strip()
    return value + "\n" if value else ""
