"""QTI 1.2 export for Canvas: the package, its validity against the IMS QTI 1.2.1 DTD (vendored,
see tests/packs/qti_schema/README.md), hostile text, the preview, both doors and who may use
them."""

from __future__ import annotations

import copy
import hashlib
import io
import xml.etree.ElementTree as ET
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from apps.audit.models import AuditEvent
from apps.bank.models import Question
from apps.cohorts.models import Assignment, Cohort
from apps.packs.exporting import export_preview
from apps.packs.formats import qti
from apps.packs.selectors import export_contents

SCHEMA_DIR = Path(__file__).parent / "qti_schema"
DTD_FILE = SCHEMA_DIR / "ims_qtiasiv1p2p1.dtd"
DTD_SHA256 = "c991ca648247cde8f228500a4ffb7e3578505c451f54150f43258b7f1ab445bd"
NS = {"q": qti.NAMESPACE}
MANIFEST_NS = {"m": qti.MANIFEST_NAMESPACE}

SINGLE = {
    "id": "serialization-hostile-one", "type": "single", "style": "concept", "difficulty": 2,
    "topics": ["serialization"], "resources": [{"slug": "x", "locator": "§1"}],
    "stem": "What does **pickle** run?\n",
    "choices": [
        {"text": "Code named by `__reduce__`", "correct": True},
        {"text": "Nothing", "misconception": "Thinks *pickle* is data only."},
    ],
    "explanation": "Pickle calls what `__reduce__` returns.\n",
}
MULTIPLE = {
    "id": "hub-multiple", "type": "multiple", "style": "scenario", "difficulty": 3,
    "topics": ["hub-risks"], "stem": "Which help?\n",
    "artifact": {"kind": "pickle-disassembly", "content": "  0: \\x80 PROTO 4\n  <b>&</b>\n"},
    "choices": [{"text": "Signing", "correct": True}, {"text": "Pinning", "correct": True},
                {"text": "Stars", "misconception": "Popularity is no proof."}],
    "explanation": "", "atlas": ["AML.T0010.003"], "status": "draft",
}
TRUE_FALSE = {
    "id": "tf-one", "type": "true_false", "style": "concept", "difficulty": 1,
    "topics": ["serialization"], "stem": "Safetensors can carry code.\n",
    "choices": [{"text": "True", "misconception": "Assumes every format can."},
                {"text": "False", "correct": True}],
    "explanation": "It holds tensors only.\n",
}


# Canvas's extension inside <selection_extension> (declared ANY, which still needs the children
# declared): the number of points each drawn question is worth.
CANVAS_EXTENSIONS = "<!ELEMENT points_per_item (#PCDATA)>\n"


def _dtd() -> etree.DTD:
    return etree.DTD(io.BytesIO(DTD_FILE.read_bytes() + CANVAS_EXTENSIONS.encode()))


def _without_namespaces(document: bytes) -> etree._Element:
    """The DTD predates namespaces: the same tree with the QTI namespace and xsi: removed."""
    root = etree.fromstring(document)
    for el in root.iter():
        el.tag = etree.QName(el).localname
        for name in [n for n in el.attrib if n.startswith("{")]:
            del el.attrib[name]
    etree.cleanup_namespaces(root)
    return root


def assert_valid(document: bytes) -> None:
    dtd = _dtd()
    root = _without_namespaces(document)
    assert dtd.validate(root), dtd.error_log.filter_from_errors()


def _package(questions, **kwargs) -> dict[str, bytes]:
    data = qti.export_package(qti.Assessment(title=kwargs.pop("title", "Quiz"),
                                             questions=questions, **kwargs))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        return {name: zf.read(name) for name in zf.namelist()}


def _assessment(files: dict[str, bytes]) -> etree._Element:
    manifest = etree.fromstring(files["imsmanifest.xml"])
    href = manifest.find("m:resources/m:resource/m:file", MANIFEST_NS).get("href")
    return etree.fromstring(files[href])


def _field(item, label: str) -> str:
    for f in item.iterfind("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", NS):
        if f.findtext("q:fieldlabel", namespaces=NS) == label:
            return f.findtext("q:fieldentry", namespaces=NS)
    raise AssertionError(label)


def test_it_uses_the_vendored_dtd_unchanged():
    assert hashlib.sha256(DTD_FILE.read_bytes()).hexdigest() == DTD_SHA256


def test_it_rejects_what_the_dtd_forbids():
    """The validation has teeth: an item out of place and a missing ident fail."""
    files = _package([SINGLE])
    root = _without_namespaces(files[next(n for n in files if n != "imsmanifest.xml")])
    broken = copy.deepcopy(root)
    item = broken.find(".//item")
    item.insert(0, etree.Element("resprocessing"))  # resprocessing before itemmetadata
    assert not _dtd().validate(broken)
    broken = copy.deepcopy(root)
    del broken.find(".//item").attrib["ident"]
    assert not _dtd().validate(broken)


def test_it_writes_a_package_in_canvas_layout():
    files = _package([SINGLE, MULTIPLE, TRUE_FALSE])
    assert len(files) == 2 and "imsmanifest.xml" in files
    manifest = etree.fromstring(files["imsmanifest.xml"])
    resource = manifest.find("m:resources/m:resource", MANIFEST_NS)
    assert resource.get("type") == "imsqti_xmlv1p2"
    ident = resource.get("identifier")
    href = resource.find("m:file", MANIFEST_NS).get("href")
    assert href == resource.get("href") == f"{ident}/{ident}.xml" and href in files
    root = etree.fromstring(files[href])
    assert root.tag == f"{{{qti.NAMESPACE}}}questestinterop"
    test = root.find("q:assessment", NS)
    assert test.get("ident") == ident and test.get("title") == "Quiz"
    assert [i.get("title") for i in test.iterfind("q:section/q:item", NS)] == [
        "serialization-hostile-one", "hub-multiple", "tf-one"]
    assert_valid(files[href])
    # Same questions, same bytes (stable idents, fixed zip dates).
    assert qti.export_package(qti.Assessment("Quiz", [SINGLE])) == \
        qti.export_package(qti.Assessment("Quiz", [SINGLE]))


def test_it_exports_a_single_choice_question():
    item = _assessment(_package([SINGLE])).find(".//q:item", NS)
    assert _field(item, "question_type") == "multiple_choice_question"
    stem = item.findtext("q:presentation/q:material/q:mattext", namespaces=NS)
    assert stem == "<p>What does <strong>pickle</strong> run?</p>\n"
    response = item.find("q:presentation/q:response_lid", NS)
    assert response.get("rcardinality") == "Single"
    labels = response.findall("q:render_choice/q:response_label", NS)
    assert [lab.findtext("q:material/q:mattext", namespaces=NS) for lab in labels] == [
        "Code named by <code>__reduce__</code>", "Nothing"]
    idents = [lab.get("ident") for lab in labels]
    assert _field(item, "original_answer_ids") == ",".join(idents)
    scored = [c for c in item.iterfind("q:resprocessing/q:respcondition", NS)
              if c.find("q:setvar", NS) is not None]
    assert len(scored) == 1 and scored[0].get("continue") == "No"
    assert scored[0].findtext("q:conditionvar/q:varequal", namespaces=NS) == idents[0]
    assert scored[0].findtext("q:setvar", namespaces=NS) == "100"
    feedback = {f.get("ident"): f.findtext("q:flow_mat/q:material/q:mattext", namespaces=NS)
                for f in item.iterfind("q:itemfeedback", NS)}
    assert feedback == {
        "general_fb": "<p>Pickle calls what <code>__reduce__</code> returns.</p>\n",
        f"{idents[1]}_fb": "Thinks <em>pickle</em> is data only.",
    }
    links = {d.get("linkrefid") for d in item.iterfind(".//q:displayfeedback", NS)}
    assert links == set(feedback)


def test_it_exports_a_multiple_answer_question_with_its_artifact():
    item = _assessment(_package([MULTIPLE])).find(".//q:item", NS)
    assert _field(item, "question_type") == "multiple_answers_question"
    assert item.find("q:presentation/q:response_lid", NS).get("rcardinality") == "Multiple"
    stem = item.findtext("q:presentation/q:material/q:mattext", namespaces=NS)
    assert stem.endswith("<pre><code>  0: \\x80 PROTO 4\n  &lt;b&gt;&amp;&lt;/b&gt;\n</code></pre>\n")
    idents = [lab.get("ident") for lab in item.iterfind(".//q:response_label", NS)]
    both = item.find("q:resprocessing/q:respcondition/q:conditionvar/q:and", NS)
    assert [v.text for v in both.findall("q:varequal", NS)] == idents[:2]
    assert [v.text for v in both.findall("q:not/q:varequal", NS)] == idents[2:]
    # No explanation: no general feedback and no condition pointing at one.
    assert {f.get("ident") for f in item.iterfind("q:itemfeedback", NS)} == {f"{idents[2]}_fb"}


def test_it_exports_a_true_false_question():
    item = _assessment(_package([TRUE_FALSE])).find(".//q:item", NS)
    assert _field(item, "question_type") == "true_false_question"
    labels = item.findall(".//q:response_label", NS)
    assert [lab.findtext(".//q:mattext", namespaces=NS) for lab in labels] == ["True", "False"]
    scored = item.find("q:resprocessing/q:respcondition[@continue='No']", NS)
    assert scored.findtext("q:conditionvar/q:varequal", namespaces=NS) == labels[1].get("ident")


def test_it_escapes_hostile_text():
    nasty = "A ]]> B <script>alert(1)</script> & \"q\" 'a' \x00\x01\x0b\x1f \ud800 \ufffe end"
    question = copy.deepcopy(SINGLE)
    question["id"] = "hostile-]]>-<&\"'\x07"
    question["stem"] = nasty + "\n"
    question["choices"][0]["text"] = nasty
    question["choices"][1]["misconception"] = nasty
    question["explanation"] = nasty + "\n"
    question["artifact"] = {"kind": "pickle-disassembly", "content": nasty + "\n"}
    files = _package([question], title=nasty)
    document = files[next(n for n in files if n != "imsmanifest.xml")]
    assert_valid(document)
    assert b"<script" not in document and b"]]>" not in document
    root = etree.fromstring(document)
    assert root.find("q:assessment", NS).get("title") == qti.xml_text(nasty)
    assert "\ufffd" in root.find("q:assessment", NS).get("title")
    item = root.find(".//q:item", NS)
    assert item.get("title") == qti.xml_text(question["id"])
    texts = [t.text for t in item.iter(f"{{{qti.NAMESPACE}}}mattext")]
    # Markdown escapes the markup; the sanitiser would drop any that got through.
    assert all("<script>" not in t for t in texts)
    assert any("&lt;script&gt;" in t for t in texts)
    assert any("]]&gt;" in t or "]]>" in t for t in texts)
    for ch in "\x00\x01\x0b\x1f\ud800\ufffe":
        assert all(ch not in t for t in texts)


_ANY_TEXT = st.text(max_size=200)


@settings(max_examples=60, deadline=None)
@given(stem=_ANY_TEXT, choice=_ANY_TEXT, misconception=_ANY_TEXT, explanation=_ANY_TEXT,
       artifact=_ANY_TEXT, title=_ANY_TEXT)
def test_it_writes_valid_qti_for_any_text(stem, choice, misconception, explanation, artifact,
                                          title):
    question = copy.deepcopy(SINGLE)
    question.update(stem=stem, explanation=explanation,
                    artifact={"kind": "pickle-disassembly", "content": artifact})
    question["choices"][0]["text"] = choice
    question["choices"][1]["misconception"] = misconception
    files = _package([question], title=title)
    assert_valid(files[next(n for n in files if n != "imsmanifest.xml")])
    assert _assessment(files).find("q:assessment", NS).get("title") == qti.xml_text(title)


def test_it_draws_from_a_pool_as_a_canvas_question_group():
    document = _assessment(_package([SINGLE, MULTIPLE, TRUE_FALSE], pick=2))
    group = document.find("q:assessment/q:section/q:section", NS)
    assert group.findtext("q:selection_ordering/q:selection/q:selection_number",
                          namespaces=NS) == "2"
    assert len(group.findall("q:item", NS)) == 3
    assert_valid(etree.tostring(document))
    # A draw larger than the pool draws the whole pool.
    group = _assessment(_package([SINGLE], pick=5)).find(".//q:section/q:section", NS)
    assert group.findtext(".//q:selection_number", namespaces=NS) == "1"


def test_it_leaves_out_types_it_cannot_carry_and_lists_what_it_drops():
    other = {**SINGLE, "id": "matching-one", "type": "matching"}
    assessment = qti.Assessment("Quiz", [SINGLE, other])
    _, document = qti.assessment_xml(assessment)
    assert "matching-one" not in document
    assert assessment.left_out == [("matching-one", "type 'matching' has no Canvas question type")]
    assert qti.not_carried(SINGLE) == ["style", "difficulty", "topics", "resources"]
    assert qti.not_carried(MULTIPLE) == ["style", "difficulty", "topics", "ATLAS ids", "status",
                                         qti.ARTIFACT_NOTE]


@pytest.mark.django_db
def test_it_exports_the_loaded_bank_as_valid_qti(small_bank):
    questions = export_contents()
    files = _package(questions)
    document = _assessment(files)
    assert_valid(files[next(n for n in files if n != "imsmanifest.xml")])
    types = {_field(i, "question_type") for i in document.iterfind(".//q:item", NS)}
    assert types == {"multiple_choice_question", "multiple_answers_question",
                     "true_false_question"}
    # Stems are the bank's stored, rendered HTML.
    for q, item in zip(questions, document.iterfind(".//q:item", NS), strict=True):
        version = Question.objects.get(slug=q["id"]).current_version
        assert item.findtext("q:presentation/q:material/q:mattext", namespaces=NS)\
            .startswith(version.stem_html)


# ---- the doors ----------------------------------------------------------------------------

def _cohort_with_assignments(owner):
    cohort = Cohort.objects.create(name="C", owner=owner, join_code="QTI123")
    due = timezone.now() + timedelta(days=3)
    fixed = Assignment.objects.create(
        cohort=cohort, title="Fixed <set>", due_at=due,
        question_slugs=["serialization-fixture-safetensors-code", "serialization-fixture-reduce"])
    drawn = Assignment.objects.create(cohort=cohort, title="Drawn", due_at=due, count=2,
                                      topic_id=_topic_id("serialization"))
    return fixed, drawn


def _topic_id(slug):
    from apps.bank.models import Topic

    return Topic.objects.get(slug=slug).pk


def _zip_items(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    assert_valid(files[next(n for n in files if n != "imsmanifest.xml")])
    return [i.get("title") for i in _assessment(files).iterfind(".//q:item", NS)]


@pytest.mark.django_db
def test_it_exports_a_selection_from_the_page(client, world, small_bank):
    client.force_login(world["instructor"])
    ids = "serialization-fixture-safetensors-code, serialization-fixture-reduce"
    page = client.get(reverse("packs:export_preview"), {"kind": "qti", "ids": ids})
    html = page.content.decode()
    assert page.status_code == 200
    assert "serialization-fixture-reduce" in html and "style, difficulty, topics" in html
    assert "hub-risks-fixture-defences" not in html
    response = client.get(reverse("packs:export", args=["qti"]), {"ids": ids})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert 'filename="questions-qti.zip"' in response["Content-Disposition"]
    assert _zip_items(response.content) == ["serialization-fixture-safetensors-code",
                                            "serialization-fixture-reduce"]
    assert AuditEvent.objects.filter(action="export.qti", subject="2 selected questions").exists()


@pytest.mark.django_db
def test_it_lists_qti_on_the_export_page(client, world, small_bank):
    client.force_login(world["instructor"])
    html = client.get(reverse("packs:index")).content.decode()
    assert "QTI 1.2 for Canvas" in html and reverse("packs:export_preview") in html


@pytest.mark.django_db
def test_it_previews_the_other_formats_too(client, world, small_bank):
    """The selection form serves every text format; each lists what it cannot carry."""
    client.force_login(world["instructor"])
    page = client.get(reverse("packs:export_preview"),
                      {"kind": "gift", "topic": "serialization"}).content.decode()
    assert "Moodle GIFT" in page and "topics (beyond the main topic)" in page
    assert "hub-risks-fixture-defences" not in page
    assert f'{reverse("packs:export", args=["gift"])}?topic=serialization' in page
    gift = client.get(reverse("packs:export", args=["gift"]),
                      {"ids": "serialization-fixture-reduce"}).content.decode()
    assert "::serialization-fixture-reduce::" in gift and "hub-risks" not in gift
    assert client.get(reverse("packs:export_preview"), {"kind": "pack"}).status_code == 404
    response = client.get("/api/v1/packs/export/", {"kind": "pack", "ids": "a"})
    assert response.status_code == 400 and "whole bank" in response.json()["detail"]


@pytest.mark.django_db
def test_it_refuses_unknown_ids_and_long_lists(client, world, small_bank):
    client.force_login(world["instructor"])
    response = client.get(reverse("packs:export_preview"),
                          {"kind": "qti", "ids": "nope-one serialization-fixture-reduce"},
                          follow=True)
    assert "Unknown question ids: nope-one" in response.content.decode()
    response = client.get(reverse("packs:export", args=["qti"]), {"ids": "nope-two"})
    assert response.status_code == 302 and response["Location"] == reverse("packs:index")
    assert "Unknown question ids: nope-two" in client.get(response["Location"]).content.decode()
    response = client.get("/api/v1/packs/export/", {"kind": "qti", "ids": " ".join(f"x{n}" for n in range(201))})
    assert response.status_code == 400 and "At most 200" in response.json()["detail"]
    response = client.get("/api/v1/packs/export/preview/", {"kind": "qti", "ids": "y" * 20_001})
    assert response.status_code == 400 and "20000 characters" in response.json()["detail"]
    assert not AuditEvent.objects.filter(action="export.qti").exists()


@pytest.mark.django_db
def test_it_exports_a_cohort_assignment(client, world, small_bank):
    fixed, drawn = _cohort_with_assignments(world["instructor"])
    client.force_login(world["instructor"])
    detail = client.get(reverse("cohorts:detail", args=[fixed.cohort_id])).content.decode()
    assert f"?kind=qti&amp;assignment={fixed.pk}" in detail
    response = client.get(reverse("packs:export", args=["qti"]), {"assignment": fixed.pk})
    assert _zip_items(response.content) == ["serialization-fixture-safetensors-code",
                                            "serialization-fixture-reduce"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    assert _assessment(files).find("q:assessment", NS).get("title") == "Fixed <set>"
    assert AuditEvent.objects.filter(action="export.qti", subject=f"assignment {fixed.pk}",
                                     actor=world["instructor"]).exists()

    response = client.get("/api/v1/packs/export/", {"kind": "qti", "assignment": drawn.pk})
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    group = _assessment(files).find(".//q:section/q:section", NS)
    assert group.findtext(".//q:selection_number", namespaces=NS) == "2"
    pool = {i.get("title") for i in group.iterfind("q:item", NS)}
    assert pool == {q["id"] for q in export_contents() if "serialization" in q["topics"]}

    preview = client.get("/api/v1/packs/export/preview/",
                         {"kind": "qti", "assignment": drawn.pk}).json()
    assert preview["pick"] == 2 and {r["id"] for r in preview["rows"]} == pool
    page = client.get(reverse("packs:export_preview"), {"kind": "qti", "assignment": drawn.pk})
    assert "Canvas draws 2 at random" in page.content.decode()


@pytest.mark.django_db
def test_it_lists_fixed_questions_no_longer_published(world, small_bank):
    fixed, _ = _cohort_with_assignments(world["instructor"])
    Question.objects.filter(slug="serialization-fixture-reduce").update(status="draft")
    preview = export_preview(kind="qti", assignment=fixed)
    assert [r.id for r in preview.rows] == ["serialization-fixture-safetensors-code"]
    assert preview.left_out == [{"id": "serialization-fixture-reduce",
                                 "reason": "no longer published"}]


@pytest.mark.django_db
def test_it_refuses_an_assignment_in_another_format_or_with_a_selection(client, world,
                                                                       small_bank):
    fixed, _ = _cohort_with_assignments(world["instructor"])
    client.force_login(world["instructor"])
    response = client.get("/api/v1/packs/export/", {"kind": "gift", "assignment": fixed.pk})
    assert response.status_code == 400 and "QTI only" in response.json()["detail"]
    response = client.get("/api/v1/packs/export/", {"kind": "qti", "assignment": fixed.pk,
                                                    "ids": "serialization-fixture-reduce"})
    assert response.status_code == 400 and "not both" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "learner", "staff", "other_instructor"])
def test_it_hides_qti_exports_from_outsiders(client, world, small_bank, role):
    fixed, _ = _cohort_with_assignments(world["instructor"])
    if role == "other_instructor":
        from tests.factories import InstructorFactory

        client.force_login(InstructorFactory(username="other-instructor"))
    elif world[role]:
        client.force_login(world[role])
    assignment = {"assignment": fixed.pk}
    for url, params in (
        (reverse("packs:export", args=["qti"]), assignment),
        (reverse("packs:export_preview"), {"kind": "qti", **assignment}),
        ("/api/v1/packs/export/", {"kind": "qti", **assignment}),
        ("/api/v1/packs/export/preview/", {"kind": "qti", **assignment}),
    ):
        assert client.get(url, params).status_code == 404, url
    if role in ("anonymous", "learner"):  # staff and instructors may export the bank itself
        for url, params in ((reverse("packs:export", args=["qti"]), {}),
                            ("/api/v1/packs/export/preview/", {"kind": "qti"})):
            assert client.get(url, params).status_code == 404, url
    assert not AuditEvent.objects.filter(action="export.qti").exists()


@pytest.mark.django_db
def test_it_keeps_the_api_schema_valid(client, world):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    params = {p["name"] for p in schema["paths"]["/api/v1/packs/export/"]["get"]["parameters"]}
    assert {"kind", "topic", "ids", "assignment"} <= params
    kinds = next(p for p in schema["paths"]["/api/v1/packs/export/"]["get"]["parameters"]
                 if p["name"] == "kind")["schema"]["enum"]
    assert "qti" in kinds
    assert "/api/v1/packs/export/preview/" in schema["paths"]


# ---- read back by an implementation we did not write ---------------------------------------

def test_it_reads_back_with_qti2latex():
    """qti2latex (PyPI, reads Canvas and text2qti QTI 1.2 exports) finds each question's type,
    stem, choices and key, and the question group's draw. Only its readers are used: its LaTeX
    writer needs the pandoc program. Its key reader also counts every `varequal` of a feedback
    condition as correct, so the key is checked on questions whose wrong choices carry no
    misconception (the others are checked through their scoring condition above)."""
    import qti2latex

    no_feedback = copy.deepcopy(SINGLE)
    no_feedback["choices"][1].pop("misconception")
    multiple = copy.deepcopy(MULTIPLE)
    multiple["choices"][2].pop("misconception")
    true_false = copy.deepcopy(TRUE_FALSE)
    true_false["choices"][0].pop("misconception")
    questions = [no_feedback, multiple, true_false]
    files = _package(questions, pick=2)
    path = next(n for n in files if n != "imsmanifest.xml")
    root = ET.fromstring(files[path])  # noqa: S314 (our own export; qti2latex reads ElementTree)
    section = qti2latex.child_anyns(qti2latex.child_anyns(root, "assessment"), "section")
    (group,) = list(section)
    count, points, items = qti2latex.get_group(group)
    assert (count, points, len(items)) == (2, 1, 3)
    read = []
    for item in items:
        meta = qti2latex.get_qti_metadata(item)
        choices = qti2latex.get_choices(item)
        correct = qti2latex.get_correct_idents(item)
        read.append((qti2latex.guess_type(meta, item), int(meta["points_possible"]),
                     [text for _, text in choices],
                     [text for ident, text in choices if ident in correct]))
        assert qti2latex.get_item_stem(item) == qti.stem_html(questions[len(read) - 1]).strip()
    assert read == [
        ("multiple_choice_question", 1, ["Code named by <code>__reduce__</code>", "Nothing"],
         ["Code named by <code>__reduce__</code>"]),
        ("multiple_answers_question", 1, ["Signing", "Pinning", "Stars"], ["Signing", "Pinning"]),
        ("true_false_question", 1, ["True", "False"], ["False"]),
    ]


@pytest.fixture
def raw_wsgi_keeps_the_connection():
    """Raw WSGI calls would close the test's connection (and its transaction) after each call,
    as tests/api/test_schemathesis.py explains; Django's test client disconnects the same."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_it_answers_every_fuzzed_export_request_without_a_server_error(
        world, small_bank, raw_wsgi_keeps_the_connection):
    """schemathesis over the two export operations as an instructor (the suite-wide fuzz runs
    as a learner, who only ever gets 404): hostile ids, topics and assignment numbers."""
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from hypothesis import HealthCheck, given, settings
    from knox.models import AuthToken
    from schemathesis.checks import not_a_server_error

    _, token = AuthToken.objects.create(user=world["instructor"])
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path not in ("/api/v1/packs/export/", "/api/v1/packs/export/preview/"):
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(headers={"Authorization": f"Token {token}"},
                                   checks=[not_a_server_error])

        run()
        tested.append(operation.path)
    assert sorted(tested) == ["/api/v1/packs/export/", "/api/v1/packs/export/preview/"]
