"""Reading an uploaded file and working out what importing it would do (reads only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.text import slugify

from apps.bank.bankfile import (
    ID_RE,
    RESOURCES_FILE,
    TOPICS_FILE,
    QuestionData,
    validate_question,
)
from apps.bank.export import canonical_question_file
from apps.bank.models import Question, Resource, Topic
from apps.bank.services import content_hash
from apps.packs import signing
from apps.packs.formats import gift, moodlexml, native
from apps.packs.formats.common import ParseResult

PARSERS = {"yaml": native.parse, "gift": gift.parse, "moodle_xml": moodlexml.parse}
EXPORTERS = {"yaml": native.export_questions, "gift": gift.export_questions,
             "moodle_xml": moodlexml.export_questions}
EXTENSIONS = {"yaml": "yaml", "gift": "gift", "moodle_xml": "xml"}
# What a new question gets for a field its format could not carry.
DEFAULTS: dict[str, Any] = {"style": "concept", "difficulty": 2, "resources": []}


class ImportRefused(Exception):
    """The upload is refused (size, encoding, format, or questions with errors); nothing was
    stored. `errors` lists `line: message` when the file's questions were the problem."""

    def __init__(self, message: str, errors: list[str] | None = None):
        super().__init__(message)
        self.errors = errors or []


def decode_upload(data: bytes) -> str:
    limit = settings.PACK_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportRefused(f"The file is larger than {limit} bytes.")
    if not data.strip():
        raise ImportRefused("The file is empty.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRefused(f"{line}: the file is not valid UTF-8 (save it as UTF-8).") from None
    if "\x00" in text:
        raise ImportRefused("The file contains NUL bytes: it is not a text file.")
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def verified_pack_text(data: bytes) -> str:
    """The questions of a signed pack as one bank YAML file, if and only if the pack verifies
    under a key this site trusts. The pack's resources and topics are not imported: questions
    must cite this site's own."""
    limit = settings.PACK_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportRefused(f"The file is larger than {limit} bytes.")
    try:
        result = signing.pack_verify(data=data, trusted_keys=list(settings.PACK_TRUSTED_KEYS))
    except signing.PackKeyError as exc:
        raise ImportRefused(f"PACK_TRUSTED_KEYS is misconfigured: {exc}") from None
    if not result.ok:
        raise ImportRefused("The pack does not verify: " + "; ".join(result.errors))
    questions: list[dict[str, Any]] = []
    for name, text in sorted(result.files.items()):
        if name in (RESOURCES_FILE, TOPICS_FILE):
            continue
        parsed = native.parse(text)
        if parsed.errors:
            raise ImportRefused(f"{name}:{parsed.errors[0]}")
        questions += [item.data for item in parsed.items]
    if not questions:
        raise ImportRefused("The pack holds no questions.")
    return canonical_question_file(questions)


@dataclass
class PreviewRow:
    line: int
    id: str
    action: str  # create | update | unchanged
    not_carried: list[str]
    kept: list[str]  # fields not carried, kept from the current version
    defaulted: list[str]  # fields not carried, given a default (new questions)
    data: QuestionData | None = None
    title: str = ""  # the file's own title when it was not a valid id (Moodle-style titles)


@dataclass
class Preview:
    rows: list[PreviewRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)


def parse_text(text: str, fmt: str) -> ParseResult:
    try:
        return PARSERS[fmt](text)
    except RecursionError:  # a parser that recurses per nesting level met a hostile file
        return ParseResult(errors=["1: the file is nested too deeply to be read"])


def detect_format(filename: str, data: bytes) -> str:
    """The upload's format from its extension, else its first bytes: a signed pack is a zip,
    Moodle XML starts with an XML declaration or <quiz>, GIFT with a title (::), a comment or a
    category; anything else is read as the bank's YAML."""
    name = (filename or "").lower()
    for suffixes, fmt in (((".zip",), "pack"), ((".xml",), "moodle_xml"),
                          ((".gift",), "gift"), ((".yaml", ".yml"), "yaml")):
        if name.endswith(suffixes):
            return fmt
    if data[:2] == b"PK":
        return "pack"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<quiz")):
        return "moodle_xml"
    if head.startswith((b"::", b"//", b"$CATEGORY")):
        return "gift"
    return "yaml"


def _importable_ids(parsed: ParseResult, topic_slugs: set[str]) -> dict[int, str]:
    """Moodle and GIFT titles are free text ("Q1", "Pickle opcodes"); bank ids are slugs that
    start with the main topic. A title that is not a slug at all becomes an id (the known main
    topic + the title as a slug, numbered when two collide) and is kept to show in the preview;
    a slug is the author's id and is left to the validator. Returns the original titles."""
    titles: dict[int, str] = {}
    taken = {item.data.get("id") for item in parsed.items}
    for item in parsed.items:
        raw, topics = item.data.get("id"), item.data.get("topics") or []
        topic = topics[0] if topics and isinstance(topics[0], str) else ""
        if topic not in topic_slugs or (isinstance(raw, str) and ID_RE.match(raw)):
            continue  # the author's own id, or no known topic to build one from
        base = f"{topic}-{slugify(str(raw or ''))[:80].strip('-') or 'imported'}"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        titles[id(item)] = str(raw or "")
        item.data["id"] = candidate
    return titles


def preview_build(*, text: str, fmt: str) -> Preview:
    """Validate every question with the bank's own rules against the site's topics and
    resources, and say what applying would do. Errors are `line: message`."""
    preview = Preview()
    parsed = parse_text(text, fmt)
    preview.errors.extend(parsed.errors)
    topic_slugs = set(Topic.objects.values_list("slug", flat=True))
    titles = _importable_ids(parsed, topic_slugs)
    resource_slugs = set(Resource.objects.values_list("slug", flat=True))
    ids = [item.data.get("id") for item in parsed.items if isinstance(item.data.get("id"), str)]
    existing = {q.slug: q for q in Question.objects.filter(slug__in=ids)
                .select_related("current_version")}
    seen: set[str] = set()
    for item in parsed.items:
        data = dict(item.data)
        data.pop("status", None)  # the workflow owns status: imports never publish
        qid = data.get("id")
        current = existing.get(qid) if isinstance(qid, str) else None
        kept, defaulted = [], []
        for key, default in DEFAULTS.items():
            if key in data:
                continue
            if current and current.current_version:
                data[key] = current.current_version.content.get(key, default)
                kept.append(key)
            else:
                data[key] = default
                defaulted.append(key)
        if current and current.current_version and fmt == "gift":
            # GIFT carries only the main topic: keep the further topics of the current version.
            old = current.current_version.content.get("topics", [])
            if data.get("topics") and old and data["topics"][0] == old[0]:
                data["topics"] = old
        if isinstance(qid, str):
            if qid in seen:
                preview.errors.append(f"{item.line}: duplicate id {qid!r} in the file")
                continue
            seen.add(qid)
        before = len(preview.errors)
        question = validate_question(data, str(item.line), item.lines, "", topic_slugs,
                                     resource_slugs, preview.errors)
        for i in range(before, len(preview.errors)):
            preview.errors[i] = preview.errors[i].lstrip(":")
        if question is None:
            continue
        if current is None:
            action = "create"
        elif current.current_version and current.current_version.content_hash == \
                content_hash(_version_content(question)):
            action = "unchanged"
        else:
            action = "update"
        preview.rows.append(PreviewRow(line=item.line, id=question.id, action=action,
                                       not_carried=item.not_carried, kept=kept,
                                       defaulted=defaulted, data=question,
                                       title=titles.get(id(item), "")))
    if not parsed.items and not parsed.errors:
        preview.errors.append("1: the file holds no questions")
    preview.errors.sort(key=_line_of)
    _cap_errors(preview.errors)
    return preview


def _cap_errors(errors: list[str]) -> None:
    """A hostile or badly broken file can have an error per line: show the first ones and say
    how many more there are, so the page, the API answer and the refusal stay bounded."""
    cap = settings.PACK_PREVIEW_MAX_ERRORS
    if len(errors) > cap:
        more = len(errors) - cap
        del errors[cap:]
        errors.append(f"{more} more error{'s' if more != 1 else ''} not listed: fix these and "
                      "upload again")


def _version_content(data: QuestionData) -> dict[str, Any]:
    content = data.content()
    content.pop("status", None)
    return content


def _line_of(error: str) -> int:
    head = error.split(":", 1)[0]
    return int(head) if head.isdigit() else 0
