"""Celery is one more door onto the services: tasks take ids and call an idempotent service."""

from celery import shared_task

from apps.live import services


@shared_task(name="live.advance")
def game_advance_task(game_id: int) -> None:
    services.game_advance(game_id=game_id)


@shared_task(name="live.sweep")
def game_sweep_task() -> int:
    return services.game_sweep()
