"""Reading and validating the question bank's YAML files.

This module is deliberately free of Django so that authors can validate the bank with nothing but
PyYAML (`python -m apps.bank.bankfile questions/`). `loadbank`, `checkbank` and the instructors'
import all call `read_bank()`, so there is one home for the format's rules.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from apps.bank import atlas as atlas_list
from apps.bank import limits

QUESTION_TYPES = ("single", "multiple", "true_false", "hotspot", "ordering")
# Types whose learner picks among written choices; "hotspot" picks lines of its artifact
# ("find the line") and "ordering" puts its steps in order. Internally both keep their lines or
# steps as choices (a line's position is its line number - 1; a step's position is its place in
# the right order), so that the deal, the opaque keys, the presenter and the statistics of every
# play mode serve all five types.
CHOICE_TYPES = ("single", "multiple", "true_false")
STYLES = ("concept", "scenario")
DIFFICULTIES = (1, 2, 3)
ARTIFACT_KINDS = (
    "pickle-disassembly",
    "safetensors-header",
    "model-card",
    "sbom",
    "provenance",
    "workflow",
    "log",
    "code",
    "config",
    "digest",
    "signature-bundle",
    "advisory",
)
RESOURCE_KINDS = ("paper", "docs", "research", "framework", "tool", "database")
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_CHOICES = 6
# MITRE ATLAS ids: techniques and sub-techniques (AML.T0010, AML.T0010.003), mitigations
# (AML.M0014) and case studies (AML.CS0031). Their existence is checked against the vendored list.
ATLAS_ID_RE = re.compile(r"^AML\.(T\d{4}(\.\d{3})?|M\d{4}|CS\d{4})$")
# When a question's facts were last checked against its sources: a year and a month.
CHECKED_RE = re.compile(r"^20\d\d-(0[1-9]|1[0-2])$")

QUESTION_KEYS = {"id", "type", "style", "difficulty", "topics", "resources", "stem", "artifact",
                 "choices", "key_lines", "line_notes", "steps", "explanation", "atlas", "checked",
                 "checked_against", "status"}
REQUIRED_QUESTION_KEYS = ("id", "type", "style", "difficulty", "topics", "stem")
# What each type answers with, besides the common keys: the only key of these a question may carry.
ANSWER_KEYS = {"single": ("choices",), "multiple": ("choices",), "true_false": ("choices",),
               "hotspot": ("key_lines", "line_notes"), "ordering": ("steps",)}
LINE_NOTE_KEYS = {"line", "misconception"}
CHOICE_KEYS = {"text", "correct", "misconception"}
RESOURCE_REF_KEYS = {"slug", "locator"}
ARTIFACT_KEYS = {"kind", "content"}
RESOURCE_KEYS = {"slug", "title", "publisher", "year", "url", "kind", "superseded"}
TOPIC_KEYS = {"slug", "name", "description"}
# Statuses a bank file may state. Absent means published: the repository's bank is reviewed.
FILE_STATUSES = ("draft", "review", "published", "retired")

RESOURCES_FILE = "resources.yaml"
TOPICS_FILE = "topics.yaml"
# Question pairs an instructor judged distinct although the semantic-duplicate rule flags them
# (read by checkbank: apps.bank.lint.read_distinct_pairs); not a question file.
DISTINCT_PAIRS_FILE = "distinct-pairs.yaml"
NOT_QUESTION_FILES = (RESOURCES_FILE, TOPICS_FILE, DISTINCT_PAIRS_FILE)


class BankError(Exception):
    """Raised with every problem found, each as `file:line: message`."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ChoiceData:
    text: str
    correct: bool
    misconception: str


@dataclass(frozen=True)
class QuestionData:
    id: str
    type: str
    style: str
    difficulty: int
    topics: tuple[str, ...]
    resources: tuple[tuple[str, str], ...]  # (slug, locator)
    stem: str
    artifact_kind: str
    artifact_content: str
    choices: tuple[ChoiceData, ...]
    explanation: str
    status: str
    source: str  # "file:line" where the question starts
    atlas: tuple[str, ...] = ()  # MITRE ATLAS ids the question is about
    checked: str = ""  # "YYYY-MM": when its facts were last checked against the sources
    checked_against: str = ""  # what was checked: versions, commits, dates of the sources

    def content(self) -> dict[str, Any]:
        """The question as a plain dict in the bank's YAML shape (for hashing and export)."""
        out: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "style": self.style,
            "difficulty": self.difficulty,
            "topics": list(self.topics),
            "resources": [{"slug": s, "locator": loc} for s, loc in self.resources],
            "stem": self.stem,
        }
        if self.artifact_kind:
            out["artifact"] = {"kind": self.artifact_kind, "content": self.artifact_content}
        if self.type == "hotspot":
            out["key_lines"] = [n for n, c in enumerate(self.choices, start=1) if c.correct]
            out["line_notes"] = [{"line": n, "misconception": c.misconception}
                                 for n, c in enumerate(self.choices, start=1) if c.misconception]
        elif self.type == "ordering":
            out["steps"] = [c.text for c in self.choices]
        else:
            choices = []
            for c in self.choices:
                choice: dict[str, Any] = {"text": c.text}
                if c.correct:
                    choice["correct"] = True
                if c.misconception:
                    choice["misconception"] = c.misconception
                choices.append(choice)
            out["choices"] = choices
        out["explanation"] = self.explanation
        if self.atlas:
            out["atlas"] = list(self.atlas)
        if self.checked:
            out["checked"] = self.checked
        if self.checked_against:
            out["checked_against"] = self.checked_against
        if self.status != "published":
            out["status"] = self.status
        return out


@dataclass(frozen=True)
class ResourceData:
    slug: str
    title: str
    publisher: str
    year: int | None
    url: str
    kind: str
    # Non-empty when the page was withdrawn or replaced: why, and what to cite instead. Questions
    # citing it are listed by checkbank (and fail it with --strict).
    superseded: str = ""


@dataclass(frozen=True)
class TopicData:
    slug: str
    name: str
    description: str


@dataclass
class Bank:
    resources: list[ResourceData] = field(default_factory=list)
    topics: list[TopicData] = field(default_factory=list)
    questions: list[QuestionData] = field(default_factory=list)


# --- YAML with line numbers -------------------------------------------------------------------


MAX_YAML_DEPTH = 20  # a question file nests 4 deep; PyYAML's composer recurses per level


def _refuse_aliases_and_depth(text: str, name: str, errors: list[str]) -> bool:
    """Scan the event stream (PyYAML's parser is iterative) before composing: anchors and
    aliases are refused outright (a few hundred bytes of nested aliases expand to gigabytes),
    and so is nesting deeper than MAX_YAML_DEPTH (the recursive composer would overflow the
    stack). Returns True when the text may be composed."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            errors.append(f"{name}:{line}: YAML anchors and aliases are not allowed")
            return False
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                errors.append(f"{name}:{line}: YAML nested deeper than {MAX_YAML_DEPTH} "
                              "levels is not allowed")
                return False
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return True


def _compose(text: str, name: str, errors: list[str]) -> yaml.Node | None:
    try:
        if not _refuse_aliases_and_depth(text, name, errors):
            return None
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        errors.append(f"{name}:{line}: invalid YAML: {exc.problem or exc}")
    except yaml.YAMLError as exc:
        errors.append(f"{name}:1: invalid YAML: {exc}")
    return None


def _to_python(node: yaml.Node, name: str, errors: list[str]) -> Any:
    """Convert a node into plain Python, refusing tags other than the core schema's and
    duplicate keys (which PyYAML would otherwise silently overwrite)."""
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        if node.tag in _SCALAR_TAGS:
            return _construct_scalar(node)
        errors.append(f"{name}:{line}: YAML tag {node.tag!r} is not allowed")
        return None
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            errors.append(f"{name}:{line}: YAML tag {node.tag!r} is not allowed")
            return None
        return [_to_python(child, name, errors) for child in node.value]
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            errors.append(f"{name}:{line}: YAML tag {node.tag!r} is not allowed")
            return None
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _to_python(key_node, name, errors)
            if not isinstance(key, str):
                errors.append(f"{name}:{key_node.start_mark.line + 1}: keys must be strings")
                continue
            if key in out:
                errors.append(f"{name}:{key_node.start_mark.line + 1}: duplicate key {key!r}")
                continue
            out[key] = _to_python(value_node, name, errors)
        return out
    errors.append(f"{name}:{line}: unsupported YAML node")
    return None


_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "bool", "null", "float")}
_LOADER = yaml.SafeLoader("")


def _construct_scalar(node: yaml.ScalarNode) -> Any:
    try:
        return _LOADER.construct_object(node)
    finally:
        _LOADER.constructed_objects.clear()


def _lines(node: yaml.Node) -> dict[str, int]:
    """Line of each key's value in a mapping node (1-based)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v.start_mark.line + 1 for k, v in node.value if isinstance(k, yaml.ScalarNode)}


# --- Validation -------------------------------------------------------------------------------


def _nonempty_str(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _check_keys(
    data: dict, allowed: set[str], where: str, errors: list[str], what: str
) -> None:
    for key in data:
        if key not in allowed:
            errors.append(f"{where}: unknown key {key!r} in {what}")


def _read_list_file(path: Path, display: str, errors: list[str]) -> tuple[list, yaml.Node | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        errors.append(f"{display}:1: file is not valid UTF-8")
        return [], None
    except OSError as exc:
        errors.append(f"{display}:1: cannot read file: {exc.strerror}")
        return [], None
    node = _compose(text, display, errors)
    if node is None:
        if not errors:  # an empty file is an empty list
            return [], None
        return [], None
    if not isinstance(node, yaml.SequenceNode):
        errors.append(f"{display}:{node.start_mark.line + 1}: the file must be a YAML list")
        return [], None
    local: list[str] = []
    data = _to_python(node, display, local)
    errors.extend(local)
    if local:
        return [], None
    return data, node


def read_resources(path: Path, display: str, errors: list[str]) -> list[ResourceData]:
    data, node = _read_list_file(path, display, errors)
    out: list[ResourceData] = []
    seen: set[str] = set()
    for i, item in enumerate(data):
        item_node = node.value[i]
        where = f"{display}:{item_node.start_mark.line + 1}"
        if not isinstance(item, dict):
            errors.append(f"{where}: each resource must be a mapping")
            continue
        _check_keys(item, RESOURCE_KEYS, where, errors, "resource")
        slug = item.get("slug")
        if not (isinstance(slug, str) and SLUG_RE.match(slug)):
            errors.append(f"{where}: resource slug must be lowercase words joined by '-'")
            continue
        if slug in seen:
            errors.append(f"{where}: duplicate resource slug {slug!r}")
        seen.add(slug)
        for key in ("title", "publisher", "url"):
            if not _nonempty_str(item.get(key)):
                errors.append(f"{where}: resource {slug!r} needs a {key}")
        url = item.get("url", "")
        if isinstance(url, str) and not url.startswith(("https://", "http://")):
            errors.append(f"{where}: resource {slug!r} url must start with https://")
        year = item.get("year")
        if year is not None and not (isinstance(year, int) and 1900 <= year <= 2100):
            errors.append(f"{where}: resource {slug!r} year must be a four-digit year")
        if item.get("kind") not in RESOURCE_KINDS:
            errors.append(f"{where}: resource {slug!r} kind must be one of {', '.join(RESOURCE_KINDS)}")
        superseded = item.get("superseded", "")
        if not isinstance(superseded, str) or ("superseded" in item and not superseded.strip()):
            errors.append(f"{where}: resource {slug!r} superseded must say why and what replaces "
                          "it")
            superseded = ""
        message = limits.too_long("superseded", superseded, limits.SUPERSEDED)
        if message:
            errors.append(f"{where}: resource {slug!r}: {message}")
        out.append(ResourceData(slug=slug, title=str(item.get("title", "")),
                                publisher=str(item.get("publisher", "")), year=year,
                                url=str(url), kind=str(item.get("kind", "")),
                                superseded=superseded.strip()))
    return out


def read_topics(path: Path, display: str, errors: list[str]) -> list[TopicData]:
    data, node = _read_list_file(path, display, errors)
    out: list[TopicData] = []
    seen: set[str] = set()
    for i, item in enumerate(data):
        where = f"{display}:{node.value[i].start_mark.line + 1}"
        if not isinstance(item, dict):
            errors.append(f"{where}: each topic must be a mapping")
            continue
        _check_keys(item, TOPIC_KEYS, where, errors, "topic")
        slug = item.get("slug")
        if not (isinstance(slug, str) and SLUG_RE.match(slug)):
            errors.append(f"{where}: topic slug must be lowercase words joined by '-'")
            continue
        if slug in seen:
            errors.append(f"{where}: duplicate topic slug {slug!r}")
        seen.add(slug)
        for key in ("name", "description"):
            if not _nonempty_str(item.get(key)):
                errors.append(f"{where}: topic {slug!r} needs a {key}")
        out.append(TopicData(slug=slug, name=str(item.get("name", "")),
                             description=str(item.get("description", ""))))
    return out


def _check_lengths(item: dict, label: str, at, errors: list[str]) -> None:
    """Every text within its limit (apps.bank.limits), each error naming the field."""

    def check(key: str, what: str, value: Any, limit: int) -> None:
        message = limits.too_long(what, value, limit)
        if message:
            errors.append(f"{at(key)}: {label}: {message}")

    check("id", "the id", item.get("id"), limits.ID)
    check("stem", "the stem", item.get("stem"), limits.STEM)
    check("explanation", "the explanation", item.get("explanation"), limits.EXPLANATION)
    check("checked_against", "checked_against", item.get("checked_against"), limits.CHECKED_AGAINST)
    atlas = item.get("atlas")
    if isinstance(atlas, list) and len(atlas) > limits.MAX_ATLAS:
        errors.append(f"{at('atlas')}: {label}: at most {limits.MAX_ATLAS} ATLAS ids, got {len(atlas)}")
    artifact = item.get("artifact")
    if isinstance(artifact, dict):
        check("artifact", "the artifact", artifact.get("content"), limits.ARTIFACT)
    for key, limit in (("topics", limits.MAX_TOPICS), ("resources", limits.MAX_RESOURCES)):
        value = item.get(key)
        if isinstance(value, list) and len(value) > limit:
            errors.append(f"{at(key)}: {label}: at most {limit} {key}, got {len(value)}")
    for ref in item.get("resources") or []:
        if isinstance(ref, dict):
            check("resources", "a locator", ref.get("locator"), limits.LOCATOR)
    for n, choice in enumerate(item.get("choices") or [], start=1):
        if isinstance(choice, dict):
            check("choices", f"choice {n}", choice.get("text"), limits.CHOICE)
            check("choices", f"the misconception of choice {n}", choice.get("misconception"),
                  limits.MISCONCEPTION)


def validate_question(
    item: Any,
    where: str,
    lines: dict[str, int],
    display: str,
    topic_slugs: set[str],
    resource_slugs: set[str],
    errors: list[str],
) -> QuestionData | None:
    """Validate one question mapping. `where` is "file:line" of the question; `lines` maps keys to
    their lines so errors point at the offending field."""

    def at(key: str) -> str:
        return f"{display}:{lines[key]}" if key in lines else where

    if not isinstance(item, dict):
        errors.append(f"{where}: each question must be a mapping")
        return None
    before = len(errors)
    _check_keys(item, QUESTION_KEYS, where, errors, "question")
    for key in REQUIRED_QUESTION_KEYS:
        if key not in item:
            errors.append(f"{where}: question is missing {key!r}")
    qid = item.get("id")
    topics = item.get("topics")
    if "id" in item:
        if not (isinstance(qid, str) and ID_RE.match(qid)):
            errors.append(f"{at('id')}: id must be lowercase words joined by '-', got {qid!r}")
        elif isinstance(topics, list) and topics and isinstance(topics[0], str):
            if not qid.startswith(topics[0] + "-"):
                errors.append(f"{at('id')}: id {qid!r} must start with its main topic "
                              f"'{topics[0]}-'")
    label = f"question {qid!r}" if isinstance(qid, str) else "question"
    qtype = item.get("type")
    if "type" in item and qtype not in QUESTION_TYPES:
        errors.append(f"{at('type')}: {label}: type must be one of {', '.join(QUESTION_TYPES)}, "
                      f"got {qtype!r}")
    if "style" in item and item.get("style") not in STYLES:
        errors.append(f"{at('style')}: {label}: style must be concept or scenario")
    difficulty = item.get("difficulty")
    if "difficulty" in item and (isinstance(difficulty, bool) or difficulty not in DIFFICULTIES):
        errors.append(f"{at('difficulty')}: {label}: difficulty must be 1, 2 or 3")
    if "topics" in item:
        if not (isinstance(topics, list) and topics):
            errors.append(f"{at('topics')}: {label}: topics must be a non-empty list")
        else:
            for t in topics:
                if t not in topic_slugs:
                    errors.append(f"{at('topics')}: {label}: unknown topic {t!r}")
            if len(set(map(str, topics))) != len(topics):
                errors.append(f"{at('topics')}: {label}: a topic is listed twice")
    resources: list[tuple[str, str]] = []
    if "resources" in item:
        refs = item.get("resources")
        if not isinstance(refs, list):
            errors.append(f"{at('resources')}: {label}: resources must be a list")
        else:
            for ref in refs:
                if not isinstance(ref, dict):
                    errors.append(f"{at('resources')}: {label}: each resource needs slug and "
                                  "locator")
                    continue
                _check_keys(ref, RESOURCE_REF_KEYS, at("resources"), errors, "resource reference")
                slug = ref.get("slug")
                if slug not in resource_slugs:
                    errors.append(f"{at('resources')}: {label}: unknown resource {slug!r}")
                if not _nonempty_str(ref.get("locator")):
                    errors.append(f"{at('resources')}: {label}: resource {slug!r} needs a locator")
                resources.append((str(slug), str(ref.get("locator", "")).strip()))
            if len({s for s, _ in resources}) != len(resources):
                errors.append(f"{at('resources')}: {label}: a resource is cited twice")
    if "stem" in item and not _nonempty_str(item.get("stem")):
        errors.append(f"{at('stem')}: {label}: stem must be non-empty text")
    if "explanation" in item and not isinstance(item.get("explanation"), str):
        errors.append(f"{at('explanation')}: {label}: explanation must be text")
    atlas = item.get("atlas") or []
    if not (isinstance(atlas, list) and all(isinstance(a, str) for a in atlas)):
        errors.append(f"{at('atlas')}: {label}: atlas must be a list of ATLAS ids")
        atlas = []
    for a in atlas:
        if not ATLAS_ID_RE.match(a):
            errors.append(f"{at('atlas')}: {label}: {a!r} is not an ATLAS id (e.g. AML.T0010.003, "
                          "AML.M0014, AML.CS0031)")
        elif atlas_list.catalogue().get(a) is None:
            errors.append(f"{at('atlas')}: {label}: {a!r} is not in the vendored MITRE ATLAS list "
                          f"({atlas_list.catalogue().version}; apps/bank/data/atlas.json)")
    if len(set(atlas)) != len(atlas):
        errors.append(f"{at('atlas')}: {label}: an ATLAS id is listed twice")
    checked = item.get("checked", "")
    if not isinstance(checked, str) or (checked and not CHECKED_RE.match(checked)):
        errors.append(f"{at('checked')}: {label}: checked must be a year and month, "
                      f"e.g. \"2026-12\", got {checked!r}")
        checked = ""
    checked_against = item.get("checked_against", "")
    if not isinstance(checked_against, str):
        errors.append(f"{at('checked_against')}: {label}: checked_against must be text")
        checked_against = ""
    elif checked_against and not checked:
        errors.append(f"{at('checked_against')}: {label}: checked_against needs checked")
    status = item.get("status", "published")
    if status not in FILE_STATUSES:
        errors.append(f"{at('status')}: {label}: status must be one of {', '.join(FILE_STATUSES)}")
    artifact_kind = artifact_content = ""
    if "artifact" in item:
        artifact = item.get("artifact")
        if not isinstance(artifact, dict):
            errors.append(f"{at('artifact')}: {label}: artifact must have kind and content")
        else:
            _check_keys(artifact, ARTIFACT_KEYS, at("artifact"), errors, "artifact")
            artifact_kind = artifact.get("kind")
            artifact_content = artifact.get("content")
            if artifact_kind not in ARTIFACT_KINDS:
                errors.append(f"{at('artifact')}: {label}: artifact kind must be one of "
                              f"{', '.join(ARTIFACT_KINDS)}")
            if not _nonempty_str(artifact_content):
                errors.append(f"{at('artifact')}: {label}: artifact content must be non-empty text")
    answer_keys = ANSWER_KEYS.get(qtype, ())
    for key in ("choices", "key_lines", "line_notes", "steps"):
        if key in item and qtype in ANSWER_KEYS and key not in answer_keys:
            errors.append(f"{at(key)}: {label}: a {qtype} question has no {key!r} "
                          f"(it answers with {' and '.join(repr(k) for k in answer_keys)})")
    if qtype in CHOICE_TYPES and "choices" not in item:
        errors.append(f"{where}: question is missing 'choices'")
    choices: list[ChoiceData] = []
    if qtype == "hotspot":
        choices = _hotspot_choices(item, artifact_content, label, at, errors)
    elif qtype == "ordering":
        choices = _ordering_choices(item, label, at, errors)
    elif "choices" in item:
        raw = item.get("choices")
        if not isinstance(raw, list) or not (2 <= len(raw) <= MAX_CHOICES):
            errors.append(f"{at('choices')}: {label}: needs 2 to {MAX_CHOICES} choices")
            raw = raw if isinstance(raw, list) else []
        for choice in raw:
            if not isinstance(choice, dict):
                errors.append(f"{at('choices')}: {label}: each choice must be a mapping with text")
                continue
            _check_keys(choice, CHOICE_KEYS, at("choices"), errors, "choice")
            text = choice.get("text")
            if isinstance(text, bool):  # `text: True` in YAML is a boolean; accept its spelling
                text = "True" if text else "False"
            if not _nonempty_str(text):
                errors.append(f"{at('choices')}: {label}: a choice has no text")
                continue
            correct = choice.get("correct", False)
            if not isinstance(correct, bool):
                errors.append(f"{at('choices')}: {label}: 'correct' must be true or false")
                correct = False
            misconception = choice.get("misconception") or ""
            if not isinstance(misconception, str):
                errors.append(f"{at('choices')}: {label}: misconception must be text")
                misconception = ""
            if not correct and not misconception.strip():
                errors.append(f"{at('choices')}: {label}: wrong choice {text.strip()[:40]!r} "
                              "needs a misconception")
            if correct and misconception.strip():
                errors.append(f"{at('choices')}: {label}: the correct choice "
                              f"{text.strip()[:40]!r} cannot carry a misconception")
            choices.append(ChoiceData(text=text.strip(), correct=correct,
                                      misconception=misconception.strip()))
        texts = [c.text for c in choices]
        if len(set(texts)) != len(texts):
            errors.append(f"{at('choices')}: {label}: two choices have the same text")
        n_correct = sum(c.correct for c in choices)
        if choices and n_correct == 0:
            errors.append(f"{at('choices')}: {label}: no choice is marked correct")
        elif qtype in ("single", "true_false") and n_correct > 1:
            errors.append(f"{at('choices')}: {label}: a {qtype} question needs exactly one "
                          f"correct choice, found {n_correct}")
        if qtype == "true_false" and sorted(texts) != ["False", "True"]:
            errors.append(f"{at('choices')}: {label}: a true_false question has exactly the "
                          "choices True and False")
    _check_lengths(item, label, at, errors)
    if len(errors) > before:
        return None
    return QuestionData(
        id=qid, type=qtype, style=item["style"], difficulty=difficulty, topics=tuple(topics),
        resources=tuple(resources), stem=item["stem"].strip() + "\n",
        artifact_kind=artifact_kind or "",
        artifact_content=(artifact_content.rstrip("\n") + "\n") if artifact_content else "",
        choices=tuple(choices), explanation=(item.get("explanation") or "").strip() + "\n"
        if (item.get("explanation") or "").strip() else "",
        status=status, source=where, atlas=tuple(atlas), checked=checked,
        checked_against=checked_against.strip(),
    )


def _hotspot_choices(item: dict, artifact: Any, label: str, at, errors: list[str]
                     ) -> list[ChoiceData]:
    """A hotspot's artifact lines as choices: line n is the choice at position n - 1, correct
    when n is in `key_lines`, carrying the `line_notes` misconception of that line."""
    if not _nonempty_str(artifact):
        errors.append(f"{at('artifact')}: {label}: a hotspot question needs an artifact: its "
                      "lines are what the learner picks from")
        return []
    lines = artifact.rstrip("\n").split("\n")
    if len(lines) > limits.HOTSPOT_MAX_LINES:
        errors.append(f"{at('artifact')}: {label}: a hotspot artifact has at most "
                      f"{limits.HOTSPOT_MAX_LINES} lines, got {len(lines)}")
        return []
    for n, line in enumerate(lines, start=1):
        if len(line) > limits.HOTSPOT_LINE:
            errors.append(f"{at('artifact')}: {label}: line {n} of the artifact is {len(line):,} "
                          f"characters long; a hotspot line's limit is {limits.HOTSPOT_LINE}")
    key = item.get("key_lines")
    if not (isinstance(key, list) and key and all(isinstance(n, int) and not isinstance(n, bool)
                                                  for n in key)):
        errors.append(f"{at('key_lines')}: {label}: key_lines must list the artifact's line "
                      "numbers that answer the question (1 is the first line)")
        return []
    if len(key) > limits.HOTSPOT_MAX_KEY_LINES:
        errors.append(f"{at('key_lines')}: {label}: at most {limits.HOTSPOT_MAX_KEY_LINES} key "
                      f"lines, got {len(key)}")
    if len(set(key)) != len(key):
        errors.append(f"{at('key_lines')}: {label}: a key line is listed twice")
    for n in key:
        if not 1 <= n <= len(lines):
            errors.append(f"{at('key_lines')}: {label}: line {n} is not in the artifact "
                          f"(lines 1 to {len(lines)})")
        elif not lines[n - 1].strip():
            errors.append(f"{at('key_lines')}: {label}: line {n} of the artifact is blank")
    notes = item.get("line_notes", [])
    misconceptions: dict[int, str] = {}
    if not isinstance(notes, list):
        errors.append(f"{at('line_notes')}: {label}: line_notes must be a list of line and "
                      "misconception")
        notes = []
    for note in notes:
        if not isinstance(note, dict):
            errors.append(f"{at('line_notes')}: {label}: each line note needs line and "
                          "misconception")
            continue
        _check_keys(note, LINE_NOTE_KEYS, at("line_notes"), errors, "line note")
        n, text = note.get("line"), note.get("misconception")
        if not (isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= len(lines)):
            errors.append(f"{at('line_notes')}: {label}: line note for {n!r}: not a line of the "
                          f"artifact (lines 1 to {len(lines)})")
            continue
        if n in key:
            errors.append(f"{at('line_notes')}: {label}: line {n} is a key line; only wrong "
                          "lines carry a misconception")
        if n in misconceptions:
            errors.append(f"{at('line_notes')}: {label}: line {n} has two notes")
        if not _nonempty_str(text):
            errors.append(f"{at('line_notes')}: {label}: the note of line {n} needs a "
                          "misconception")
            continue
        message = limits.too_long(f"the misconception of line {n}", text, limits.MISCONCEPTION)
        if message:
            errors.append(f"{at('line_notes')}: {label}: {message}")
        misconceptions[n] = text.strip()
    if len(misconceptions) < limits.HOTSPOT_MIN_NOTES:
        errors.append(f"{at('line_notes')}: {label}: explain at least "
                      f"{limits.HOTSPOT_MIN_NOTES} tempting wrong line in line_notes")
    return [ChoiceData(text=line, correct=n in key, misconception=misconceptions.get(n, ""))
            for n, line in enumerate(lines, start=1)]


def _ordering_choices(item: dict, label: str, at, errors: list[str]) -> list[ChoiceData]:
    """An ordering question's steps as choices, in the right order (every step is part of the
    answer: `correct` marks them all)."""
    steps = item.get("steps")
    if not (isinstance(steps, list) and limits.ORDERING_MIN_STEPS <= len(steps)
            <= limits.ORDERING_MAX_STEPS):
        errors.append(f"{at('steps')}: {label}: an ordering question needs "
                      f"{limits.ORDERING_MIN_STEPS} to {limits.ORDERING_MAX_STEPS} steps, in the "
                      "right order")
        return []
    texts: list[str] = []
    for n, step in enumerate(steps, start=1):
        if not _nonempty_str(step):
            errors.append(f"{at('steps')}: {label}: step {n} must be non-empty text")
            continue
        message = limits.too_long(f"step {n}", step, limits.STEP)
        if message:
            errors.append(f"{at('steps')}: {label}: {message}")
        texts.append(step.strip())
    if len(set(texts)) != len(texts):
        errors.append(f"{at('steps')}: {label}: two steps have the same text")
    return [ChoiceData(text=t, correct=True, misconception="") for t in texts]


def read_bank(root: Path | str) -> Bank:
    """Read and validate the bank in `root` (a folder with resources.yaml, topics.yaml and question
    files). Raises BankError listing every problem; returns the bank only if there are none."""
    root = Path(root)
    errors: list[str] = []
    if not root.is_dir():
        raise BankError([f"{root}: not a folder"])

    def display(p: Path) -> str:
        return str(p)

    bank = Bank()
    for required in (RESOURCES_FILE, TOPICS_FILE):
        if not (root / required).is_file():
            errors.append(f"{root / required}:1: missing file")
    if errors:
        raise BankError(errors)
    bank.resources = read_resources(root / RESOURCES_FILE, display(root / RESOURCES_FILE), errors)
    bank.topics = read_topics(root / TOPICS_FILE, display(root / TOPICS_FILE), errors)
    topic_slugs = {t.slug for t in bank.topics}
    resource_slugs = {r.slug for r in bank.resources}
    seen_ids: dict[str, str] = {}
    files = sorted(p for p in root.glob("*.yaml") if p.name not in NOT_QUESTION_FILES)
    files += sorted(p for p in root.glob("*.yml"))
    for path in files:
        name = display(path)
        data, node = _read_list_file(path, name, errors)
        for i, item in enumerate(data):
            qnode = node.value[i]
            where = f"{name}:{qnode.start_mark.line + 1}"
            question = validate_question(item, where, _lines(qnode), name, topic_slugs,
                                         resource_slugs, errors)
            qid = item.get("id") if isinstance(item, dict) else None
            if isinstance(qid, str):
                if qid in seen_ids:
                    errors.append(f"{where}: duplicate id {qid!r} (first at {seen_ids[qid]})")
                    continue
                seen_ids[qid] = where
            if question is not None:
                bank.questions.append(question)
    if errors:
        raise BankError(errors)
    return bank


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path("questions")
    try:
        bank = read_bank(root)
    except BankError as exc:
        for line in exc.errors:
            print(line, file=sys.stderr)
        print(f"{len(exc.errors)} error(s); nothing loaded", file=sys.stderr)
        return 1
    print(f"ok: {len(bank.questions)} questions, {len(bank.topics)} topics, "
          f"{len(bank.resources)} resources")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
