"""The bank's own YAML question-file format (questions/README.md) as an upload: carries every
field. Reuses apps.bank.bankfile's reader so YAML tags and duplicate keys are refused the same
way `loadbank` refuses them."""

from __future__ import annotations

from typing import Any

import yaml

from apps.bank import bankfile
from apps.bank.export import canonical_question_file
from apps.packs.formats.common import ParsedItem, ParseResult


def export_questions(questions: list[dict[str, Any]]) -> str:
    return canonical_question_file(questions)


def parse(text: str) -> ParseResult:
    result = ParseResult()
    errors: list[str] = []
    node = bankfile._compose(text, "", errors)
    if node is None:
        result.errors = [e.lstrip(":") for e in errors] or ["1: the file is empty"]
        return result
    if not isinstance(node, yaml.SequenceNode):
        result.errors.append(f"{node.start_mark.line + 1}: the file must be a YAML list of "
                             "questions")
        return result
    data = bankfile._to_python(node, "", errors)
    if errors:
        result.errors = [e.lstrip(":") for e in errors]
        return result
    for item, child in zip(data, node.value, strict=True):
        line = child.start_mark.line + 1
        if not isinstance(item, dict):
            result.errors.append(f"{line}: each question must be a mapping")
            continue
        result.items.append(ParsedItem(line=line, data=item, lines=bankfile._lines(child)))
    return result
