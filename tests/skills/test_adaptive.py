from __future__ import annotations

import pytest

from apps.quiz.forms import QuizForm
from apps.quiz.models import QuizAttempt
from apps.quiz.services import QuizSpec, quiz_start
from apps.skills import elo
from apps.skills.adaptive import TARGET, adaptive_pick
from apps.skills.models import QuestionSkill, SkillEstimate
from tests.skills.conftest import record

pytestmark = pytest.mark.django_db

# Calibrated difficulties for the six fixture questions; a learner at theta 0 has a 70% chance
# on the two near -0.85 and clearly different chances on the others.
SPREAD = {"serialization-fixture-reduce": -3.0, "serialization-fixture-safetensors-code": -2.0,
          "hub-risks-fixture-defences": -0.85, "signing-attestation-fixture-rekor": -0.8,
          "ml-threats-fixture-owasp-ids": 1.0, "pipeline-integrity-fixture-slsa": 2.0}


@pytest.fixture
def calibrated(versions):
    for slug, difficulty in SPREAD.items():
        QuestionSkill.objects.create(question_id=versions[slug].question_id,
                                     difficulty=difficulty, answers=50)
    return versions


def test_it_picks_questions_near_seventy_percent(world, calibrated):
    ids = [v.pk for v in calibrated.values()]
    picked = adaptive_pick(user=world["learner"], version_ids=ids, count=2)
    slugs = {v.question.slug for v in calibrated.values() if v.pk in picked}
    assert slugs == {"hub-risks-fixture-defences", "signing-attestation-fixture-rekor"}
    chances = [elo.expected(0.0, SPREAD[s]) for s in slugs]
    assert all(abs(p - TARGET) < 0.05 for p in chances)


def test_it_follows_the_learner_up(world, calibrated):
    """A learner at theta 2.85 has 70% on the question of difficulty 2."""
    SkillEstimate.objects.create(user=world["learner"], kind="overall", theta=2.85, answers=40)
    ids = [v.pk for v in calibrated.values()]
    [picked] = adaptive_pick(user=world["learner"], version_ids=ids, count=1)
    assert picked == calibrated["pipeline-integrity-fixture-slsa"].pk


def test_it_prefers_unseen_questions(world, calibrated):
    record(world["learner"], calibrated["hub-risks-fixture-defences"], True)
    SkillEstimate.objects.filter(user=world["learner"]).update(theta=0.0)
    ids = [v.pk for v in calibrated.values()]
    [picked] = adaptive_pick(user=world["learner"], version_ids=ids, count=1)
    assert picked == calibrated["signing-attestation-fixture-rekor"].pk


def test_it_favours_weak_topics(world, calibrated):
    """Two questions equally far from 70%: the one in the learner's weak topic wins."""
    hub = calibrated["hub-risks-fixture-defences"]
    rekor = calibrated["signing-attestation-fixture-rekor"]
    QuestionSkill.objects.filter(question_id__in=[hub.question_id, rekor.question_id]).update(
        difficulty=-0.85)
    SkillEstimate.objects.create(user=world["learner"], kind="topic", ref=hub.main_topic_id,
                                 theta=0.0, answers=10)
    SkillEstimate.objects.create(user=world["learner"], kind="topic", ref=rekor.main_topic_id,
                                 theta=0.0, answers=10)
    # Same predicted chance on both: skew the theta of one topic down, and its question's
    # difficulty down by the same amount.
    SkillEstimate.objects.filter(ref=rekor.main_topic_id).update(theta=-2.0)
    QuestionSkill.objects.filter(question_id=rekor.question_id).update(difficulty=-2.85)
    [picked] = adaptive_pick(user=world["learner"], version_ids=[hub.pk, rekor.pk], count=1)
    assert picked == rekor.pk


def test_the_quiz_form_and_api_start_an_adaptive_quiz(world, calibrated, client):
    form = QuizForm({"count": 5, "seconds": 20, "mode": "accuracy", "focus": "adaptive"})
    assert form.is_valid(), form.errors
    assert form.spec().adaptive
    attempt = quiz_start(user=world["learner"], spec=form.spec())
    assert attempt.focus_label == "adaptive"
    assert attempt.questions.count() == 5
    client.force_login(world["learner"])
    response = client.post("/api/v1/quizzes/", {"count": 5, "adaptive": True},
                           content_type="application/json")
    assert response.status_code == 201
    assert response.json()["focus"] == "adaptive"
    refused = client.post("/api/v1/quizzes/", {"count": 5, "adaptive": "sometimes"},
                          content_type="application/json")
    assert refused.status_code == 400
    assert QuizAttempt.objects.count() == 2


def test_an_adaptive_quiz_works_for_a_visitor(calibrated):
    attempt = quiz_start(user=None, spec=QuizSpec(count=5, adaptive=True))
    assert attempt.questions.count() == 5
