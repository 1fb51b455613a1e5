from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.bank.bankfile import RESOURCES_FILE, TOPICS_FILE, BankError, read_bank
from apps.bank.export import canonical_question_file, canonical_registry_file, leading_comments


def canonical_files(root: Path) -> dict[Path, str]:
    """Every bank file of `root` in the canonical form `exportbank` writes (comments on top of a
    file are kept; the data is re-emitted)."""
    bank = read_bank(root)

    def header(path: Path) -> str:
        return leading_comments(path.read_text(encoding="utf-8"))

    out = {
        root / RESOURCES_FILE: canonical_registry_file(
            [{"slug": r.slug, "title": r.title, "publisher": r.publisher, "year": r.year,
              "url": r.url, "kind": r.kind, "superseded": r.superseded} for r in bank.resources],
            header(root / RESOURCES_FILE)),
        root / TOPICS_FILE: canonical_registry_file(
            [{"slug": t.slug, "name": t.name, "description": t.description} for t in bank.topics],
            header(root / TOPICS_FILE)),
    }
    grouped: dict[Path, list[dict]] = {}
    for q in bank.questions:
        grouped.setdefault(Path(q.source.rsplit(":", 1)[0]), []).append(q.content())
    for path, items in grouped.items():
        out[path] = canonical_question_file(items, header(path))
    return out


class Command(BaseCommand):
    help = (
        "Rewrite the bank's YAML files into the canonical form that exportbank writes, so that "
        "exportbank after loadbank reproduces them byte for byte. Comment blocks at the top of a "
        "file are kept; comments between questions are not. With --check, change nothing and "
        "fail if any file is not canonical."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.BANK_DIR))
        parser.add_argument("--check", action="store_true",
                            help="list files that are not canonical and fail; write nothing")

    def handle(self, *args, path: str, check: bool, **options):
        try:
            files = canonical_files(Path(path))
        except BankError as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(exc.errors)} error(s) in the bank; nothing was formatted.")
        changed = [p for p, text in files.items() if p.read_text(encoding="utf-8") != text]
        for p in changed:
            self.stdout.write(f"{'would reformat' if check else 'reformatted'} {p}")
            if not check:
                p.write_text(files[p], encoding="utf-8")
        if check and changed:
            raise CommandError(f"{len(changed)} file(s) are not in the canonical form; run "
                               "formatbank")
        self.stdout.write(f"{len(files) - len(changed)} file(s) already canonical")
