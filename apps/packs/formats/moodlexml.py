"""Moodle XML, both directions: multichoice (single and multiple with fractions), truefalse and
ordering (Moodle's ordering question type: the items in the right order, graded by the longest
ordered subset as this platform's accuracy mode does). Moodle has no "find the line" type: a
hotspot is written as a multichoice question whose choices are the artifact's lines ("Line 7:
..."), the key lines correct, with the tag `type:hotspot`, which turns it back into a hotspot on
import here (HOTSPOT_NOTE; the artifact stays in the question text).

Carries the id (name), stem with the artifact as a code block (markdown), choices, key,
per-choice feedback (misconceptions), general feedback (explanation), the main topic as the
category, and as tags: every topic (`topic:slug`), resources (`resource:slug=locator`),
difficulty (`difficulty:N`), style (`style:concept`), MITRE ATLAS ids (`atlas:AML.T0010.003`) and
when the facts were checked (`checked:2026-12`, `checked_against:...`; Moodle itself keeps tags of
up to 255 characters). It cannot carry status.

Parsing never resolves entities or fetches anything: a document with a DOCTYPE (where entity
definitions live) is refused before it reaches the parser. (defusedxml is not a dependency;
the stdlib parser with this check refuses the same billion-laughs and external-entity files.)
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from apps.packs.formats.common import ParsedItem, ParseResult, split_artifact, stem_with_artifact

NOT_CARRIED = ["status"]
HOTSPOT_NOTE = "line picking (Moodle shows the lines as multiple-choice answers)"
_LINE_ANSWER = re.compile(r"^Line (\d{1,3}): ?(.*)$", re.S)
BLANK_LINE = "(blank line)"


def not_carried(question: dict[str, Any]) -> list[str]:
    """What this question holds that the file will not carry as itself."""
    return NOT_CARRIED + ([HOTSPOT_NOTE] if question.get("type") == "hotspot" else [])


def _hotspot_choices(q: dict[str, Any]) -> list[dict[str, Any]]:
    lines = (q.get("artifact") or {}).get("content", "").rstrip("\n").split("\n")
    key = set(q.get("key_lines") or ())
    notes = {n["line"]: n["misconception"] for n in q.get("line_notes") or ()}
    return [{"text": f"Line {n}: {line if line.strip() else BLANK_LINE}",
             **({"correct": True} if n in key else {}),
             **({"misconception": notes[n]} if n in notes else {})}
            for n, line in enumerate(lines, start=1)]


def _ordering(el: ET.Element, q: dict[str, Any]) -> None:
    """Moodle's ordering options (question/type/ordering): every item shown, vertically, graded
    by the longest ordered subset; each item's fraction is its place in the right order."""
    for tag, value in (("layouttype", "VERTICAL"), ("selecttype", "ALL"), ("selectcount", "0"),
                       ("gradingtype", "LONGEST_ORDERED_SUBSET"), ("showgrading", "SHOW"),
                       ("numberingstyle", "none")):
        ET.SubElement(el, tag).text = value
    for place, step in enumerate(q.get("steps") or [], start=1):
        answer = ET.SubElement(el, "answer", fraction=f"{place}.0000000", format="markdown")
        ET.SubElement(answer, "text").text = step
_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.I)


def _text_el(parent: ET.Element, tag: str, text: str, fmt: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if fmt:
        el.set("format", fmt)
    ET.SubElement(el, "text").text = text
    return el


def _fraction(n_correct: int) -> str:
    return f"{100 / n_correct:.5f}".rstrip("0").rstrip(".")


def export_questions(questions: list[dict[str, Any]]) -> str:
    quiz = ET.Element("quiz")
    category = None
    for q in questions:
        if q["topics"][0] != category:
            category = q["topics"][0]
            cat = ET.SubElement(quiz, "question", type="category")
            _text_el(cat, "category", f"$course$/top/{category}")
        is_tf = q["type"] == "true_false"
        kind = "truefalse" if is_tf else "ordering" if q["type"] == "ordering" else "multichoice"
        el = ET.SubElement(quiz, "question", type=kind)
        _text_el(el, "name", q["id"])
        _text_el(el, "questiontext", stem_with_artifact(q), "markdown")
        _text_el(el, "generalfeedback", q.get("explanation", "").rstrip("\n"), "markdown")
        ET.SubElement(el, "defaultgrade").text = "1"
        ET.SubElement(el, "penalty").text = "0" if is_tf else "0.3333333"
        ET.SubElement(el, "hidden").text = "0"
        choices = _hotspot_choices(q) if q["type"] == "hotspot" else q.get("choices") or []
        single = q["type"] == "single" or (
            q["type"] == "hotspot" and len(q.get("key_lines") or ()) == 1)
        if kind == "ordering":
            _ordering(el, q)
        elif not is_tf:
            ET.SubElement(el, "single").text = "true" if single else "false"
            ET.SubElement(el, "shuffleanswers").text = "false" if q["type"] == "hotspot" \
                else "true"
            ET.SubElement(el, "answernumbering").text = "none" if q["type"] == "hotspot" \
                else "abc"
        n_correct = sum(1 for c in choices if c.get("correct"))
        for c in choices:
            if is_tf:
                fraction = "100" if c.get("correct") else "0"
            elif c.get("correct"):
                fraction = "100" if single else _fraction(n_correct)
            else:
                fraction = "0" if single else "-100"
            answer = ET.SubElement(el, "answer", fraction=fraction,
                                   format="moodle_auto_format" if is_tf else "markdown")
            ET.SubElement(answer, "text").text = c["text"].lower() if is_tf else c["text"]
            _text_el(answer, "feedback", c.get("misconception", ""), "markdown")
        tags = ET.SubElement(el, "tags")
        values = [f"topic:{t}" for t in q["topics"]]
        values += [f"resource:{r['slug']}={r['locator']}" for r in q.get("resources", [])]
        values += [f"difficulty:{q['difficulty']}", f"style:{q['style']}"]
        values += [f"atlas:{a}" for a in q.get("atlas", [])]
        if q["type"] == "hotspot":
            values.append("type:hotspot")
        if q.get("checked"):
            values.append(f"checked:{q['checked']}")
        if q.get("checked_against"):
            values.append(f"checked_against:{q['checked_against']}")
        for value in values:
            _text_el(tags, "tag", value)
    ET.indent(quiz, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


def _child_text(el: ET.Element, tag: str) -> str:
    found = el.find(f"{tag}/text")
    return (found.text or "") if found is not None else ""


def _question_lines(text: str) -> list[int]:
    """The line of each <question>, counting newlines once over the text (linear)."""
    lines, line, counted = [], 1, 0
    for match in re.finditer(r"<question\b", text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        lines.append(line)
    return lines


def parse(text: str) -> ParseResult:
    result = ParseResult()
    doctype = _DOCTYPE.search(text)
    if doctype:
        line = text.count("\n", 0, doctype.start()) + 1
        result.errors.append(f"{line}: a DOCTYPE or entity declaration is not allowed (entities "
                             "are never expanded)")
        return result
    try:
        root = ET.fromstring(text)  # noqa: S314 (no DOCTYPE, so no entities: checked above)
    except ET.ParseError as exc:
        result.errors.append(f"{exc.position[0]}: invalid XML: {exc}")
        return result
    if root.tag != "quiz":
        result.errors.append("1: the root element must be <quiz>")
        return result
    lines = _question_lines(text)
    category = ""
    for index, el in enumerate(root.findall("question")):
        line = lines[index] if index < len(lines) else 1
        qtype = el.get("type", "")
        if qtype == "category":
            category = _child_text(el, "category").strip().rstrip("/").rsplit("/", 1)[-1]
            continue
        if qtype not in ("multichoice", "truefalse", "ordering"):
            result.errors.append(f"{line}: question type {qtype!r} cannot be imported (only "
                                 "multichoice, truefalse and ordering)")
            continue
        item = _parse_question(el, line, qtype, category, result.errors)
        if item is not None:
            result.items.append(item)
    return result


def _parse_question(el: ET.Element, line: int, qtype: str, category: str,
                    errors: list[str]) -> ParsedItem | None:
    data: dict[str, Any] = {"id": _child_text(el, "name").strip()}
    stem, artifact = split_artifact(_child_text(el, "questiontext").strip())
    data["stem"] = stem
    if artifact:
        data["artifact"] = artifact
    explanation = _child_text(el, "generalfeedback").strip()
    data["explanation"] = explanation + "\n" if explanation else ""
    topics, resources, not_carried = [], [], list(NOT_CARRIED)
    for tag in el.findall("tags/tag/text"):
        name, _, value = (tag.text or "").partition(":")
        value = value.strip()
        if name == "topic" and value:
            topics.append(value)
        elif name == "resource" and value:
            slug, _, locator = value.partition("=")
            resources.append({"slug": slug.strip(), "locator": locator.strip()})
        elif name == "difficulty":
            data["difficulty"] = int(value) if value.isdigit() else value
        elif name == "style":
            data["style"] = value
        elif name == "atlas" and value:
            data.setdefault("atlas", []).append(value)
        elif name in ("checked", "checked_against") and value:
            data[name] = value
        elif name == "type" and value == "hotspot":
            data["type"] = "hotspot"
    if not topics and category:
        topics = [category]
    if topics:
        data["topics"] = topics
    if resources:
        data["resources"] = resources
    for key in ("difficulty", "style", "resources"):
        if key not in data:
            not_carried.append(key)
    if qtype == "ordering":
        return _parse_ordering(el, line, data, not_carried, errors)
    choices = []
    for answer in el.findall("answer"):
        try:
            fraction = float(answer.get("fraction", "0"))
        except ValueError:
            errors.append(f"{line}: question {data['id']!r}: an answer's fraction is not a number")
            return None
        text = (answer.findtext("text") or "").strip()
        if qtype == "truefalse":
            text = {"true": "True", "false": "False"}.get(text.lower(), text)
        choice: dict[str, Any] = {"text": text}
        if fraction > 0:
            choice["correct"] = True
        feedback = _child_text(answer, "feedback").strip()
        if feedback:
            choice["misconception"] = feedback
        choices.append(choice)
    if data.get("type") == "hotspot":
        return _as_hotspot(line, data, choices, not_carried, errors)
    data["choices"] = choices
    if qtype == "truefalse":
        data["type"] = "true_false"
    else:
        data["type"] = "single" if (el.findtext("single") or "true").strip() == "true" else "multiple"
    return ParsedItem(line=line, data=data, not_carried=not_carried)


def _parse_ordering(el: ET.Element, line: int, data: dict[str, Any], not_carried: list[str],
                    errors: list[str]) -> ParsedItem | None:
    """Moodle's ordering question: the items sorted by their fraction (their right place)."""
    placed = []
    for answer in el.findall("answer"):
        try:
            place = float(answer.get("fraction", "0"))
        except ValueError:
            errors.append(f"{line}: question {data['id']!r}: an item's place is not a number")
            return None
        placed.append((place, (answer.findtext("text") or "").strip()))
    data["type"] = "ordering"
    data["steps"] = [text for _, text in sorted(placed, key=lambda p: p[0])]
    return ParsedItem(line=line, data=data, not_carried=not_carried)


def _as_hotspot(line: int, data: dict[str, Any], choices: list[dict[str, Any]],
                not_carried: list[str], errors: list[str]) -> ParsedItem | None:
    """A multichoice tagged type:hotspot, as this module writes a hotspot: "Line N: text"
    answers back into key lines and line notes (the artifact came back with the stem)."""
    key, notes = [], []
    for choice in choices:
        match = _LINE_ANSWER.match(choice["text"])
        if not match:
            errors.append(f"{line}: question {data['id']!r}: a hotspot's answers must read "
                          f"'Line N: ...', got {choice['text'][:40]!r}")
            return None
        number = int(match.group(1))
        if choice.get("correct"):
            key.append(number)
        elif choice.get("misconception"):
            notes.append({"line": number, "misconception": choice["misconception"]})
    data["key_lines"], data["line_notes"] = key, notes
    return ParsedItem(line=line, data=data, not_carried=not_carried)
