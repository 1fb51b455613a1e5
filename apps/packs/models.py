"""Uploaded imports waiting for an instructor to apply them (actions are in apps.audit)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ImportDraft(models.Model):
    """An uploaded file, kept as decoded text between the preview and the apply, so the apply
    acts on exactly the bytes the instructor previewed."""

    class Format(models.TextChoices):
        YAML = "yaml", "Bank YAML"
        GIFT = "gift", "Moodle GIFT"
        MOODLE_XML = "moodle_xml", "Moodle XML"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    format = models.CharField(max_length=12, choices=Format.choices)
    filename = models.CharField(max_length=200)
    text = models.TextField()
    # A signed pack that verified under a trusted key (its text is the verified content).
    signed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import {self.filename} ({self.format})"
