from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.packs.selectors import PackNotConfigured, signed_pack


class Command(BaseCommand):
    help = "Write the site's bank as a pack signed with PACK_SIGNING_KEY."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .zip to write")

    def handle(self, *args, file: str, **options):
        try:
            data = signed_pack(created=timezone.now().isoformat(timespec="seconds"))
        except PackNotConfigured as exc:
            raise CommandError(str(exc)) from None
        Path(file).write_bytes(data)
        self.stdout.write(f"wrote {file} ({len(data)} bytes)")
