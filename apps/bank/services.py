"""Writes to the question bank."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from apps.bank.bankfile import Bank, QuestionData
from apps.bank.markdown import render_markdown
from apps.bank.models import (
    AtlasReference,
    Choice,
    Citation,
    Question,
    QuestionVersion,
    Resource,
    Topic,
)


def content_hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def version_create(
    *, question: Question, data: QuestionData, topics: dict[str, Topic],
    resources: dict[str, Resource], created_by=None,
) -> QuestionVersion:
    """Add a new version of `question` from validated data and make it current.
    The caller holds the question's row lock (or has just created it). Only
    `apps.curation.services.question_write` calls this: it is the one write path that also
    audits the change and applies the review rule."""
    content = data.content()
    content.pop("status", None)  # status belongs to the question, not to a version
    last = question.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = QuestionVersion.objects.create(
        question=question, number=last + 1, type=data.type, style=data.style,
        difficulty=data.difficulty, main_topic=topics[data.topics[0]], stem=data.stem,
        artifact_kind=data.artifact_kind, artifact_content=data.artifact_content,
        explanation=data.explanation, stem_html=render_markdown(data.stem),
        explanation_html=render_markdown(data.explanation), content=content,
        content_hash=content_hash(content),
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
    AtlasReference.objects.bulk_create(
        AtlasReference(version=version, atlas_id=atlas_id, position=i)
        for i, atlas_id in enumerate(data.atlas)
    )
    question.current_version = version
    question.save(update_fields=["current_version", "updated_at"])
    return version


def bank_registry_load(*, bank: Bank) -> tuple[dict[str, Topic], dict[str, Resource]]:
    """Create or update the topics and resources of a validated bank (by slug), in the caller's
    transaction. Returns them by slug for the question writes that follow."""
    topics = {}
    for i, t in enumerate(bank.topics):
        topics[t.slug], _ = Topic.objects.update_or_create(
            slug=t.slug, defaults={"name": t.name, "description": t.description, "position": i})
    resources = {}
    for i, r in enumerate(bank.resources):
        resources[r.slug], _ = Resource.objects.update_or_create(
            slug=r.slug, defaults={"title": r.title, "publisher": r.publisher, "year": r.year,
                                   "url": r.url, "kind": r.kind, "superseded": r.superseded,
                                   "position": i})
    return topics, resources
