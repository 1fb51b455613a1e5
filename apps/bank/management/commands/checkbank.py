from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.bank import lint
from apps.bank.bankfile import BankError, read_bank


class Command(BaseCommand):
    help = (
        "Quality lint for the whole bank, then its balance. Fails on a question without a "
        "resource or an explanation, a single question without exactly one correct choice, an "
        "'all/none of the above' choice, or near-duplicate stems: stems are compared as sets of "
        "lowercased word trigrams and flagged when their Jaccard similarity is at least "
        f"{lint.NEAR_DUPLICATE_THRESHOLD:.0%}, so a shared scenario opening does not trip it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bank", default=str(settings.BANK_DIR), help="the bank folder")
        parser.add_argument("files", nargs="*",
                            help="print the balance of these question files only (all are linted)")

    def handle(self, *args, bank: str, files: list[str], **options):
        try:
            data = read_bank(Path(bank))
        except BankError as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(exc.errors)} format error(s) in the bank.")
        result = lint.lint_bank(data)
        questions = data.questions
        if files:
            names = {Path(f).name for f in files}
            questions = [q for q in questions if Path(q.source.rsplit(":", 1)[0]).name in names]
            self.stdout.write(f"balance of {', '.join(sorted(names))}:")
        for line in lint.balance_report(questions):
            self.stdout.write(line)
        for line in result.errors:
            self.stderr.write(line)
        if result.errors:
            raise CommandError(f"{len(result.errors)} quality problem(s) in the bank.")
        self.stdout.write(self.style.SUCCESS(f"checkbank: {len(data.questions)} questions pass"))
