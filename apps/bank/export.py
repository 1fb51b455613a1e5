"""Writing the site's bank back to the repository's YAML format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from apps.bank.models import Question, Resource, Topic


class _BankDumper(yaml.SafeDumper):
    """Block style for multi-line text, so exported files read like the hand-written ones."""


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_BankDumper.add_representer(str, _str_representer)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_BankDumper, sort_keys=False, allow_unicode=True, width=100)


def bank_files() -> dict[str, str]:
    """File name -> YAML text for the whole bank as the site holds it."""
    files: dict[str, str] = {
        "resources.yaml": dump_yaml([
            {"slug": r.slug, "title": r.title, "publisher": r.publisher, "year": r.year,
             "url": r.url, "kind": r.kind} for r in Resource.objects.all()
        ]),
        "topics.yaml": dump_yaml([
            {"slug": t.slug, "name": t.name, "description": t.description}
            for t in Topic.objects.all()
        ]),
    }
    grouped: dict[str, list[dict]] = {}
    for q in Question.objects.select_related("current_version").exclude(current_version=None):
        content = dict(q.current_version.content)
        if q.status != Question.Status.PUBLISHED:
            content["status"] = q.status
        grouped.setdefault(q.source_file or "site.yaml", []).append(content)
    for name, items in grouped.items():
        files[name] = dump_yaml(items)
    return files


def bank_export(*, target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in bank_files().items():
        path = target / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
