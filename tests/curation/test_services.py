from __future__ import annotations

import pytest

from apps.audit.models import AuditEvent
from apps.bank.models import Question
from apps.bank.selectors import published_versions
from apps.curation.models import Report, Review
from apps.curation.services import (
    CurationError,
    question_create,
    question_transition,
    question_update,
    question_validate,
    report_create,
    report_handle,
)
from apps.quiz.selectors import question_result
from apps.quiz.services import QuizSpec, quiz_start
from tests.curation.conftest import answer_first

pytestmark = pytest.mark.django_db


def _published(item, author, reviewer) -> Question:
    question = question_create(user=author, item=item)
    question_transition(user=author, question=question, action="submit")
    question_transition(user=reviewer, question=question, action="approve")
    question.refresh_from_db()
    return question


def test_it_creates_a_draft_with_a_first_version_by_its_author(small_bank, world, item):
    question = question_create(user=world["instructor"], item=item)
    assert question.status == "draft"
    version = question.current_version
    assert version.number == 1 and version.created_by == world["instructor"]
    assert [c.is_correct for c in version.choices.all()] == [True, False]
    assert version.citations.get().locator == "Section 3"
    assert question.loaded_hash == ""  # site-made: loadbank must see it as changed in the site
    assert not published_versions(topic="dataset-poisoning").exists()
    event = AuditEvent.objects.exclude(action="load").get()
    assert (event.actor, event.action, event.question, event.version_number) == (
        world["instructor"], "create", question, 1)


def test_it_validates_with_the_banks_rules_and_names_fields(small_bank, item):
    item["id"] = "serialization-wrong-prefix"
    item["difficulty"] = 4
    item["topics"] = ["dataset-poisoning", "no-such-topic"]
    item["choices"][1].pop("misconception")
    item["resources"][0]["locator"] = " "
    del item["stem"]
    with pytest.raises(CurationError) as exc:
        question_validate(item=item)
    errors = exc.value.errors
    assert "must start with its main topic" in errors["id"][0]
    assert errors["difficulty"] == ["Difficulty must be 1, 2 or 3"]
    assert any("Unknown topic 'no-such-topic'" in e for e in errors["topics"])
    assert any("needs a misconception" in e for e in errors["choices"])
    assert any("needs a locator" in e for e in errors["resources"])
    assert errors["stem"] == ["This field is required."]


def test_it_refuses_a_taken_id(small_bank, world, item):
    item["id"] = "serialization-fixture-reduce"
    item["topics"] = ["serialization"]
    with pytest.raises(CurationError) as exc:
        question_create(user=world["instructor"], item=item)
    assert exc.value.status == 409 and "already used" in exc.value.errors["id"][0]


def test_an_author_cannot_publish_their_own_question(small_bank, world, item):
    question = question_create(user=world["instructor"], item=item)
    assert question_transition(user=world["instructor"], question=question, action="submit")
    with pytest.raises(CurationError) as exc:
        question_transition(user=world["instructor"], question=question, action="approve")
    assert exc.value.status == 409 and "another instructor" in exc.value.message
    question.refresh_from_db()
    assert question.status == "review"


def test_another_instructor_approves_and_learners_then_get_it(small_bank, world, item, reviewer):
    question = _published(item, world["instructor"], reviewer)
    assert question.status == "published"
    assert published_versions(topic="dataset-poisoning").get() == question.current_version
    review = Review.objects.get()
    assert (review.decision, review.reviewer, review.submitted_by) == (
        "approved", reviewer, world["instructor"])
    assert list(AuditEvent.objects.exclude(action="load").order_by("id").values_list("action", "actor__username")) == [
        ("create", "instructor"), ("submit", "instructor"), ("approve", "reviewer")]


def test_transitions_are_idempotent(small_bank, world, item, reviewer):
    question = question_create(user=world["instructor"], item=item)
    assert question_transition(user=world["instructor"], question=question, action="submit")
    assert not question_transition(user=world["instructor"], question=question, action="submit")
    assert question_transition(user=reviewer, question=question, action="approve")
    assert not question_transition(user=reviewer, question=question, action="approve")
    assert question_transition(user=reviewer, question=question, action="retire")
    assert not question_transition(user=reviewer, question=question, action="retire")
    assert Review.objects.count() == 1
    assert AuditEvent.objects.exclude(action="load").count() == 4  # create, submit, approve, retire: no repeats


@pytest.mark.parametrize("action,status,message", [
    ("approve", "draft", "Only a question in review can be approved"),
    ("request_changes", "draft", "Changes can only be requested on a question in review"),
    ("reopen", "draft", None),  # already a draft: a no-op, not an error
    ("submit", "published", "Only a draft can be submitted"),
    ("reopen", "published", "Only a retired question can be reopened"),
    ("submit", "retired", "Only a draft can be submitted"),
    ("approve", "retired", "Only a question in review can be approved"),
])
def test_it_refuses_illegal_transitions(small_bank, world, item, reviewer, action, status,
                                        message):
    question = question_create(user=world["instructor"], item=item)
    Question.objects.filter(pk=question.pk).update(status=status)
    if message is None:
        assert not question_transition(user=reviewer, question=question, action=action)
        return
    with pytest.raises(CurationError) as exc:
        question_transition(user=reviewer, question=question, action=action, comment="x")
    assert exc.value.status == 409 and message in exc.value.message
    question.refresh_from_db()
    assert question.status == status


def test_it_refuses_an_unknown_action(small_bank, world, item):
    question = question_create(user=world["instructor"], item=item)
    with pytest.raises(CurationError, match="Unknown action"):
        question_transition(user=world["instructor"], question=question, action="publish")


def test_requesting_changes_needs_a_comment_and_returns_to_draft(small_bank, world, item,
                                                                 reviewer):
    question = question_create(user=world["instructor"], item=item)
    question_transition(user=world["instructor"], question=question, action="submit")
    with pytest.raises(CurationError) as exc:
        question_transition(user=reviewer, question=question, action="request_changes")
    assert exc.value.errors == {"comment": ["Say what needs to change."]}
    assert question_transition(user=reviewer, question=question, action="request_changes",
                               comment="Cite the section, not the paper.")
    question.refresh_from_db()
    assert question.status == "draft"
    review = Review.objects.get()
    assert (review.decision, review.comment) == ("changes", "Cite the section, not the paper.")
    # the same request again (a retry) is a no-op
    assert not question_transition(user=reviewer, question=question, action="request_changes",
                                   comment="Cite the section, not the paper.")


def test_an_edit_makes_a_new_version_and_an_answered_attempt_keeps_v1(small_bank, world, item,
                                                                      reviewer):
    question = _published(item, world["instructor"], reviewer)
    v1 = question.current_version
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5, topic="dataset-poisoning"))
    aq = answer_first(attempt)
    assert aq.version == v1

    item["choices"][0]["text"] = "Poisoned training samples with a trigger"
    v2 = question_update(user=reviewer, question=question, item=item)
    assert v2.number == 2 and v2.created_by == reviewer
    question.refresh_from_db()
    assert question.current_version == v2
    assert question.loaded_hash == ""  # untouched by site edits
    # Editing a published question sends it back to review, so nobody publishes alone.
    assert question.status == "review"
    assert not published_versions(topic="dataset-poisoning").exists()
    aq.refresh_from_db()
    assert aq.version == v1
    result = question_result(aq)
    assert any(c["text"] == ITEM_TEXT for c in result["choices"])
    # the editor cannot approve their own edit; the original author did not write v2 but
    # the reviewer submitted it, so the author may approve it
    with pytest.raises(CurationError):
        question_transition(user=reviewer, question=question, action="approve")
    assert question_transition(user=world["instructor"], question=question, action="approve")


ITEM_TEXT = "Poisoned samples carrying a trigger and the attacker's label"


def test_saving_unchanged_content_makes_no_version(small_bank, world, item):
    question = question_create(user=world["instructor"], item=item)
    again = question_update(user=world["instructor"], question=question, item=item)
    assert again.number == 1 and question.versions.count() == 1
    assert AuditEvent.objects.exclude(action="load").filter(action="edit").count() == 0


def test_an_edit_keeps_the_id_and_a_retired_question_cannot_be_edited(small_bank, world, item):
    question = question_create(user=world["instructor"], item=item)
    item["id"] = "dataset-poisoning-renamed"
    item["stem"] = "Changed stem?"
    version = question_update(user=world["instructor"], question=question, item=item)
    assert version.content["id"] == "dataset-poisoning-curated-backdoor"
    question_transition(user=world["instructor"], question=question, action="retire")
    with pytest.raises(CurationError, match="retired"):
        question_update(user=world["instructor"], question=question, item=item | {"stem": "x"})
    question_transition(user=world["instructor"], question=question, action="reopen")
    question.refresh_from_db()
    assert question.status == "draft" and question.versions.count() == 2


def test_a_learner_reports_an_answered_question_once(answered, world):
    report = report_create(user=world["learner"], attempt_question=answered, kind="wrong_key",
                           comment="The second choice is also right.")
    assert (report.question, report.version, report.state) == (
        answered.version.question, answered.version, "open")
    with pytest.raises(CurationError) as exc:
        report_create(user=world["learner"], attempt_question=answered, kind="typo",
                      comment="again")
    assert exc.value.status == 409
    assert Report.objects.count() == 1


def test_a_report_needs_a_kind_and_a_comment(answered, world):
    with pytest.raises(CurationError) as exc:
        report_create(user=world["learner"], attempt_question=answered, kind="boring",
                      comment="  ")
    assert set(exc.value.errors) == {"kind", "comment"}
    assert not Report.objects.exists()


def test_an_unanswered_question_cannot_be_reported(small_bank, world):
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
    open_question = attempt.questions.get(number=1)
    with pytest.raises(CurationError) as exc:
        report_create(user=world["learner"], attempt_question=open_question, kind="typo",
                      comment="typo")
    assert exc.value.status == 409


def test_an_instructor_resolves_a_report_once(answered, world):
    report = report_create(user=world["learner"], attempt_question=answered, kind="typo",
                           comment="Teh")
    with pytest.raises(CurationError) as exc:
        report_handle(user=world["instructor"], report=report, state="resolved", note="")
    assert "note" in exc.value.errors
    with pytest.raises(CurationError):
        report_handle(user=world["instructor"], report=report, state="open", note="x")
    assert report_handle(user=world["instructor"], report=report, state="resolved",
                         note="Fixed in v2.")
    assert not report_handle(user=world["instructor"], report=report, state="resolved",
                             note="Fixed in v2.")
    with pytest.raises(CurationError) as exc:
        report_handle(user=world["instructor"], report=report, state="dismissed", note="no")
    assert exc.value.status == 409
    report.refresh_from_db()
    assert (report.state, report.note, report.handled_by) == (
        "resolved", "Fixed in v2.", world["instructor"])
    assert AuditEvent.objects.exclude(action="load").get().action == "report_resolve"


def test_the_yaml_of_a_version_keeps_the_banks_key_order(small_bank, world, item):
    from apps.curation.selectors import canonical_content, version_yaml

    question = question_create(user=world["instructor"], item=item)
    shuffled = dict(reversed(list(item.items())))
    shuffled["choices"] = [dict(reversed(list(c.items()))) for c in item["choices"]]
    assert list(canonical_content(shuffled)) == list(item)
    assert canonical_content(shuffled)["choices"] == item["choices"]
    text = version_yaml(question.current_version)
    assert text.index("id:") < text.index("type:") < text.index("stem:") < text.index("choices:")
