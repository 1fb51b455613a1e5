"""Supply-chain hygiene of the platform itself: vendored files match their pinned checksums and
no page loads code or styles from another origin."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

VENDOR = settings.BASE_DIR / "static" / "vendor"
TEST_VENDOR = settings.BASE_DIR / "tests" / "browser" / "vendor"  # axe-core, never served


@pytest.mark.parametrize("vendor", [VENDOR, TEST_VENDOR], ids=["served", "tests-only"])
def test_every_vendored_file_matches_its_pinned_checksum(vendor):
    manifest = json.loads((vendor / "manifest.json").read_text())
    listed = {entry["file"] for entry in manifest["files"]}
    on_disk = {p.name for p in vendor.iterdir() if p.name != "manifest.json"}
    assert listed == on_disk
    for entry in manifest["files"]:
        digest = hashlib.sha256((vendor / entry["file"]).read_bytes()).hexdigest()
        assert digest == entry["sha256"], entry["file"]
        assert entry["version"] in entry["file"]


def test_templates_load_nothing_from_another_origin():
    pattern = re.compile(r"<(script|link)[^>]+(src|href)=\"(https?:)?//", re.I)
    for path in Path(settings.BASE_DIR / "templates").rglob("*.html"):
        assert not pattern.search(path.read_text()), path


def test_requirements_are_pinned_with_hashes():
    for name in ("requirements.txt", "requirements-dev.txt"):
        text = (settings.BASE_DIR / name).read_text()
        packages = re.findall(r"^([a-z0-9][a-z0-9._-]*)==", text, re.M | re.I)
        assert packages
        blocks = re.split(r"^(?=[a-z0-9])", text, flags=re.M | re.I)
        for block in blocks:
            if re.match(r"[a-z0-9][a-z0-9._-]*==", block, re.I):
                assert "--hash=sha256:" in block, block.splitlines()[0]
