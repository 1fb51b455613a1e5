from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from apps.bank.export import bank_export


class Command(BaseCommand):
    help = "Write the site's bank (current versions, with status) to a folder in the YAML format."

    def add_arguments(self, parser):
        parser.add_argument("target", help="folder to write resources.yaml, topics.yaml and "
                                           "the question files into")

    def handle(self, *args, target: str, **options):
        written = bank_export(target=Path(target))
        self.stdout.write(f"wrote {len(written)} files to {target}")
