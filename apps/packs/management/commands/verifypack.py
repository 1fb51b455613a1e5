from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.packs.signing import PackKeyError, pack_verify

MAX_PACK_BYTES = 50 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Verify a question pack: its manifest's Ed25519 signature must verify under one of the "
        "keys this site trusts (PACK_TRUSTED_KEYS), never a key carried in the pack, and every "
        "file must match its SHA-256 in the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_PACK_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"{file}: cannot read: {exc.strerror}") from None
        if len(data) > MAX_PACK_BYTES:
            raise CommandError(f"{file}: larger than {MAX_PACK_BYTES} bytes")
        try:
            result = pack_verify(data=data, trusted_keys=list(settings.PACK_TRUSTED_KEYS))
        except PackKeyError as exc:
            raise CommandError(f"PACK_TRUSTED_KEYS: {exc}") from None
        if not result.ok:
            for line in result.errors:
                self.stderr.write(f"{file}: {line}")
            raise CommandError(f"{file}: NOT verified")
        self.stdout.write(self.style.SUCCESS(
            f"{file}: verified, {len(result.files)} files, signed by trusted key {result.key}"))
