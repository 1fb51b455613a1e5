from __future__ import annotations

import pytest

from apps.quiz.services import QuizSpec, quiz_start


@pytest.fixture
def quiz_for(small_bank):
    """Start a quiz for `user` over the fixture bank (6 questions)."""

    def start(user, **kwargs):
        spec = QuizSpec(**{"count": 5, "seconds": 20, **kwargs})
        return quiz_start(user=user, spec=spec)

    return start


def key_of(attempt_question, correct=True):
    """Opaque keys of the correct (or wrong) choices, as a test that knows the key would pick."""
    by_position = {c.position: c for c in attempt_question.version.choices.all()}
    return [key for key, pos in zip(attempt_question.choice_keys, attempt_question.choice_order,
                                    strict=True) if by_position[pos].is_correct == correct]


def current(attempt):
    attempt.refresh_from_db()
    return attempt.questions.select_related("version").get(number=attempt.current_number)
