"""IMS QTI 1.2 as Canvas exports and imports it (export only): a zip holding `imsmanifest.xml`
and one assessment, `<ident>/<ident>.xml` (questestinterop / assessment / section / item).

Carried: the stem (the bank's rendered, sanitised HTML, with the artifact appended as
preformatted text), the choices and the key, each choice's misconception as that answer's
comment (`<choice>_fb`), and the explanation as the general comment (`general_fb`). Canvas
question types: single → multiple_choice_question, multiple → multiple_answers_question,
true_false → true_false_question; any other type is left out and listed. A draw of N questions
from a pool (a topic assignment) is a Canvas question group: a section with `selection_number`.

Every text goes out as element text or attribute value escaped by the serialiser (no CDATA, so
a `]]>` in a question is just text); characters XML 1.0 cannot hold (control characters, lone
surrogates, U+FFFE/U+FFFF) become U+FFFD. Pure Python apart from the bank's Markdown renderer.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from typing import Any

from apps.bank.markdown import render_inline, render_markdown

NAMESPACE = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
SCHEMA_LOCATION = f"{NAMESPACE} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
MANIFEST_NAMESPACE = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CANVAS_TYPES = {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
                "true_false": "true_false_question"}
# (label in the preview, the bank field that holds it). The artifact itself is carried.
_NOT_CARRIED_FIELDS = (
    ("style", "style"), ("difficulty", "difficulty"), ("topics", "topics"),
    ("resources", "resources"), ("ATLAS ids", "atlas"), ("checked", "checked"),
    ("checked against", "checked_against"), ("status", "status"),
)
ARTIFACT_NOTE = "artifact kind (the artifact is sent as preformatted text)"
NOT_CARRIED = [label for label, _ in _NOT_CARRIED_FIELDS] + [ARTIFACT_NOTE]
# XML 1.0's Char production, as what is *not* allowed.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class Assessment:
    """What goes into one package: the questions, and for a draw the number to pick."""

    title: str
    questions: list[dict[str, Any]]
    pick: int | None = None  # draw this many at random (a Canvas question group)
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (id, why), filled by build


def xml_text(value: str) -> str:
    """Text XML 1.0 can carry: every character it cannot becomes U+FFFD."""
    return _NOT_XML_CHAR.sub("\ufffd", value)


def not_carried(question: dict[str, Any]) -> list[str]:
    """What this question holds that the package will not."""
    out = [label for label, key in _NOT_CARRIED_FIELDS if question.get(key)]
    if question.get("artifact"):
        out.append(ARTIFACT_NOTE)
    return out


def carried(question: dict[str, Any]) -> bool:
    return question.get("type") in CANVAS_TYPES


def _ident(*parts: str) -> str:
    """A stable identifier (Canvas's own are `g` + 32 hex digits): same input, same package."""
    return "g" + hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass"))\
        .hexdigest()[:32]


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def _mattext(parent: ET.Element, html_text: str) -> None:
    _sub(_sub(parent, "material"), "mattext", html_text, texttype="text/html")


def _meta(parent: ET.Element, fields: list[tuple[str, str]]) -> None:
    meta = _sub(parent, "qtimetadata")
    for label, entry in fields:
        f = _sub(meta, "qtimetadatafield")
        _sub(f, "fieldlabel", label)
        _sub(f, "fieldentry", entry)


def stem_html(question: dict[str, Any]) -> str:
    """The stem as the bank renders it, then the artifact (if any) as preformatted text."""
    out = render_markdown(xml_text(question.get("stem", "")))
    artifact = question.get("artifact")
    if artifact:
        body = html.escape(xml_text(artifact.get("content", "")), quote=False)
        out += f"<pre><code>{body}</code></pre>\n"
    return out


def _feedback(item: ET.Element, ident: str, html_text: str) -> None:
    fb = _sub(item, "itemfeedback", ident=ident)
    _mattext(_sub(fb, "flow_mat"), html_text)


def _item(section: ET.Element, q: dict[str, Any]) -> None:
    qtype = q["type"]
    item_id = _ident("item", q["id"])
    choices = [(f"{item_id}_{n}", c) for n, c in enumerate(q["choices"], start=1)]
    item = _sub(section, "item", ident=item_id, title=q["id"])
    _meta(_sub(item, "itemmetadata"), [
        ("question_type", CANVAS_TYPES[qtype]),
        ("points_possible", "1"),
        ("original_answer_ids", ",".join(ident for ident, _ in choices)),
        ("assessment_question_identifierref", _ident("bank", q["id"])),
    ])
    presentation = _sub(item, "presentation")
    _mattext(presentation, stem_html(q))
    response = _sub(presentation, "response_lid", ident="response1",
                    rcardinality="Multiple" if qtype == "multiple" else "Single")
    render = _sub(response, "render_choice")
    for ident, c in choices:
        label = _sub(render, "response_label", ident=ident)
        _mattext(label, render_inline(xml_text(c["text"])))

    proc = _sub(item, "resprocessing")
    _sub(_sub(proc, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE",
         vartype="Decimal")
    explanation = q.get("explanation", "").strip()
    if explanation:
        cond = _sub(proc, "respcondition", **{"continue": "Yes"})
        _sub(_sub(cond, "conditionvar"), "other")
        _sub(cond, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    for ident, c in choices:
        if c.get("misconception"):
            cond = _sub(proc, "respcondition", **{"continue": "Yes"})
            _sub(_sub(cond, "conditionvar"), "varequal", ident, respident="response1")
            _sub(cond, "displayfeedback", feedbacktype="Response", linkrefid=f"{ident}_fb")
    cond = _sub(proc, "respcondition", **{"continue": "No"})
    var = _sub(cond, "conditionvar")
    if qtype == "multiple":
        both = _sub(var, "and")
        for ident, c in choices:
            target = both if c.get("correct") else _sub(both, "not")
            _sub(target, "varequal", ident, respident="response1")
    else:
        key = next(ident for ident, c in choices if c.get("correct"))
        _sub(var, "varequal", key, respident="response1")
    _sub(cond, "setvar", "100", action="Set", varname="SCORE")

    if explanation:
        _feedback(item, "general_fb", render_markdown(xml_text(explanation)))
    for ident, c in choices:
        if c.get("misconception"):
            _feedback(item, f"{ident}_fb", render_inline(xml_text(c["misconception"])))


def assessment_xml(assessment: Assessment) -> tuple[str, str]:
    """(assessment ident, the assessment document). Questions of a type Canvas cannot take are
    left out and recorded in `assessment.left_out`."""
    ident = _ident("assessment", assessment.title, *(q["id"] for q in assessment.questions))
    root = ET.Element("questestinterop", {"xmlns": NAMESPACE,
                                          f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION})
    test = _sub(root, "assessment", ident=ident, title=assessment.title)
    _meta(test, [("cc_maxattempts", "1")])
    section = _sub(test, "section", ident="root_section")
    kept = [q for q in assessment.questions if carried(q)]
    assessment.left_out = [(q["id"], f"type {q.get('type')!r} has no Canvas question type")
                           for q in assessment.questions if not carried(q)]
    if assessment.pick is not None and kept:
        group = _sub(section, "section", ident=_ident("group", ident), title=assessment.title)
        selection = _sub(_sub(group, "selection_ordering"), "selection")
        _sub(selection, "selection_number", str(min(assessment.pick, len(kept))))
        _sub(_sub(selection, "selection_extension"), "points_per_item", "1")
        section = group
    for q in kept:
        _item(section, q)
    ET.indent(root, space="  ")
    # The default namespace is written as a literal attribute (element names stay unqualified,
    # so every element is in the QTI namespace); ElementTree knows the `xsi` prefix itself.
    body = ET.tostring(root, encoding="unicode")
    return ident, '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def manifest_xml(ident: str, href: str) -> str:
    """The content-package manifest naming the assessment (Canvas reads the quiz title from the
    assessment itself)."""
    root = ET.Element("manifest", {"identifier": _ident("manifest", ident),
                                   "xmlns": MANIFEST_NAMESPACE})
    meta = _sub(root, "metadata")
    _sub(meta, "schema", "IMS Content")
    _sub(meta, "schemaversion", "1.1.3")
    _sub(root, "organizations")
    resource = _sub(_sub(root, "resources"), "resource", identifier=ident,
                    type="imsqti_xmlv1p2", href=href)
    _sub(resource, "file", href=href)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") \
        + "\n"


def export_package(assessment: Assessment) -> bytes:
    """The zip Canvas imports ("QTI .zip file"): the manifest and the assessment it names."""
    ident, document = assessment_xml(assessment)
    href = f"{ident}/{ident}.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("imsmanifest.xml", manifest_xml(ident, href)),
                           (href, document)):
            # A fixed date: the same questions give the same bytes.
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
