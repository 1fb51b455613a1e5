"""Writing the site's bank back to the repository's YAML format.

The output is canonical: `canonical_*()` below are the one definition of how a bank file is laid
out, `formatbank` rewrites questions/ into that form, and `exportbank` writes the same bytes, so
`exportbank` after `loadbank` reproduces the folder exactly. A file's leading comment block is
not part of the data: both commands keep the one already in the target file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from apps.bank.models import Question, Resource, Topic


class _BankDumper(yaml.SafeDumper):
    """Block style for multi-line text, flow style for lists of short words (`topics`), and
    sequences indented under their key, so exported files read like the hand-written ones."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)

    def choose_scalar_style(self):
        # Double quotes where quoting is needed, as authors write them ('' escapes read badly).
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


def _list_representer(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    words = bool(data) and (
        all(isinstance(x, str) and x and x.replace("-", "").isalnum() for x in data)
        or all(isinstance(x, int) and not isinstance(x, bool) for x in data))  # key_lines
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=words)


_BankDumper.add_representer(str, _str_representer)
_BankDumper.add_representer(list, _list_representer)


def dump_yaml(data: Any) -> str:
    # No line folding: a folded plain scalar round-trips, but diffs of one word rewrap paragraphs.
    return yaml.dump(data, Dumper=_BankDumper, sort_keys=False, allow_unicode=True,
                     width=1_000_000)


def leading_comments(text: str) -> str:
    """The comment block at the top of a bank file (comment and blank lines), kept verbatim."""
    out = []
    for line in text.splitlines(keepends=True):
        if line.startswith("#") or not line.strip():
            out.append(line)
        else:
            break
    block = "".join(out).rstrip("\n")
    return block + "\n" if block else ""


_QUESTION_ORDER = ("id", "type", "style", "difficulty", "topics", "resources", "stem", "artifact",
                   "choices", "key_lines", "line_notes", "steps", "explanation", "atlas", "checked",
                   "checked_against", "status")
_NESTED_ORDER = {"resources": ("slug", "locator"), "artifact": ("kind", "content"),
                 "choices": ("text", "correct", "misconception"),
                 "line_notes": ("line", "misconception")}


def _ordered(keys: tuple[str, ...], data: dict[str, Any]) -> dict[str, Any]:
    return {**{k: data[k] for k in keys if k in data},
            **{k: v for k, v in data.items() if k not in keys}}


def canonical_question(content: dict[str, Any]) -> dict[str, Any]:
    """A question's keys in the README's order, whatever order they were stored in (PostgreSQL's
    jsonb does not keep key order)."""
    out = _ordered(_QUESTION_ORDER, content)
    for key, order in _NESTED_ORDER.items():
        value = out.get(key)
        if isinstance(value, list):
            out[key] = [_ordered(order, v) if isinstance(v, dict) else v for v in value]
        elif isinstance(value, dict):
            out[key] = _ordered(order, value)
    return out


def canonical_question_file(questions: list[dict[str, Any]], header: str = "") -> str:
    """A question file: the header, then one YAML list item per question, a blank line apart."""
    items = [dump_yaml([canonical_question(q)]) for q in questions]
    body = "\n".join(items) if items else "[]\n"
    return (header + "\n" if header else "") + body


def canonical_registry_file(items: list[dict[str, Any]], header: str = "") -> str:
    """resources.yaml or topics.yaml: the header, then the list without blank lines. A resource
    without a year leaves the key out rather than writing `year: null`, and a current resource
    leaves out `superseded`."""
    cleaned = [{k: v for k, v in item.items()
                if not (k == "year" and v is None) and not (k == "superseded" and not v)}
               for item in items]
    return header + (dump_yaml(cleaned) if cleaned else "[]\n")


def bank_files(headers: dict[str, str] | None = None) -> dict[str, str]:
    """File name -> YAML text for the whole bank as the site holds it. `headers` maps a file name
    to the comment block to put on top of it."""
    headers = headers or {}
    files: dict[str, str] = {
        "resources.yaml": canonical_registry_file([
            {"slug": r.slug, "title": r.title, "publisher": r.publisher, "year": r.year,
             "url": r.url, "kind": r.kind, "superseded": r.superseded}
            for r in Resource.objects.all()
        ], headers.get("resources.yaml", "")),
        "topics.yaml": canonical_registry_file([
            {"slug": t.slug, "name": t.name, "description": t.description}
            for t in Topic.objects.all()
        ], headers.get("topics.yaml", "")),
    }
    grouped: dict[str, list[dict]] = {}
    for q in Question.objects.select_related("current_version").exclude(current_version=None):
        content = dict(q.current_version.content)
        if q.status != Question.Status.PUBLISHED:
            content["status"] = q.status
        grouped.setdefault(q.source_file or "site.yaml", []).append(content)
    for name, items in grouped.items():
        files[name] = canonical_question_file(items, headers.get(name, ""))
    return files


def bank_export(*, target: Path) -> list[Path]:
    """Write the bank into `target`, keeping the comment block of any file already there."""
    target.mkdir(parents=True, exist_ok=True)
    headers = {}
    for path in target.glob("*.yaml"):
        try:
            headers[path.name] = leading_comments(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
    written = []
    for name, text in bank_files(headers).items():
        path = target / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
