"""Supply-chain checks of the platform itself (`make vendor-check`, `make audit`,
`make audit-refresh`). Standard library plus `packaging`; tests import these functions.

- vendor-check: every vendored static file matches the SHA-256 pinned in its manifest.
- audit: every pinned package of the lockfiles against the vendored advisory snapshot
  (security/advisories.json, OSV records of the PyPA advisory database for our packages), with
  an ignore list (security/audit-ignore.json: id, reason, expiry). Runs offline, so CI never
  depends on a live vulnerability service; prints the snapshot's age.
- audit-refresh DB: rebuild the snapshot from a checkout of github.com/pypa/advisory-database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
from pathlib import Path

import yaml
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "static" / "vendor"
TEST_VENDOR = ROOT / "tests" / "browser" / "vendor"  # test-only (axe-core), never served
SNAPSHOT = ROOT / "security" / "advisories.json"
IGNORE = ROOT / "security" / "audit-ignore.json"
LOCKFILES = ("requirements.txt", "requirements-dev.txt", "requirements-tools.txt",
             "requirements-pip.txt", "questions/artifacts/requirements.txt")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.M)


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def vendor_problems(vendor: Path = VENDOR) -> list[str]:
    manifest = json.loads((vendor / "manifest.json").read_text())
    problems = []
    listed = {entry["file"] for entry in manifest["files"]}
    on_disk = {p.name for p in vendor.iterdir() if p.name != "manifest.json"}
    problems += [f"{name}: on disk but not in the manifest" for name in sorted(on_disk - listed)]
    problems += [f"{name}: in the manifest but missing" for name in sorted(listed - on_disk)]
    for entry in manifest["files"]:
        path = vendor / entry["file"]
        if path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            problems.append(f"{entry['file']}: SHA-256 does not match the manifest")
    return problems


def pins(lockfiles=LOCKFILES, root: Path = ROOT) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in lockfiles:
        path = root / name
        if path.exists():
            for package, version in PIN.findall(path.read_text()):
                found[normalise(package)] = version
    return found


def _affected(version: str, record: dict) -> bool:
    if version in record.get("versions", []):
        return True
    try:
        v = Version(version)
    except InvalidVersion:
        return False
    for events in record.get("ranges", []):
        introduced, hit = None, False
        for event in events:
            if "introduced" in event:
                introduced = Version("0") if event["introduced"] == "0" else Version(
                    event["introduced"])
            elif "fixed" in event and introduced is not None:
                hit = hit or introduced <= v < Version(event["fixed"])
                introduced = None
        if introduced is not None and v >= introduced:
            hit = True
        if hit:
            return True
    return False


def audit_findings(pinned: dict[str, str], snapshot: dict, ignore: list[dict],
                   today: dt.date) -> tuple[list[str], list[str]]:
    """(findings, notes): a finding for each pinned version an advisory affects, unless an
    unexpired ignore entry names it; notes for expired ignores."""
    ignored = {}
    notes = []
    for entry in ignore:
        if dt.date.fromisoformat(entry["expires"]) >= today:
            ignored[entry["id"]] = entry
        else:
            notes.append(f"ignore entry {entry['id']} expired on {entry['expires']}")
    findings = []
    for record in snapshot.get("advisories", []):
        version = pinned.get(normalise(record["package"]))
        if version is None or not _affected(version, record):
            continue
        if record["id"] in ignored:
            notes.append(f"{record['id']} ({record['package']} {version}) ignored: "
                         f"{ignored[record['id']]['reason']}")
            continue
        fixed = ", ".join(record.get("fixed", [])) or "no fixed version"
        findings.append(f"{record['package']}=={version}: {record['id']} "
                        f"({', '.join(record.get('aliases', []))}) fixed in {fixed}: "
                        f"{record.get('summary', '')}")
    return findings, notes


def build_snapshot(database: Path, pinned: dict[str, str], source: str) -> dict:
    """OSV records of the PyPA advisory database for the packages we pin."""
    advisories = []
    for package in sorted(pinned):
        folder = database / "vulns" / package
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            record = yaml.safe_load(path.read_text())
            for affected in record.get("affected", []):
                if normalise(affected.get("package", {}).get("name", "")) != package:
                    continue
                ranges = [r.get("events", []) for r in affected.get("ranges", [])
                          if r.get("type") == "ECOSYSTEM"]
                advisories.append({
                    "id": record["id"], "package": package,
                    "aliases": record.get("aliases", []),
                    "summary": (record.get("summary") or record.get("details", ""))
                    .split("\n")[0][:200],
                    "versions": affected.get("versions", []), "ranges": ranges,
                    "fixed": [e["fixed"] for events in ranges for e in events if "fixed" in e],
                })
    return {"source": source, "built": dt.date.today().isoformat(), "advisories": advisories}


def sbom_add_vendor(path: Path, vendor: Path = VENDOR) -> int:
    """Add the vendored front-end files (npm packages) to a CycloneDX JSON SBOM, with their
    SHA-256 and npm purl. Idempotent. Returns how many were added."""
    sbom = json.loads(path.read_text())
    components = sbom.setdefault("components", [])
    present = {c.get("bom-ref") for c in components}
    added = 0
    for entry in json.loads((vendor / "manifest.json").read_text())["files"]:
        ref = f"pkg:npm/{entry['package']}@{entry['version']}"
        if ref in present:
            continue
        components.append({
            "type": "library", "bom-ref": ref, "name": entry["package"],
            "version": entry["version"], "purl": ref,
            "hashes": [{"alg": "SHA-256", "content": entry["sha256"]}],
            "description": f"vendored as static/vendor/{entry['file']} "
                           f"({entry['path_in_package']}, npm integrity {entry['npm_integrity']})",
        })
        added += 1
    path.write_text(json.dumps(sbom, indent=2) + "\n")
    return added


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "vendor-check":
        problems, files = [], 0
        for vendor in (VENDOR, TEST_VENDOR):
            problems += [f"{vendor.relative_to(ROOT)}/{p}" for p in vendor_problems(vendor)]
            files += len(json.loads((vendor / "manifest.json").read_text())["files"])
        for problem in problems:
            print(f"vendor-check: {problem}")
        print(f"vendor-check: {'FAILED' if problems else 'ok'} ({files} files)")
        return 1 if problems else 0
    if command == "audit":
        snapshot = json.loads(SNAPSHOT.read_text())
        ignore = json.loads(IGNORE.read_text()) if IGNORE.exists() else []
        today = dt.date.today()
        pinned = pins()
        findings, notes = audit_findings(pinned, snapshot, ignore, today)
        age = (today - dt.date.fromisoformat(snapshot["source_date"])).days
        print(f"audit: {len(pinned)} pinned packages against {len(snapshot['advisories'])} "
              f"advisories ({snapshot['source']}, {age} days old; run `make audit-refresh "
              "ADVISORY_DB=<checkout>` where the database is reachable)")
        for note in notes:
            print(f"audit: note: {note}")
        for finding in findings:
            print(f"audit: VULNERABLE {finding}")
        return 1 if findings else 0
    if command == "audit-refresh" and len(argv) == 4:
        database, source_date = Path(argv[2]), argv[3]
        snapshot = build_snapshot(database, pins(), f"pypa/advisory-database at {database}")
        snapshot["source_date"] = source_date
        SNAPSHOT.write_text(json.dumps(snapshot, indent=1, sort_keys=True) + "\n")
        print(f"audit-refresh: {len(snapshot['advisories'])} advisories written to {SNAPSHOT}")
        return 0
    if command == "sbom-add-vendor" and len(argv) == 3:
        added = sbom_add_vendor(Path(argv[2]))
        components = len(json.loads(Path(argv[2]).read_text())["components"])
        print(f"sbom: {argv[2]}: {components} components ({added} vendored front-end files)")
        return 0
    print("usage: supply_chain.py vendor-check | audit | audit-refresh DB_CHECKOUT YYYY-MM-DD "
          "| sbom-add-vendor SBOM.json",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
