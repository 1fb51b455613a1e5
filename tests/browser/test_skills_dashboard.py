from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.bank.models import Question
from tests.skills.conftest import record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_sees_their_skill_charts_and_reviews(page, small_bank, world):
    versions = [q.current_version for q in Question.objects.select_related("current_version")]
    for i, version in enumerate(versions):
        record(world["learner"], version, i % 2 == 0, at=timezone.now() - timedelta(hours=1))
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("learner")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Skills").click()

    page.get_by_role("heading", name="Your skills").wait_for()
    topics = page.get_by_role("img", name="Mastery per topic")
    topics.wait_for()
    assert topics.locator("rect.bar").count() >= 5
    box = topics.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100
    assert page.get_by_role("img", name="Share of answers right per active day").is_visible()
    # Bars run weakest first, each label in full.
    titles = topics.locator("rect.bar title").evaluate_all("els => els.map((e) => e.textContent)")
    values = [float(t.rsplit(": ", 1)[1].split("%")[0]) for t in titles]
    assert values == sorted(values)
    # The table sits behind the chart, one click away.
    table = page.get_by_role("table", name="How your skills stack up, per topic")
    assert not table.is_visible()
    page.get_by_text("Every topic as a table").click()
    assert table.is_visible() and table.get_by_role("row").count() > 1
    due = int(page.locator(".due-count").inner_text())
    assert due == sum(1 for i in range(len(versions)) if i % 2 == 1)

    page.get_by_role("button", name="Review now").click()
    page.locator("#quiz-card").get_by_text(f"Question 1 of {due}").wait_for()
    assert page.console_errors == []
