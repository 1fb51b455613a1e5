from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from apps.bank.models import Question
from apps.skills.services import AnswerFacts, skill_record_answer

_keys = itertools.count(1)


def record(user, version, correct: bool, *, elapsed_ms: int | None = 5000,
           limit_ms: int = 20000, at=None, timed_out: bool = False, key: str | None = None):
    """Record one answer through the service, as the play tasks do."""
    return skill_record_answer(facts=AnswerFacts(
        source_key=key or f"test:{next(_keys)}", user_id=user.pk, version_id=version.pk,
        is_correct=correct, timed_out=timed_out, elapsed_ms=elapsed_ms, limit_ms=limit_ms,
        answered_at=at or timezone.now()))


@pytest.fixture
def versions(small_bank):
    """The fixture bank's current versions, by question slug."""
    return {q.slug: q.current_version for q in
            Question.objects.select_related("current_version").filter(status="published")}


@pytest.fixture
def run_hooks(monkeypatch):
    """Run the tasks that play services enqueue, synchronously, once the test asks: the
    calls list shows which hooks fired with which ids."""
    from apps.matches import services as match_services
    from apps.quiz import services as quiz_services

    calls: list = []

    def fake_outbox_enqueue(task, *args):
        calls.append((task, args))

    # Skill updates go through the outbox (apps.core.outbox); other tasks run as usual.
    monkeypatch.setattr(quiz_services, "outbox_enqueue", fake_outbox_enqueue)
    monkeypatch.setattr(match_services, "outbox_enqueue", fake_outbox_enqueue)

    def run():
        pending = [c for c in calls if c[0].name.startswith("skills.")]
        calls.clear()
        for task, args in pending:
            task.run(*args)
        return [task.name for task, _ in pending]

    return run
