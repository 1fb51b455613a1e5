"""Vendor the MITRE ATLAS id list the bank validates `atlas:` ids against.

    python tools/atlas_vendor.py /path/to/atlas-data [--rev v5.6.1]

reads `dist/ATLAS.yaml` of a checkout (or bare clone) of github.com/mitre-atlas/atlas-data at
`--rev` (default HEAD) and writes apps/bank/data/atlas.json: every technique and sub-technique,
mitigation and case-study id with its name, plus the ATLAS release (the `version` inside
ATLAS.yaml), the git tag and commit it came from, and the file's SHA-256.

ATLAS ids move between releases (techniques are renamed, split and deprecated), so an upgrade is
a reviewed change: run this, read the diff of atlas.json, then run `checkbank`, which refuses any
question whose id left the list. Standard library plus PyYAML; no network.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "apps" / "bank" / "data" / "atlas.json"
SOURCE = "https://github.com/mitre-atlas/atlas-data"
DIST_PATH = "dist/ATLAS.yaml"


def extract(atlas: dict[str, Any]) -> dict[str, dict[str, str]]:
    """id -> {"kind", "name"} for every technique, sub-technique, mitigation and case study of a
    parsed ATLAS.yaml. A sub-technique's name is prefixed with its parent's, as ATLAS shows it
    ("AI Supply Chain Compromise: Model")."""
    ids: dict[str, dict[str, str]] = {}
    for matrix in atlas.get("matrices") or []:
        techniques = matrix.get("techniques") or []
        names = {t["id"]: t["name"] for t in techniques}
        for t in techniques:
            parent = t.get("subtechnique-of")
            if parent:
                ids[t["id"]] = {"kind": "sub-technique", "name": f"{names[parent]}: {t['name']}"}
            else:
                ids[t["id"]] = {"kind": "technique", "name": t["name"]}
        for m in matrix.get("mitigations") or []:
            ids[m["id"]] = {"kind": "mitigation", "name": m["name"]}
    for cs in atlas.get("case-studies") or []:
        ids[cs["id"]] = {"kind": "case-study", "name": cs["name"]}
    return dict(sorted(ids.items()))


def catalogue(text: str, *, commit: str, tag: str) -> dict[str, Any]:
    atlas = yaml.safe_load(text)
    return {
        "source": SOURCE,
        "file": DIST_PATH,
        "release": str(atlas["version"]),
        "tag": tag,
        "commit": commit,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "ids": extract(atlas),
    }


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, timeout=60).stdout


def read_checkout(repo: Path, rev: str) -> tuple[str, str, str]:
    """(ATLAS.yaml text, commit, tag or "") of `rev` in a git checkout or bare clone."""
    commit = _git(repo, "rev-parse", f"{rev}^{{commit}}").strip()
    text = _git(repo, "show", f"{commit}:{DIST_PATH}")
    try:
        tag = _git(repo, "describe", "--tags", "--exact-match", commit).strip()
    except subprocess.CalledProcessError:
        tag = ""
    return text, commit, tag


def dump(data: dict[str, Any]) -> str:
    """JSON with one id a line, so that a release upgrade reviews as a short line diff."""
    head = {k: v for k, v in data.items() if k != "ids"}
    lines = [f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    ids = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
           for k, v in data["ids"].items()]
    return "{\n" + "\n".join(lines) + '\n "ids": {\n' + ",\n".join(ids) + "\n }\n}\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path, help="a clone of github.com/mitre-atlas/atlas-data")
    parser.add_argument("--rev", default="HEAD", help="tag or commit to vendor (default HEAD)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text, commit, tag = read_checkout(args.repo, args.rev)
    data = catalogue(text, commit=commit, tag=tag)
    old = json.loads(args.output.read_text()) if args.output.is_file() else {"ids": {}}
    added = sorted(set(data["ids"]) - set(old["ids"]))
    removed = sorted(set(old["ids"]) - set(data["ids"]))
    renamed = sorted(i for i in set(data["ids"]) & set(old["ids"])
                     if data["ids"][i]["name"] != old["ids"][i]["name"])
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(dump(data), encoding="utf-8")
    print(f"ATLAS {data['release']} ({tag or 'untagged'}, {commit[:12]}): "
          f"{len(data['ids'])} ids -> {args.output}")
    for label, items in (("added", added), ("removed", removed), ("renamed", renamed)):
        if items:
            print(f"  {label} ({len(items)}): {', '.join(items[:40])}"
                  + (" ..." if len(items) > 40 else ""))
    if removed or renamed:
        print("  review: questions citing removed or renamed ids must be re-checked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
