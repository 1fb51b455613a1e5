"""The platform's own supply chain (audit item 12): everything installed is pinned and hashed,
images are pinned by digest, vendored files match their checksums, the SBOM covers the lockfile,
and the offline audit refuses a known-vulnerable pin."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from tools import supply_chain

ROOT = Path(__file__).resolve().parents[2]
SBOM = ROOT / "build" / "sbom.cdx.json"
INSTALL = re.compile(r"\bpip3? install\b|-m pip install\b")


def _commands(path: Path) -> list[str]:
    text = path.read_text().replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if INSTALL.search(line)
            and not line.lstrip().startswith("#")]


@pytest.mark.parametrize("name", ["Makefile", "Dockerfile", ".ci/run"])
def test_every_install_is_pinned_and_hashed(name):
    for command in _commands(ROOT / name):
        assert "--require-hashes" in command, command
        assert "--upgrade" not in command, command


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt",
                                  "requirements-tools.txt", "requirements-pip.txt",
                                  "questions/artifacts/requirements.txt"])
def test_every_lockfile_pins_each_package_with_hashes(name):
    text = (ROOT / name).read_text()
    blocks = [b for b in re.split(r"^(?=[A-Za-z0-9])", text, flags=re.M)
              if re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*==", b)]
    assert blocks
    for block in blocks:
        assert "--hash=sha256:" in block, block.splitlines()[0]
    assert "file:///" not in text and "--find-links" not in text  # no machine-local paths


def test_every_container_image_is_pinned_by_digest():
    images = re.findall(r"^\s*image:\s*(\S+)", (ROOT / "docker-compose.yml").read_text(), re.M)
    images += re.findall(r"^FROM\s+(\S+)", (ROOT / "Dockerfile").read_text(), re.M)
    pulled = [i for i in images if not i.startswith("ai-supply-chain-arena")]  # built here
    assert len(pulled) == 4  # postgres, redis, nginx (the proxy), python (the app image)
    for image in pulled:
        assert re.search(r"@sha256:[0-9a-f]{64}$", image), image


def test_vendored_files_match_their_manifest(tmp_path):
    assert supply_chain.vendor_problems() == []
    copy = tmp_path / "vendor"
    shutil.copytree(supply_chain.VENDOR, copy)
    target = next(p for p in copy.iterdir() if p.name != "manifest.json")
    target.write_bytes(target.read_bytes() + b"/* tampered */")
    (copy / "extra.js").write_text("alert(1)")
    problems = supply_chain.vendor_problems(copy)
    assert f"{target.name}: SHA-256 does not match the manifest" in problems
    assert "extra.js: on disk but not in the manifest" in problems


def test_the_sbom_lists_every_pinned_runtime_package_with_its_hashes():
    sbom = json.loads(SBOM.read_text())  # written by `make sbom`, which `make test` runs first
    assert sbom["bomFormat"] == "CycloneDX" and sbom["specVersion"].startswith("1.")
    by_purl = {c.get("purl", "").split("?")[0]: c for c in sbom["components"]}
    pinned = supply_chain.pins(("requirements.txt",))
    for package, version in pinned.items():
        component = next((c for purl, c in by_purl.items()
                          if supply_chain.normalise(purl.removeprefix("pkg:pypi/")
                                                    .split("@")[0]) == package
                          and purl.endswith(f"@{version}")), None)
        assert component is not None, f"{package}=={version} missing from the SBOM"
        hashes = [h["content"] for ref in component.get("externalReferences", [])
                  for h in ref.get("hashes", [])]
        assert hashes, package
    assert "pkg:npm/htmx.org@2.0.11" in by_purl


def test_the_audit_refuses_a_vulnerable_pin_and_honours_a_dated_ignore():
    snapshot = {"advisories": [{"id": "PYSEC-TEST-1", "package": "django", "aliases": ["CVE-X"],
                                "versions": [], "fixed": ["99.0"], "summary": "test",
                                "ranges": [[{"introduced": "0"}, {"fixed": "99.0"}]]}]}
    pinned = {"django": "5.2.19"}
    today = dt.date(2026, 12, 5)
    findings, _ = supply_chain.audit_findings(pinned, snapshot, [], today)
    assert findings and "PYSEC-TEST-1" in findings[0]
    ignore = [{"id": "PYSEC-TEST-1", "reason": "not reachable", "expires": "2027-01-01"}]
    assert supply_chain.audit_findings(pinned, snapshot, ignore, today)[0] == []
    expired = [{**ignore[0], "expires": "2026-01-01"}]
    findings, notes = supply_chain.audit_findings(pinned, snapshot, expired, today)
    assert findings and "expired" in notes[0]
    assert supply_chain.audit_findings({"django": "99.1"}, snapshot, [], today)[0] == []


def test_the_shipped_snapshot_passes_with_its_reasoned_ignores():
    snapshot = json.loads(supply_chain.SNAPSHOT.read_text())
    ignore = json.loads(supply_chain.IGNORE.read_text())
    assert all(entry["reason"] and entry["expires"] for entry in ignore)
    findings, _ = supply_chain.audit_findings(supply_chain.pins(), snapshot, ignore,
                                              dt.date.today())
    assert findings == []
