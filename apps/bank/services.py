"""Writes to the question bank."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from apps.bank.bankfile import Bank, QuestionData
from apps.bank.models import Choice, Citation, Question, QuestionVersion, Resource, Topic


def content_hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)
    only_in_site: list[str] = field(default_factory=list)


def version_create(
    *, question: Question, data: QuestionData, topics: dict[str, Topic],
    resources: dict[str, Resource], created_by=None,
) -> QuestionVersion:
    """Add a new version of `question` from validated data and make it current.
    The caller holds the question's row lock (or has just created it)."""
    content = data.content()
    content.pop("status", None)  # status belongs to the question, not to a version
    last = question.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = QuestionVersion.objects.create(
        question=question, number=last + 1, type=data.type, style=data.style,
        difficulty=data.difficulty, main_topic=topics[data.topics[0]], stem=data.stem,
        artifact_kind=data.artifact_kind, artifact_content=data.artifact_content,
        explanation=data.explanation, content=content, content_hash=content_hash(content),
        created_by=created_by,
    )
    version.topics.set([topics[t] for t in data.topics])
    Citation.objects.bulk_create(
        Citation(version=version, resource=resources[slug], locator=locator, position=i)
        for i, (slug, locator) in enumerate(data.resources)
    )
    Choice.objects.bulk_create(
        Choice(version=version, position=i, text=c.text, is_correct=c.correct,
               misconception=c.misconception)
        for i, c in enumerate(data.choices)
    )
    question.current_version = version
    question.save(update_fields=["current_version", "updated_at"])
    return version


def bank_load(*, bank: Bank, force: bool = False, dry_run: bool = False) -> LoadReport:
    """Load a validated bank in one transaction.

    Idempotent: an unchanged question is left alone; a changed one gets a new version (old play
    records keep pointing at the version they showed). A question whose current version was
    changed in the site since it was loaded is a conflict: skipped and reported, unless `force`.
    With `dry_run` the transaction is rolled back and only the report is returned.
    """
    report = LoadReport()
    with transaction.atomic():
        topics = {}
        for i, t in enumerate(bank.topics):
            topics[t.slug], _ = Topic.objects.update_or_create(
                slug=t.slug, defaults={"name": t.name, "description": t.description, "position": i})
        resources = {}
        for i, r in enumerate(bank.resources):
            resources[r.slug], _ = Resource.objects.update_or_create(
                slug=r.slug, defaults={"title": r.title, "publisher": r.publisher, "year": r.year,
                                       "url": r.url, "kind": r.kind, "position": i})
        existing = {
            q.slug: q for q in Question.objects.select_for_update(of=("self",)).select_related("current_version")
        }
        positions: dict[str, int] = {}
        for data in bank.questions:
            source_file = data.source.rsplit(":", 1)[0].rsplit("/", 1)[-1]
            positions[source_file] = positions.get(source_file, -1) + 1
            placement = {"source_file": source_file, "source_position": positions[source_file]}
            content = data.content()
            content.pop("status", None)
            new_hash = content_hash(content)
            question = existing.get(data.id)
            if question is None:
                question = Question.objects.create(slug=data.id, status=data.status,
                                                   loaded_hash=new_hash, **placement)
                version_create(question=question, data=data, topics=topics, resources=resources)
                report.created.append(data.id)
                continue
            if question.current_version and question.current_version.content_hash == new_hash:
                Question.objects.filter(pk=question.pk).update(loaded_hash=new_hash, **placement)
                report.unchanged.append(data.id)
                continue
            if question.changed_in_site:
                if not force:
                    report.conflicts.append(data.id)
                    continue
                report.overwritten.append(data.id)
            else:
                report.updated.append(data.id)
            version_create(question=question, data=data, topics=topics, resources=resources)
            Question.objects.filter(pk=question.pk).update(loaded_hash=new_hash, **placement)
        file_ids = {q.id for q in bank.questions}
        report.only_in_site = sorted(set(existing) - file_ids)
        if dry_run:
            transaction.set_rollback(True)
    return report
