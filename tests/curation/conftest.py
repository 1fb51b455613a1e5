from __future__ import annotations

import copy

import pytest

from apps.quiz.services import QuizSpec, quiz_answer, quiz_start
from tests.factories import InstructorFactory

ITEM = {
    "id": "dataset-poisoning-curated-backdoor",
    "type": "single",
    "style": "concept",
    "difficulty": 2,
    "topics": ["dataset-poisoning"],
    "resources": [{"slug": "badnets", "locator": "Section 3"}],
    "stem": "What does a BadNets-style backdoor need at training time?\n",
    "choices": [
        {"text": "Poisoned samples carrying a trigger and the attacker's label", "correct": True},
        {"text": "Write access to the inference server",
         "misconception": "Thinks the backdoor is planted at serving time."},
    ],
    "explanation": "The trigger is learned from poisoned training samples.\n",
}


@pytest.fixture
def item():
    """A valid question in the bank's YAML shape (a fresh copy per test)."""
    return copy.deepcopy(ITEM)


@pytest.fixture
def reviewer(db):
    return InstructorFactory(username="reviewer")


def answer_first(attempt, correct=True):
    """Answer the attempt's open question; returns the AttemptQuestion."""
    from tests.quiz.conftest import current, key_of

    aq = current(attempt)
    quiz_answer(attempt=attempt, number=aq.number, keys=key_of(aq, correct=correct))
    aq.refresh_from_db()
    return aq


@pytest.fixture
def answered(small_bank, world):
    """The learner's quiz with its first question answered."""
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
    return answer_first(attempt)
