"""Choices are Markdown too: backticks, emphasis and links render inline wherever a choice is
shown (quiz, match, live, feedback, editor preview, insights), sanitised like stems."""

from __future__ import annotations

import pytest
from django.template import engines

from apps.bank.markdown import render_inline


@pytest.mark.parametrize("text, html", [
    ("Use `torch.load(weights_only=True)`", "Use <code>torch.load(weights_only=True)</code>"),
    ("**only** the key", "<strong>only</strong> the key"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
    ("# not a heading", "# not a heading"),
    ("- not a list", "- not a list"),
])
def test_a_choice_renders_inline_and_safe(text, html):
    assert render_inline(text) == html


def test_every_template_can_use_the_filter_without_loading_it():
    template = engines["django"].from_string("{{ text|inline_md }}")
    assert template.render({"text": "`pickle`"}) == "<code>pickle</code>"


@pytest.mark.django_db
def test_the_quiz_page_shows_a_choice_with_backticks_as_code(client, world):
    from apps.quiz.services import QuizSpec, quiz_start
    from tests.factories import load_small_bank

    load_small_bank()
    from apps.bank.models import Choice

    Choice.objects.update(text="Call `pickle.loads` on it")
    client.force_login(world["learner"])
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
    html = client.get(f"/quiz/{attempt.public_id}/").content.decode()
    assert "<code>pickle.loads</code>" in html and "`pickle.loads`" not in html
