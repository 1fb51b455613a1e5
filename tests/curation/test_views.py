from __future__ import annotations

import pytest

from apps.audit.models import AuditEvent
from apps.bank.models import Question
from apps.curation.models import Report
from apps.curation.services import question_create, question_transition, question_update
from apps.quiz.services import QuizSpec, quiz_start

pytestmark = pytest.mark.django_db


def _form(item: dict, creating=True) -> dict:
    """POST data for the editor from an item in the bank's YAML shape."""
    data = {
        "type": item["type"], "style": item["style"], "difficulty": str(item["difficulty"]),
        "main_topic": item["topics"][0], "other_topics": item["topics"][1:],
        "stem": item.get("stem", ""), "explanation": item.get("explanation", ""),
        "artifact_kind": "", "artifact_content": "",
    }
    if creating:
        data["id"] = item["id"]
    for i, ref in enumerate(item.get("resources", [])):
        data[f"resource_{i}"] = ref["slug"]
        data[f"locator_{i}"] = ref["locator"]
    for i, choice in enumerate(item["choices"]):
        data[f"choice_{i}_text"] = choice["text"]
        if choice.get("correct"):
            data[f"choice_{i}_correct"] = "on"
        data[f"choice_{i}_misconception"] = choice.get("misconception", "")
    return data


@pytest.mark.parametrize("role", ["anonymous", "learner"])
@pytest.mark.parametrize("url", ["/curation/", "/curation/new/", "/curation/audit/",
                                 "/curation/reports/",
                                 "/curation/q/serialization-fixture-reduce/",
                                 "/curation/q/serialization-fixture-reduce/edit/",
                                 "/curation/q/serialization-fixture-reduce/versions/"])
def test_it_hides_curation_from_learners_and_visitors(client, small_bank, world, role, url):
    if world[role]:
        client.force_login(world[role])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "learner"])
def test_it_refuses_curation_posts_from_outsiders(client, small_bank, world, role):
    if world[role]:
        client.force_login(world[role])
    url = "/curation/q/serialization-fixture-reduce/transition/"
    assert client.post(url, {"action": "retire"}).status_code == 404
    assert client.post("/curation/preview/", {"stem": "x"}).status_code == 404
    assert Question.objects.filter(status="retired").count() == 0


def test_the_nav_link_shows_only_for_instructors(client, world):
    client.force_login(world["learner"])
    assert 'href="/curation/"' not in client.get("/").content.decode()
    client.force_login(world["instructor"])
    assert 'href="/curation/"' in client.get("/").content.decode()


def test_it_lists_searches_and_filters_with_the_key(client, small_bank, world):
    client.force_login(world["instructor"])
    html = client.get("/curation/").content.decode()
    assert "serialization-fixture-reduce" in html and "hub-risks-fixture-defences" in html
    assert "✔ Unpickling can import and call arbitrary Python callables" in html
    html = client.get("/curation/", {"q": "PICKLE FILE"}).content.decode()
    assert "serialization-fixture-reduce" in html and "hub-risks-fixture-defences" not in html
    html = client.get("/curation/", {"topic": "hub-risks"}).content.decode()
    assert "hub-risks-fixture-defences" in html and "serialization-fixture-reduce" not in html
    html = client.get("/curation/", {"type": "true_false", "status": "published"}).content.decode()
    assert "serialization-fixture-reduce" not in html
    html = client.get("/curation/", {"status": "draft"}).content.decode()
    assert "No question matches." in html
    html = client.get("/curation/", {"resource": "hf-model-security"}).content.decode()
    assert "serialization-fixture-reduce" in html
    partial = client.get("/curation/", {"q": "pickle"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<section id="results">')


def test_it_filters_by_author_and_paginates(client, small_bank, world, item, settings):
    question_create(user=world["instructor"], item=item)
    client.force_login(world["instructor"])
    html = client.get("/curation/", {"author": "instructor"}).content.decode()
    assert "dataset-poisoning-curated-backdoor" in html
    assert "serialization-fixture-reduce" not in html
    from apps.curation import views
    settings.DEBUG = False
    views.PAGE_SIZE, old = 2, views.PAGE_SIZE
    try:
        page2 = client.get("/curation/", {"page": "2"}).content.decode()
        bad = client.get("/curation/", {"page": "zzz"})
    finally:
        views.PAGE_SIZE = old
    assert "Page 2 of" in page2 and 'rel="prev"' in page2
    assert bad.status_code == 200


def test_an_instructor_creates_a_question_in_the_form(client, small_bank, world, item):
    client.force_login(world["instructor"])
    assert client.get("/curation/new/").status_code == 200
    response = client.post("/curation/new/", _form(item))
    assert response.status_code == 302
    question = Question.objects.get(slug=item["id"])
    assert response.url == f"/curation/q/{question.slug}/"
    assert question.status == "draft"
    assert question.current_version.content == {k: v for k, v in item.items()}
    html = client.get(response.url).content.decode()
    assert "Submit for review" in html and "Misconception:" in html


def test_the_form_shows_field_errors_and_keeps_the_input(client, small_bank, world, item):
    client.force_login(world["instructor"])
    item["choices"][1].pop("misconception")
    data = _form(item)
    data["difficulty"] = "9"
    data["id"] = "Bad Id"
    response = client.post("/curation/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "needs a misconception" in html
    assert "id must be lowercase words joined by" in html.lower()
    assert "Write access to the inference server" in html  # nothing typed is lost
    assert not Question.objects.filter(slug__contains="poisoning").exists()


def test_the_preview_renders_the_learner_view_sanitised(client, small_bank, world, item):
    client.force_login(world["instructor"])
    data = _form(item)
    data["stem"] = "Which is **right**? <script>alert(1)</script>"
    data["choice_2_text"] = "<b>bold</b>"
    html = client.post("/curation/preview/", data, HTTP_HX_REQUEST="true").content.decode()
    assert "<strong>right</strong>" in html
    assert "<script>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "Write access to the inference server" in html
    assert "Thinks the backdoor" not in html  # the learner view carries no key
    data["type"] = "multiple"
    html = client.post("/curation/preview/", data, HTTP_HX_REQUEST="true").content.decode()
    assert html.count('type="checkbox" disabled') == 3  # as play shows a multiple question


def test_editing_in_the_form_makes_a_version_and_shows_a_diff(client, small_bank, world, item):
    question = question_create(user=world["instructor"], item=item)
    client.force_login(world["instructor"])
    page = client.get(f"/curation/q/{question.slug}/edit/").content.decode()
    assert "Write access to the inference server" in page  # prefilled from v1
    data = _form(item, creating=False)
    data["stem"] = "What does a BadNets backdoor require?"
    response = client.post(f"/curation/q/{question.slug}/edit/", data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.current_version.number == 2
    html = client.get(f"/curation/q/{question.slug}/versions/",
                      {"a": "1", "b": "2"}).content.decode()
    # Only the changed words are marked, each with a −/+ mark and a word for screen readers.
    assert ('<h3 id="diff-stem">Stem</h3>' in html)
    assert ('<del><span class="visually-hidden">Removed: </span>'
            '<span class="diff-mark" aria-hidden="true">−</span>-style</del>') in html
    assert ('<ins><span class="visually-hidden">Added: </span>'
            '<span class="diff-mark" aria-hidden="true">+</span>require</ins>?') in html
    assert "What does a BadNets" in html
    assert "Unchanged: Choices, Key, Misconceptions, Explanation" in html
    assert "v2 (current)" in html
    assert client.get(f"/curation/q/{question.slug}/versions/",
                      {"a": "1", "b": "99"}).status_code == 404
    # Without a choice, the page compares the current version with its predecessor.
    assert client.get(f"/curation/q/{question.slug}/versions/").content.decode().count(
        "-style</del>") == 1


def test_the_versions_page_shows_no_diff_for_a_single_version(client, small_bank, world, item):
    question = question_create(user=world["instructor"], item=item)
    client.force_login(world["instructor"])
    html = client.get(f"/curation/q/{question.slug}/versions/").content.decode()
    assert "v1 (current)" in html and "Changes from" not in html
    same = client.get(f"/curation/q/{question.slug}/versions/", {"a": "1", "b": "1"})
    assert "The two versions are identical." in same.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "learner", "other_learner"])
def test_it_hides_a_version_diff_from_outsiders(client, small_bank, world, item, role):
    question = question_create(user=world["instructor"], item=item)
    question_update(user=world["instructor"], question=question,
                    item={**item, "stem": "Changed?"})
    if world[role]:
        client.force_login(world[role])
    response = client.get(f"/curation/q/{question.slug}/versions/", {"a": "1", "b": "2"})
    assert response.status_code == 404
    assert b"Changed?" not in response.content


def test_the_workflow_through_the_pages(client, small_bank, world, item, reviewer):
    question = question_create(user=world["instructor"], item=item)
    url = f"/curation/q/{question.slug}/transition/"
    client.force_login(world["instructor"])
    client.post(url, {"action": "submit"})
    response = client.post(url, {"action": "approve"}, follow=True)
    assert "another instructor must review" in response.content.decode()
    question.refresh_from_db()
    assert question.status == "review"
    client.force_login(reviewer)
    response = client.post(url, {"action": "approve"}, follow=True)
    assert "The question is now Published" in response.content.decode()
    response = client.post(url, {"action": "approve"}, follow=True)
    assert "Nothing to do" in response.content.decode()
    response = client.post(url, {"action": "launch"}, follow=True)
    assert "not known" in response.content.decode()
    question.refresh_from_db()
    assert question.status == "published"
    audit = client.get("/curation/audit/").content.decode()
    assert "Approved and published" in audit and "reviewer" in audit


def _answered_quiz(world, small_bank_loaded=True):
    from tests.curation.conftest import answer_first

    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
    return attempt, answer_first(attempt)


def test_a_learner_reports_from_the_feedback_card(client, small_bank, world):
    attempt, aq = _answered_quiz(world)
    client.force_login(world["learner"])
    card = client.get(f"/quiz/{attempt.public_id}/").content.decode()
    link = f"/curation/report/{attempt.public_id}/1/"
    assert link in card
    assert client.get(link).status_code == 200
    response = client.post(link, {"kind": "unclear", "comment": ""})
    assert response.status_code == 400 and not Report.objects.exists()
    response = client.post(link, {"kind": "unclear", "comment": "Which version of pickle?"})
    assert response.status_code == 302 and response.url == "/curation/my-reports/"
    response = client.post(link, {"kind": "unclear", "comment": "Again"})
    assert response.status_code == 400
    assert "already reported" in response.content.decode()
    html = client.get("/curation/my-reports/").content.decode()
    assert "Which version of pickle?" in html and ">Open<" in html


def test_the_report_link_is_absent_on_an_open_question(client, small_bank, world):
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
    client.force_login(world["learner"])
    assert "/curation/report/" not in client.get(f"/quiz/{attempt.public_id}/").content.decode()
    assert client.get(f"/curation/report/{attempt.public_id}/1/").status_code == 404


@pytest.mark.parametrize("role", ["other_learner", "instructor"])
def test_nobody_reports_on_someone_elses_attempt(client, small_bank, world, role):
    attempt, _ = _answered_quiz(world)
    client.force_login(world[role])
    url = f"/curation/report/{attempt.public_id}/1/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "typo", "comment": "x"}).status_code == 404
    assert not Report.objects.exists()


def test_a_visitor_is_sent_to_log_in_to_report(client, small_bank, world):
    attempt, _ = _answered_quiz(world)
    response = client.get(f"/curation/report/{attempt.public_id}/1/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_queue_resolves_and_the_reporter_sees_the_outcome(client, small_bank, world):
    attempt, aq = _answered_quiz(world)
    client.force_login(world["learner"])
    client.post(f"/curation/report/{attempt.public_id}/1/",
                {"kind": "wrong_key", "comment": "B is right too"})
    report = Report.objects.get()
    client.force_login(world["instructor"])
    detail = client.get(f"/curation/q/{report.question.slug}/").content.decode()
    assert "Open learner reports" in detail and "B is right too" in detail
    client.force_login(world["learner"])
    assert client.post(f"/curation/reports/{report.pk}/",
                       {"state": "resolved", "note": "x"}).status_code == 404
    client.force_login(world["instructor"])
    queue = client.get("/curation/reports/").content.decode()
    assert "B is right too" in queue and "The answer key is wrong" in queue
    response = client.post(f"/curation/reports/{report.pk}/", {"state": "resolved", "note": ""},
                           follow=True)
    assert "write a note" in response.content.decode()
    client.post(f"/curation/reports/{report.pk}/",
                {"state": "dismissed", "note": "The key is right: see the explanation."})
    assert "No reports here." in client.get("/curation/reports/").content.decode()
    assert "B is right too" in client.get("/curation/reports/?state=all").content.decode()
    client.force_login(world["learner"])
    html = client.get("/curation/my-reports/").content.decode()
    assert "Dismissed" in html and "The key is right: see the explanation." in html
    assert AuditEvent.objects.filter(action="report_dismiss").count() == 1


def test_a_quiz_answered_on_v1_still_shows_v1_after_an_edit(client, small_bank, world, item,
                                                            reviewer):
    question = question_create(user=world["instructor"], item=item)
    question_transition(user=world["instructor"], question=question, action="submit")
    question_transition(user=reviewer, question=question, action="approve")
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5, topic="dataset-poisoning"))
    from tests.curation.conftest import answer_first
    answer_first(attempt, correct=False)  # the results page shows missed questions in full
    item["explanation"] = "Rewritten explanation for version two.\n"
    question_update(user=reviewer, question=question, item=item)
    client.force_login(world["learner"])
    html = client.get(f"/quiz/{attempt.public_id}/", follow=True).content.decode()
    assert "The trigger is learned from poisoned training samples." in html
    assert "Rewritten explanation" not in html


@pytest.mark.parametrize("slug", ["hub-risks-fixture-defences", "serialization-fixture-reduce",
                                  "serialization-fixture-safetensors-code"])
def test_saving_a_loaded_question_unchanged_makes_no_version(client, small_bank, world, slug):
    """The editor must reproduce the bank's content exactly, even with a browser's CRLF line
    breaks and secondary topics out of page order, or every save would make a new version."""
    from apps.curation.forms import QuestionForm

    question = Question.objects.get(slug=slug)
    initial = QuestionForm.initial_from(question.current_version.content)
    data = {k: v.replace("\n", "\r\n") if isinstance(v, str) else v
            for k, v in initial.items() if k != "id" and v not in (None, False)}
    data = {k: ("on" if v is True else v) for k, v in data.items()}
    data["other_topics"] = list(reversed(initial["other_topics"]))
    client.force_login(world["instructor"])
    response = client.post(f"/curation/q/{slug}/edit/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    question.refresh_from_db()
    assert question.versions.count() == 1
    assert not question.changed_in_site


def test_a_site_edit_is_a_loadbank_conflict(client, small_bank, world, item):
    from apps.bank.bankfile import read_bank
    from apps.curation.services import bank_load
    from tests.factories import FIXTURE_BANK

    question = Question.objects.get(slug="serialization-fixture-reduce")
    loaded_hash = question.loaded_hash
    content = dict(question.current_version.content)
    content["stem"] = "Edited in the site?\n"
    question_update(user=world["instructor"], question=question, item=content)
    question.refresh_from_db()
    assert question.loaded_hash == loaded_hash and question.changed_in_site
    report = bank_load(bank=read_bank(FIXTURE_BANK))
    assert report.conflicts == ["serialization-fixture-reduce"]


@pytest.mark.postgres
def test_search_uses_full_text_on_postgresql(client, small_bank, world):
    client.force_login(world["instructor"])
    version = Question.objects.get(slug="serialization-fixture-reduce").current_version
    assert "loads pickles" not in (version.stem + version.explanation).lower()
    # no substring matches, but the stems "load" and "pickl" do
    html = client.get("/curation/", {"q": "loads pickles"}).content.decode()
    assert "serialization-fixture-reduce" in html
    html = client.get("/curation/", {"q": "pickles -loads"}).content.decode()
    assert "serialization-fixture-reduce" not in html


def test_it_searches_by_atlas_id_with_sub_techniques(client, world, tmp_path):
    from tests.factories import load_small_bank_with_atlas

    load_small_bank_with_atlas(tmp_path, {"serialization-fixture-reduce": ["AML.T0010.003"],
                                          "hub-risks-fixture-defences": ["AML.M0014"]})
    client.force_login(world["instructor"])
    page = client.get("/curation/").content.decode()
    assert '<option value="AML.T0010.003">AML.T0010.003 AI Supply Chain Compromise: Model' in page
    html = client.get("/curation/", {"atlas": "AML.T0010"}).content.decode()
    assert "serialization-fixture-reduce" in html and "hub-risks-fixture-defences" not in html
    html = client.get("/curation/", {"atlas": "AML.M0014"}).content.decode()
    assert "hub-risks-fixture-defences" in html and "serialization-fixture-reduce" not in html


def test_the_editor_keeps_atlas_ids_and_when_facts_were_checked(client, small_bank, world, item):
    item.update({"atlas": ["AML.T0020", "AML.M0007"], "checked": "2026-12",
                 "checked_against": "BadNets paper, arXiv v2"})
    question = question_create(user=world["instructor"], item=item)
    client.force_login(world["instructor"])
    page = client.get(f"/curation/q/{question.slug}/edit/").content.decode()
    assert 'value="AML.T0020 AML.M0007"' in page and 'value="2026-12"' in page
    data = _form(item, creating=False)
    data.update({"atlas": "AML.T0020, AML.M0007", "checked": "2026-12",
                 "checked_against": "BadNets paper, arXiv v2",
                 "stem": "What does a BadNets backdoor require?"})
    assert client.post(f"/curation/q/{question.slug}/edit/", data).status_code == 302
    question.refresh_from_db()
    content = question.current_version.content
    assert (content["atlas"], content["checked"]) == (["AML.T0020", "AML.M0007"], "2026-12")
    assert list(question.current_version.atlas_refs.values_list("atlas_id", flat=True)) == [
        "AML.T0020", "AML.M0007"]


def test_the_editor_refuses_an_atlas_id_that_atlas_does_not_have(client, small_bank, world, item):
    client.force_login(world["instructor"])
    data = _form(item)
    data["atlas"] = "AML.T0010.003 AML.T9999"
    response = client.post("/curation/new/", data)
    assert response.status_code == 400
    assert "not in the vendored MITRE ATLAS list" in response.content.decode()


def test_the_coverage_page_counts_published_questions_per_atlas_id(client, world, tmp_path):
    from tests.factories import load_small_bank_with_atlas

    load_small_bank_with_atlas(tmp_path, {"serialization-fixture-reduce": ["AML.T0010.003",
                                                                           "AML.M0014"],
                                          "hub-risks-fixture-defences": ["AML.T0010.001"],
                                          "pipeline-integrity-fixture-slsa": ["AML.M0014"]})
    Question.objects.filter(slug="pipeline-integrity-fixture-slsa").update(status="retired")
    client.force_login(world["instructor"])
    html = client.get("/curation/atlas/").content.decode()
    assert "2 of 5 published questions carry ATLAS ids" in html
    rows = [r.split("</tr>")[0] for r in html.split("<tr>")[2:]]
    cells = [[c.split("</td>")[0] for c in r.split("<td>")[1:]] for r in rows]
    assert [(c[1], c[2].split(">")[1].split("<")[0]) for c in cells] == [
        ("AI Supply Chain Compromise", "2"), ("AI Supply Chain Compromise: AI Software", "1"),
        ("AI Supply Chain Compromise: Model", "1"), ("Verify AI Artifacts", "1")]
    assert 'href="https://atlas.mitre.org/mitigations/AML.M0014"' in html
    assert 'href="/curation/?atlas=AML.T0010"' in html


@pytest.mark.parametrize("role", ["anonymous", "learner"])
def test_the_coverage_page_is_hidden_from_outsiders(client, small_bank, world, role):
    if world[role]:
        client.force_login(world[role])
    assert client.get("/curation/atlas/").status_code == 404
