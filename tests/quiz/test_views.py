from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.quiz.models import AttemptQuestion, QuizAttempt
from tests.factories import PASSWORD
from tests.quiz.conftest import current, key_of

pytestmark = pytest.mark.django_db


def test_the_home_page_starts_a_quiz_in_one_click(client, small_bank):
    home = client.get("/").content.decode()
    assert 'action="/quiz/start/"' in home
    response = client.post("/quiz/start/")
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get()
    assert response.url == f"/quiz/{attempt.public_id}/"
    assert attempt.user is None and attempt.questions.count() == 6 or \
        attempt.questions.count() == 6


def test_a_topic_card_on_the_home_page_starts_a_quiz_on_that_topic(client, small_bank):
    import re

    home = client.get("/").content.decode()
    cards = re.findall(r'name="focus" value="topic:([a-z0-9-]+)"', home)
    assert cards, "every topic with questions has a Play button"
    topic = cards[0]
    form = home[home.index(f'value="topic:{topic}"') - 400:home.index(f'value="topic:{topic}"') + 400]
    assert 'action="/quiz/new/"' in form
    response = client.post("/quiz/new/", {"focus": f"topic:{topic}", "count": "10",
                                          "seconds": "20", "mode": "speed"})
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get()
    assert all(topic in [t.slug for t in aq.version.topics.all()]
               for aq in attempt.questions.select_related("version"))


def test_the_play_page_shows_progress_timer_and_choices(client, world, small_bank):
    client.force_login(world["learner"])
    url = client.post("/quiz/start/").url
    html = client.get(url).content.decode()
    assert "Question 1 of 6" in html
    assert 'role="timer"' in html and "data-remaining-ms" in html
    assert "<kbd>1</kbd>" in html


def test_refreshing_resumes_the_same_question_with_the_clock_running(client, world, small_bank):
    client.force_login(world["learner"])
    url = client.post("/quiz/start/").url
    attempt = QuizAttempt.objects.get()
    aq = current(attempt)
    AttemptQuestion.objects.filter(pk=aq.pk).update(deadline=timezone.now() + timedelta(seconds=7))
    html = client.get(url).content.decode()
    assert "Question 1 of 6" in html
    remaining = int(html.split('data-remaining-ms="')[1].split('"')[0])
    assert 6000 < remaining <= 7000
    aq.refresh_from_db()
    assert aq.state == "open"


def test_an_answer_without_javascript_redirects_back_to_the_feedback(client, world, small_bank):
    client.force_login(world["learner"])
    url = client.post("/quiz/start/").url
    aq = current(QuizAttempt.objects.get())
    response = client.post(url + "answer/", {"number": 1, "choice": key_of(aq)})
    assert response.status_code == 302 and response.url == url
    html = client.get(url).content.decode()
    assert "Correct" in html and aq.version.explanation.strip()[:30] in html
    assert "Next question" in html


def test_a_bad_answer_post_shows_a_clear_message_and_keeps_the_question(client, world,
                                                                        small_bank):
    client.force_login(world["learner"])
    url = client.post("/quiz/start/").url
    response = client.post(url + "answer/", {"number": 1, "choice": "forged"},
                           HTTP_HX_REQUEST="true")
    assert "Unknown choice" in response.content.decode()
    assert current(QuizAttempt.objects.get()).state == "open"


def test_the_results_page_summarises_the_quiz(client, world, small_bank):
    client.force_login(world["learner"])
    url = client.post("/quiz/start/").url
    attempt = QuizAttempt.objects.get()
    for number in range(1, 7):
        aq = current(attempt)
        keys = key_of(aq) if number % 2 else key_of(aq, correct=False)[:1]
        client.post(url + "answer/", {"number": number, "choice": keys})
        client.post(url + "next/", {"number": number})
    response = client.get(url)
    assert response.status_code == 302 and response.url.endswith("/results/")
    html = client.get(response.url).content.decode()
    assert "3 of 6 correct" in html and "mean answer time" in html
    assert "By topic" in html and "What you missed" in html
    # Misses are one line each (a closed <details> with the stem and the key) that opens to the
    # teaching: the page was ~11,000 px tall with every card open.
    assert html.count('<details class="missed">') == 3 and "<details class=\"missed\" open" not in html
    assert html.count('class="missed-key"') == 3
    assert "Retry the ones I missed" in html
    client.post(url + "retry/")
    retry = QuizAttempt.objects.order_by("-created_at").first()
    assert retry.questions.count() == 3


def test_a_visitor_keeps_the_quiz_after_signing_up(client, small_bank):
    url = client.post("/quiz/start/").url
    assert client.get(url).status_code == 200
    client.post("/accounts/signup/", {"username": "newbie", "email": "n@example.com",
                                      "password1": PASSWORD, "password2": PASSWORD})
    attempt = QuizAttempt.objects.get()
    assert attempt.user.username == "newbie"
    assert client.get(url).status_code == 200
    assert "quiz" in client.get("/quiz/history/").content.decode().lower()


def test_outsiders_get_404_on_every_quiz_url(client, world, small_bank):
    client.force_login(world["learner"])
    url = client.post("/quiz/start/").url
    client.logout()
    client.force_login(world["other_learner"])
    assert client.get(url).status_code == 404
    assert client.get(url + "results/").status_code == 404
    for action in ("answer/", "next/", "retry/"):
        assert client.post(url + action, {"number": 1}).status_code == 404


def test_another_visitors_session_gets_404(client, small_bank):
    from django.test import Client

    url = client.post("/quiz/start/").url
    assert Client().get(url).status_code == 404


def test_the_custom_form_refuses_bad_settings(client, small_bank):
    response = client.post("/quiz/new/", {"count": 99, "seconds": 5, "mode": "speed"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "less than or equal to 30" in html and "greater than or equal to 10" in html
    assert QuizAttempt.objects.count() == 0


def test_the_custom_form_starts_a_focused_quiz(client, small_bank):
    response = client.post("/quiz/new/", {"count": 5, "seconds": 30, "mode": "accuracy",
                                          "focus": "topic:serialization"})
    attempt = QuizAttempt.objects.get()
    assert response.url == f"/quiz/{attempt.public_id}/"
    assert attempt.mode == "accuracy" and attempt.seconds_per_question == 30
    assert attempt.questions.count() == 2


def test_history_needs_a_login(client):
    assert client.get("/quiz/history/").status_code == 302


ALL_TAGGED = {"serialization-fixture-reduce": ["AML.T0010.003", "AML.M0014"],
              "serialization-fixture-safetensors-code": ["AML.T0011.000"],
              "hub-risks-fixture-defences": ["AML.M0014"],
              "signing-attestation-fixture-rekor": ["AML.M0013"],
              "ml-threats-fixture-owasp-ids": ["AML.T0018"],
              "pipeline-integrity-fixture-slsa": ["AML.T0010.001"]}


def test_the_feedback_card_names_and_links_the_atlas_ids_only_once_the_question_is_closed(
        client, world, tmp_path):
    from tests.factories import load_small_bank_with_atlas

    load_small_bank_with_atlas(tmp_path, ALL_TAGGED)
    client.force_login(world["learner"])
    url = client.post("/quiz/start/").url
    aq = current(QuizAttempt.objects.get())
    before = client.get(url).content.decode()
    assert "AML." not in before and "atlas.mitre.org" not in before  # nothing leaks early
    client.post(url + "answer/", {"number": 1, "choice": key_of(aq, correct=False)[:1]})
    after = client.get(url).content.decode()
    for atlas_id in ALL_TAGGED[aq.version.question.slug]:
        kind = "mitigations" if ".M" in atlas_id else "techniques"
        assert (f'<a href="https://atlas.mitre.org/{kind}/{atlas_id}" rel="noopener noreferrer" '
                f'target="_blank">{atlas_id}</a>') in after
    if "AML.T0010.003" in ALL_TAGGED[aq.version.question.slug]:
        assert "AI Supply Chain Compromise: Model" in after


def test_the_quiz_form_offers_an_atlas_focus(client, world, tmp_path):
    from tests.factories import load_small_bank_with_atlas

    load_small_bank_with_atlas(tmp_path, {"serialization-fixture-reduce": ["AML.T0010.003"]})
    client.force_login(world["learner"])
    html = client.get("/quiz/new/").content.decode()
    assert 'value="atlas:AML.T0010"' in html and "MITRE ATLAS: AML.T0010 AI Supply Chain" in html
    assert 'value="atlas:AML.T0010.003"' in html
    response = client.post("/quiz/new/", {"count": 5, "seconds": 20, "mode": "speed",
                                          "focus": "atlas:AML.T0010"})
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get()
    assert attempt.questions.get().version.question.slug == "serialization-fixture-reduce"


def test_the_quiz_form_refuses_an_atlas_focus_it_did_not_offer(client, world, small_bank):
    client.force_login(world["learner"])
    response = client.post("/quiz/new/", {"count": 5, "seconds": 20, "mode": "speed",
                                          "focus": "atlas:AML.T0010"})
    assert response.status_code == 200 and not QuizAttempt.objects.exists()

