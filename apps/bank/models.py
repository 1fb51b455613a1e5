"""The question bank: topics, curated resources, questions and their immutable versions.

A Question is the stable identity (its slug never changes and is never reused); every change to
its content makes a new QuestionVersion, and play records point at the version that was shown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from apps.bank import limits


def _bounded(field: str, limit: int, name: str) -> models.CheckConstraint:
    """The database's own guard on a text's length (apps.bank.limits), whatever writes it."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


class Topic(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    class Kind(models.TextChoices):
        PAPER = "paper"
        DOCS = "docs"
        RESEARCH = "research"
        FRAMEWORK = "framework"
        TOOL = "tool"
        DATABASE = "database"

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    year = models.PositiveIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Why the page was withdrawn or replaced, and what to cite instead; empty while it is current.
    superseded = models.CharField(max_length=limits.SUPERSEDED, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published"
        RETIRED = "retired"

    slug = models.SlugField(max_length=120, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    current_version = models.OneToOneField(
        "QuestionVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where the question lives in questions/ (file name and order), so exportbank writes it back.
    source_file = models.CharField(max_length=200, blank=True)
    source_position = models.PositiveIntegerField(default=0)
    # Content hash of the version last loaded from the repository; when the current version's
    # hash differs, instructors changed the question in the site and loadbank must not clobber it.
    loaded_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["source_file", "source_position", "slug"]
        permissions = [("curate_question", "Can curate the question bank")]

    def __str__(self) -> str:
        return self.slug

    @property
    def changed_in_site(self) -> bool:
        return bool(self.current_version_id) and self.current_version.content_hash != self.loaded_hash


class QuestionVersion(models.Model):
    class Type(models.TextChoices):
        SINGLE = "single"
        MULTIPLE = "multiple"
        TRUE_FALSE = "true_false", "True or false"
        HOTSPOT = "hotspot", "Find the line"
        ORDERING = "ordering", "Order the steps"

    class Style(models.TextChoices):
        CONCEPT = "concept"
        SCENARIO = "scenario"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    type = models.CharField(max_length=12, choices=Type.choices)
    style = models.CharField(max_length=10, choices=Style.choices)
    difficulty = models.PositiveSmallIntegerField()
    main_topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    topics = models.ManyToManyField(Topic, related_name="question_versions")
    stem = models.TextField(max_length=limits.STEM)
    artifact_kind = models.CharField(max_length=40, blank=True)
    artifact_content = models.TextField(max_length=limits.ARTIFACT, blank=True)
    explanation = models.TextField(max_length=limits.EXPLANATION, blank=True)
    # Rendered once when the version is made (apps.bank.markdown: CommonMark, sanitised): a
    # version never changes, so learners never pay for a render.
    stem_html = models.TextField(blank=True)
    explanation_html = models.TextField(blank=True)
    content = models.JSONField()  # the question in the bank's YAML shape, for export and diffs
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="unique_version_number"),
            models.CheckConstraint(condition=models.Q(difficulty__in=[1, 2, 3]),
                                   name="difficulty_1_to_3"),
            _bounded("stem", limits.STEM, "version_stem_bounded"),
            _bounded("explanation", limits.EXPLANATION, "version_explanation_bounded"),
            _bounded("artifact_content", limits.ARTIFACT, "version_artifact_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.question.slug} v{self.number}"


class Citation(models.Model):
    version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE, related_name="citations")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="citations")
    locator = models.CharField(max_length=limits.LOCATOR)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "resource"], name="unique_citation")
        ]

    def __str__(self) -> str:
        return f"{self.resource_id}: {self.locator}"


class Choice(models.Model):
    """A choice as the author wrote it. Never send `is_correct`, `misconception` or the id to a
    client before the question is closed for that client: play code gives clients opaque
    per-attempt keys instead."""

    version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=limits.CHOICE)
    is_correct = models.BooleanField(default=False)
    misconception = models.TextField(max_length=limits.MISCONCEPTION, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="unique_choice_position"),
            _bounded("text", limits.CHOICE, "choice_text_bounded"),
            _bounded("misconception", limits.MISCONCEPTION, "choice_misconception_bounded"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class AtlasReference(models.Model):
    """A MITRE ATLAS id a question version is about (apps.bank.atlas). The version's `content`
    holds the same ids for export; these rows exist so that the quiz focus and curation search
    filter by id with an index, the same way on SQLite and PostgreSQL (no JSON operators)."""

    version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE,
                                related_name="atlas_refs")
    atlas_id = models.CharField(max_length=20, db_index=True)  # AML.T0010.003 is 13
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "atlas_id"], name="unique_atlas_reference")
        ]

    def __str__(self) -> str:
        return self.atlas_id
