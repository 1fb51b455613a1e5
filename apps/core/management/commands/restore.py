from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.backups import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a backup written by `manage.py backup` into the configured database, or "
            "into --target (a SQLite file, or a postgres:// URL of an existing database). Stop "
            "the web processes and the worker before restoring over the live database.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--target", default=None)

    def handle(self, *args, path, target=None, **options):
        try:
            where = restore(Path(path), target=target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {path} into {where}")
