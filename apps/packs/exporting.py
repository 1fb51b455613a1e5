"""One export path for both front doors (pages and API): build the file, record who took it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from apps.audit.services import audit_record
from apps.packs import selectors
from apps.packs.importing import EXPORTERS, EXTENSIONS

CONTENT_TYPES = {"yaml": "application/yaml; charset=utf-8", "gift": "text/plain; charset=utf-8",
                 "moodle_xml": "application/xml; charset=utf-8", "pack": "application/zip"}
KINDS = (*EXPORTERS, "pack")


@dataclass(frozen=True)
class ExportFile:
    data: bytes
    content_type: str
    filename: str


def export_file(*, user, kind: str, topic: str | None = None) -> ExportFile:
    """Raises KeyError for an unknown kind and selectors.PackNotConfigured for a pack without a
    signing key. The caller checked that `user` is an instructor."""
    if kind == "pack":
        data = selectors.signed_pack(created=timezone.now().isoformat(timespec="seconds"))
        filename = "question-pack.zip"
    else:
        data = EXPORTERS[kind](selectors.export_contents(topic=topic)).encode("utf-8")
        filename = f"questions.{EXTENSIONS[kind]}"
    audit_record(actor=user, action=f"export.{kind}", subject=topic or "bank")
    return ExportFile(data=data, content_type=CONTENT_TYPES[kind], filename=filename)
