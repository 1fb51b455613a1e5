"""Celery is one more door onto the services: tasks take data or ids and call an idempotent
service."""

from celery import shared_task

from apps.skills import services


@shared_task(name="skills.record_answers")
def record_answers_task(facts: list[dict]) -> int:
    """Answers handed over by a play mode as data (apps.skills.services.AnswerFacts.as_data)."""
    return services.skill_record_answers(
        facts=[services.AnswerFacts.from_data(f) for f in facts])


@shared_task(name="skills.refresh_stats")
def refresh_stats_task() -> dict:
    """Beat runs this every few minutes; a page that finds the tables stale enqueues it too."""
    return services.skill_stats_refresh()
