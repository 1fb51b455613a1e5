from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.packs.services import import_drafts_purge


class Command(BaseCommand):
    help = "Delete uploaded imports never applied (beat runs this hourly on the full stack)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=settings.PACK_DRAFT_KEEP_HOURS,
                            help="keep drafts younger than this (default %(default)s)")

    def handle(self, *args, hours: int, **options):
        deleted = import_drafts_purge(older_than=timedelta(hours=max(0, hours)))
        self.stdout.write(f"deleted {deleted} unapplied import draft(s) older than {hours} h")
