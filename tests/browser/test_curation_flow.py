"""An instructor writes a question, a second instructor reviews and publishes it, a learner
answers it in a quiz and can report it."""

from __future__ import annotations

import re

import pytest

from apps.audit.models import AuditEvent
from apps.bank.models import Question
from tests.factories import PASSWORD, InstructorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, username):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$|/accounts/settings/|/quiz/|/skills/"))


def test_an_instructor_writes_a_question_another_publishes_it_and_a_learner_answers_it(
        page, small_bank, world):
    InstructorFactory(username="reviewer")
    slug = "dataset-poisoning-browser-trigger"

    _login(page, "instructor")
    page.get_by_role("link", name="Curation").click()
    page.get_by_role("heading", name="Question bank").wait_for()
    page.get_by_role("link", name="New question").first.click()
    page.get_by_label("Id", exact=True).fill(slug)
    page.get_by_label("Main topic", exact=True).select_option("dataset-poisoning")
    page.get_by_label("Stem", exact=True).fill("Which **training-time** input plants a backdoor?")
    page.get_by_label("Choice 1", exact=True).fill("Samples stamped with a trigger")
    page.locator("#id_choice_0_correct").check()
    page.get_by_label("Choice 2", exact=True).fill("A slow inference server")
    page.locator("#id_choice_1_misconception").fill("Confuses availability with integrity.")
    page.locator("#id_resource_0").select_option("badnets")
    page.locator("#id_locator_0").fill("Section 3")
    page.get_by_label("Explanation", exact=True).fill("The trigger is learned from poisoned samples.")
    # the live preview renders the learner's view, Markdown and all, without the key
    preview = page.locator("#preview")
    preview.get_by_role("button", name=re.compile("A slow inference server")).wait_for()
    assert preview.locator("strong", has_text="training-time").count() == 1
    assert "Confuses availability" not in preview.inner_text()
    page.get_by_role("button", name="Create draft").click()
    page.get_by_text(f"Draft {slug} created.").wait_for()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_test_id("status").filter(has_text="In review").wait_for()
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_text("another instructor must review").wait_for()

    _login(page, "reviewer")
    page.goto(f"/curation/q/{slug}/")
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_test_id("status").filter(has_text="Published").wait_for()
    assert Question.objects.get(slug=slug).status == "published"

    _login(page, "learner")
    page.goto("/quiz/new/")
    page.get_by_label("Questions").fill("5")
    page.get_by_label("Focus").select_option("topic:dataset-poisoning")
    page.get_by_role("button", name="Start quiz").click()
    page.locator("#quiz-card").get_by_text("Question 1 of 1").wait_for()
    page.get_by_role("button", name=re.compile("Samples stamped with a trigger")).click()
    page.get_by_role("heading", name=re.compile("Correct")).wait_for()
    page.get_by_role("link", name="Report a problem with this question").click()
    page.get_by_label("Typo or formatting").check()
    page.get_by_label("Details").fill("'Samples' should be singular.")
    page.get_by_role("button", name="Send report").click()
    page.get_by_role("heading", name="My reports").wait_for()
    assert page.get_by_test_id("report-state").inner_text() == "Open"
    assert list(AuditEvent.objects.filter(question__slug=slug).order_by("id")
                .values_list("action", flat=True)) == ["create", "submit", "approve"]
    assert page.console_errors == []
