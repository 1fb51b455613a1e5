from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.bank.bankfile import BankError, read_bank
from apps.curation.services import bank_load


class Command(BaseCommand):
    help = (
        "Validate every file of the question bank, then load it in one transaction. Nothing is "
        "loaded if any file is invalid. Questions changed in the site since they were loaded "
        "are reported and skipped unless --force (a forced overwrite of a published question "
        "goes back to review). Every change is versioned and recorded in the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.BANK_DIR))
        parser.add_argument("--force", action="store_true",
                            help="overwrite questions that instructors changed in the site (they go back to "
                                 "review)")
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")

    def handle(self, *args, path: str, force: bool, dry_run: bool, **options):
        try:
            bank = read_bank(Path(path))
        except BankError as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(exc.errors)} error(s) in the bank; nothing was loaded.")
        report = bank_load(bank=bank, force=force, dry_run=dry_run, context={"path": path})
        for slug in report.conflicts:
            self.stderr.write(f"conflict: {slug} was changed in the site since it was loaded; "
                              "skipped (use --force to overwrite, or exportbank to keep it)")
        for line in report.refused:
            self.stderr.write(f"refused: {line}")
        for slug in report.overwritten:
            review = " and sent back to review" if slug in report.to_review else ""
            self.stdout.write(f"overwritten: {slug} (site changes replaced by a new version"
                              f"{review})")
        prefix = "would load" if dry_run else "loaded"
        self.stdout.write(
            f"{prefix} {len(bank.questions)} questions: {len(report.created)} created, "
            f"{len(report.updated)} updated, {len(report.unchanged)} unchanged, "
            f"{len(report.conflicts)} conflicts, {len(report.overwritten)} overwritten; "
            f"{len(bank.topics)} topics, {len(bank.resources)} resources"
        )
        if report.only_in_site:
            self.stdout.write(f"{len(report.only_in_site)} questions exist only in the site "
                              "(run exportbank to bring them into the repository)")
