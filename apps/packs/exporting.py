"""One export path for both front doors (pages and API): say what a file would hold (the
preview), build the file, record who took it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from apps.audit.services import audit_record
from apps.cohorts.models import Assignment
from apps.cohorts.selectors import get_assignment_for_owner
from apps.packs import selectors
from apps.packs.formats import gift, moodlexml, qti
from apps.packs.importing import EXPORTERS, EXTENSIONS

CONTENT_TYPES = {"yaml": "application/yaml; charset=utf-8", "gift": "text/plain; charset=utf-8",
                 "moodle_xml": "application/xml; charset=utf-8", "qti": "application/zip",
                 "pack": "application/zip"}
KINDS = (*EXPORTERS, "qti", "pack")
LABELS = {"yaml": "Bank YAML", "gift": "Moodle GIFT", "moodle_xml": "Moodle XML",
          "qti": "QTI 1.2 for Canvas (zip)", "pack": "Signed pack"}
# What each text format cannot carry, whatever the question (QTI says per question).
_FIXED_NOT_CARRIED = {"yaml": [], "gift": gift.NOT_CARRIED, "moodle_xml": moodlexml.NOT_CARRIED}
MAX_IDS = 200
MAX_IDS_TEXT = 20_000
_ID_SEPARATORS = re.compile(r"[\s,]+")


class ExportRefused(Exception):
    """The request cannot be exported as asked (bad selection); nothing was recorded."""


@dataclass(frozen=True)
class ExportFile:
    data: bytes
    content_type: str
    filename: str


@dataclass
class PreviewRow:
    id: str
    type: str
    not_carried: list[str]


@dataclass
class ExportPreview:
    kind: str
    title: str
    rows: list[PreviewRow] = field(default_factory=list)
    left_out: list[dict[str, str]] = field(default_factory=list)  # {"id", "reason"}
    pick: int | None = None  # a topic assignment: Canvas draws this many of the rows


@dataclass
class _Selection:
    title: str
    subject: str
    questions: list[dict[str, Any]]
    pick: int | None = None
    missing: list[str] = field(default_factory=list)


def parse_ids(raw: str | None) -> list[str] | None:
    """Question ids separated by commas or whitespace, each once, in the order given; None
    when none were given. Raises ExportRefused past the bounds."""
    if raw is None or not raw.strip():
        return None
    if len(raw) > MAX_IDS_TEXT:
        raise ExportRefused(f"The list of question ids is longer than {MAX_IDS_TEXT} characters.")
    ids = list(dict.fromkeys(part for part in _ID_SEPARATORS.split(raw) if part))
    if len(ids) > MAX_IDS:
        raise ExportRefused(f"At most {MAX_IDS} questions in one export.")
    return ids


def _select(*, kind: str, topic: str | None, ids: list[str] | None,
            assignment: Assignment | None) -> _Selection:
    if kind not in KINDS:
        raise KeyError(kind)
    if assignment is not None:
        if kind != "qti":
            raise ExportRefused("An assignment is exported as QTI only (a draw from a topic is "
                                "a Canvas question group).")
        if topic or ids:
            raise ExportRefused("Export an assignment or a selection, not both.")
        questions, missing = selectors.assignment_contents(assignment)
        if not questions:
            raise ExportRefused("None of this assignment's questions is published.")
        return _Selection(title=assignment.title, subject=f"assignment {assignment.pk}",
                          questions=questions, missing=missing,
                          pick=None if assignment.is_fixed else assignment.count)
    if ids is not None and kind == "pack":
        raise ExportRefused("A signed pack holds the whole bank: it cannot take a selection.")
    if ids is not None:
        unknown = selectors.unknown_ids(ids)
        if unknown:
            shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
            raise ExportRefused(f"Unknown question ids: {shown}")
    questions = [] if kind == "pack" else selectors.export_contents(topic=topic, ids=ids)
    if kind == "qti" and not questions:
        raise ExportRefused("No questions match this selection.")
    if ids is not None:
        subject = f"{len(ids)} selected question{'s' if len(ids) != 1 else ''}"
    else:
        subject = topic or "bank"
    title = f"Questions: {topic}" if topic else "Questions"
    return _Selection(title=title, subject=subject, questions=questions)


def export_preview(*, kind: str, topic: str | None = None, ids: list[str] | None = None,
                   assignment: Assignment | None = None) -> ExportPreview:
    """What the file would hold and what it cannot carry. Raises KeyError for an unknown kind,
    ExportRefused for a bad selection."""
    selection = _select(kind=kind, topic=topic, ids=ids, assignment=assignment)
    preview = ExportPreview(kind=kind, title=selection.title, pick=selection.pick)
    preview.left_out = [{"id": qid, "reason": "no longer published"}
                        for qid in selection.missing]
    for q in selection.questions:
        if kind == "qti" and not qti.carried(q):
            preview.left_out.append({"id": q["id"],
                                     "reason": f"type {q.get('type')!r} has no Canvas type"})
            continue
        fields = qti.not_carried(q) if kind == "qti" else list(_FIXED_NOT_CARRIED[kind])
        preview.rows.append(PreviewRow(id=q["id"], type=q.get("type", ""), not_carried=fields))
    if preview.pick is not None:
        preview.pick = min(preview.pick, len(preview.rows))
    return preview


def export_file(*, user, kind: str, topic: str | None = None, ids: list[str] | None = None,
                assignment: Assignment | None = None) -> ExportFile:
    """Raises KeyError for an unknown kind, ExportRefused for a bad selection and
    selectors.PackNotConfigured for a pack without a signing key. The caller checked that
    `user` is an instructor (and owns `assignment`)."""
    selection = _select(kind=kind, topic=topic, ids=ids, assignment=assignment)
    if kind == "pack":
        data = selectors.signed_pack(created=timezone.now().isoformat(timespec="seconds"))
        filename = "question-pack.zip"
    elif kind == "qti":
        data = qti.export_package(qti.Assessment(title=selection.title,
                                                 questions=selection.questions,
                                                 pick=selection.pick))
        filename = "questions-qti.zip"
    else:
        data = EXPORTERS[kind](selection.questions).encode("utf-8")
        filename = f"questions.{EXTENSIONS[kind]}"
    audit_record(actor=user, action=f"export.{kind}", subject=selection.subject)
    return ExportFile(data=data, content_type=CONTENT_TYPES[kind], filename=filename)


def selection_args(*, user, topic: str | None, ids: str | None,
                   assignment: str | None) -> dict[str, Any]:
    """The keyword arguments of export_preview/export_file from a request's raw parameters.
    An assignment the user does not own is a 404 (cohorts' own access rule)."""
    if topic and len(topic) > 100:
        raise ExportRefused("The topic is longer than 100 characters.")
    return {"topic": topic or None, "ids": parse_ids(ids),
            "assignment": get_assignment_for_owner(user, assignment) if assignment else None}
