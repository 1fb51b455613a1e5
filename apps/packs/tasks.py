from datetime import timedelta

from celery import shared_task
from django.conf import settings


@shared_task(name="packs.purge_drafts")
def purge_drafts_task() -> int:
    from apps.packs.services import import_drafts_purge

    return import_drafts_purge(older_than=timedelta(hours=settings.PACK_DRAFT_KEEP_HOURS))
