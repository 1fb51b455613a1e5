from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.backups import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the database while it serves: SQLite's online backup API, or pg_dump's "
            "custom format. Prints the file written.")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="file to write (default: "
                            "backups/arena-<UTC time>.sqlite3 or .dump)")

    def handle(self, *args, path=None, **options):
        from django.db import connection

        if path is None:
            suffix = "dump" if connection.vendor == "postgresql" else "sqlite3"
            path = f"backups/arena-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.{suffix}"
        try:
            written = backup(Path(path))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(written))
