"""Celery is one more door onto the services: tasks take ids and call an idempotent service."""

from celery import shared_task

from apps.matches import services


@shared_task(name="matches.advance")
def match_advance_task(match_id: int) -> None:
    services.match_advance(match_id=match_id)


@shared_task(name="matches.bot_answer")
def bot_answer_task(match_id: int, number: int) -> None:
    services.bot_answer(match_id=match_id, number=number)


@shared_task(name="matches.sweep")
def match_sweep_task() -> int:
    return services.match_sweep()
