"""Many learners answering the same question at once, on PostgreSQL with real row locks."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from apps.bank.models import Question
from apps.skills import elo
from apps.skills.models import AnswerEvent, QuestionSkill, SkillEstimate
from tests.factories import UserFactory, load_small_bank
from tests.skills.conftest import record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_first_answers_lose_no_update():
    load_small_bank()
    version = Question.objects.get(slug="ml-threats-fixture-owasp-ids").current_version
    learners = [UserFactory(username=f"racer{i}") for i in range(8)]
    barrier = threading.Barrier(len(learners) * 2)
    errors: list[BaseException] = []

    def answer(user, key):
        try:
            barrier.wait()
            # The same play record twice (a task delivered twice) must count once.
            record(user, version, user.pk % 2 == 0, key=key)
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(u, f"race:{u.pk}"))
               for u in learners for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    skill = QuestionSkill.objects.get(question_id=version.question_id)
    assert skill.answers == len(learners)
    assert skill.correct == sum(1 for u in learners if u.pk % 2 == 0)
    assert AnswerEvent.objects.count() == len(learners)
    assert set(SkillEstimate.objects.filter(kind="overall").values_list("answers", flat=True)
               ) == {1}
    # Replaying the answers one at a time, in the order the locks let them through (event
    # ids), gives exactly the stored difficulty: no update was computed from a stale read.
    difficulty = elo.prior(version.difficulty)
    for n, event in enumerate(AnswerEvent.objects.order_by("pk")):
        assert event.predicted == pytest.approx(elo.expected(0.0, difficulty))
        _, difficulty, _ = elo.update(0.0, 0, difficulty, n, event.is_correct)
    assert skill.difficulty == pytest.approx(difficulty)
