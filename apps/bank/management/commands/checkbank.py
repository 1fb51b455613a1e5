from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.bank import lint
from apps.bank.bankfile import BankError, read_bank


class Command(BaseCommand):
    help = (
        "Quality lint for the whole bank, then its balance. Fails on a question without a "
        "resource or an explanation, a single question without exactly one correct choice, an "
        "'all/none of the above' choice, near-duplicate stems (word-trigram Jaccard at least "
        f"{lint.NEAR_DUPLICATE_THRESHOLD:.0%}), or a malformed distinct-pairs.yaml. Reports the "
        "answer cues (key length rank, multiple-answer spread, true/false balance), semantic "
        "near-duplicates, stale facts, superseded citations and ATLAS coverage; --strict makes "
        "those fail (apps/bank/lint.py holds the bands), --require-checked makes a question "
        "without `checked` fail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bank", default=str(settings.BANK_DIR), help="the bank folder")
        parser.add_argument("files", nargs="*",
                            help="print the balance of these question files only (all are linted)")
        parser.add_argument("--strict", action="store_true", default=settings.BANK_LINT_STRICT,
                            help="fail on the reported rules too (setting BANK_LINT_STRICT)")
        parser.add_argument("--require-checked", action="store_true",
                            default=settings.BANK_REQUIRE_CHECKED,
                            help="fail on a question without `checked` (setting "
                                 "BANK_REQUIRE_CHECKED)")
        parser.add_argument("--max-age-months", type=int,
                            default=settings.BANK_CHECK_MAX_AGE_MONTHS,
                            help="a `checked` month older than this is stale (setting "
                                 "BANK_CHECK_MAX_AGE_MONTHS, default 12)")

    def handle(self, *args, bank: str, files: list[str], strict: bool, require_checked: bool,
               max_age_months: int, **options):
        if max_age_months < 1:
            raise CommandError("--max-age-months must be at least 1.")
        try:
            data = read_bank(Path(bank))
        except BankError as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(exc.errors)} format error(s) in the bank.")
        result = lint.lint_bank(data)
        distinct, distinct_errors = lint.read_distinct_pairs(bank, {q.id for q in data.questions})
        result.errors += distinct_errors
        questions = data.questions
        if files:
            names = {Path(f).name for f in files}
            questions = [q for q in questions if Path(q.source.rsplit(":", 1)[0]).name in names]
            self.stdout.write(f"balance of {', '.join(sorted(names))}:")
        for line in lint.balance_report(questions):
            self.stdout.write(line)

        # Printed for the files asked about; judged over the whole bank.
        today = timezone.localdate()
        fresh, missing = lint.freshness_checks(data, data.questions, today=today,
                                               max_age_months=max_age_months,
                                               verbose=options["verbosity"] > 1)
        enforced = [lint.key_rank_check(data.questions), lint.multiple_answer_check(data.questions),
                    lint.true_false_check(data.questions),
                    lint.semantic_check(data.questions, distinct), fresh]
        shown = enforced if not files else [
            lint.key_rank_check(questions), lint.multiple_answer_check(questions),
            lint.true_false_check(questions), *enforced[3:]]
        for check in [*shown, missing]:
            for line in check.lines:
                self.stdout.write(line)
        for line in lint.atlas_coverage(questions):
            self.stdout.write(line)

        failures = [f for check in enforced for f in check.failures]
        if require_checked:
            result.errors += missing.failures
        if strict:
            result.errors += failures
        elif failures:
            self.stdout.write(f"not enforced (checkbank --strict would fail on these "
                              f"{len(failures)}):")
            for line in failures:
                self.stdout.write(f"  {line}")
        for line in result.errors:
            self.stderr.write(line)
        if result.errors:
            raise CommandError(f"{len(result.errors)} quality problem(s) in the bank.")
        self.stdout.write(self.style.SUCCESS(f"checkbank: {len(data.questions)} questions pass"
                                             + (" (strict)" if strict else "")))
