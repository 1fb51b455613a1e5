"""Celery is one more door onto the services."""

from celery import shared_task

from apps.accounts import services


@shared_task(name="accounts.purge_tokens")
def purge_tokens_task() -> int:
    return services.tokens_purge_expired()
