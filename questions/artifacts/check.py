"""Regenerate every tool-output artifact and compare it with the bank.

Each `questions/artifacts/<name>.py` (other than this file) defines
`ARTIFACTS = {"question-id": callable_returning_text}`. This script imports them all, runs each
generator and checks the text equals the question's `artifact.content` (trailing newlines
ignored). Exit 1 on any difference, unknown id or duplicate registration.

    python questions/artifacts/check.py                # check everything
    python questions/artifacts/check.py --print ID     # print one artifact, to paste into YAML
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
BANK = HERE.parent


def load_generators() -> dict[str, object]:
    generators: dict[str, object] = {}
    for path in sorted(HERE.glob("*.py")):
        if path.name == "check.py" or path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"artifacts_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        sys.path.insert(0, str(HERE))
        try:
            spec.loader.exec_module(module)
        finally:
            sys.path.remove(str(HERE))
        for qid, fn in getattr(module, "ARTIFACTS", {}).items():
            if qid in generators:
                raise SystemExit(f"{path.name}: {qid} is registered twice")
            generators[qid] = fn
    return generators


def bank_artifacts() -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted(BANK.glob("*.yaml")):
        if path.name in ("resources.yaml", "topics.yaml", "distinct-pairs.yaml"):
            continue
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            artifact = item.get("artifact") or {}
            if artifact.get("content"):
                out[item["id"]] = artifact["content"]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--print", dest="print_id", metavar="ID")
    args = parser.parse_args()
    generators = load_generators()
    if args.print_id:
        if args.print_id not in generators:
            print(f"no generator for {args.print_id}", file=sys.stderr)
            return 1
        print(generators[args.print_id]().rstrip("\n"))
        return 0
    bank = bank_artifacts()
    failures = 0
    for qid, fn in sorted(generators.items()):
        if qid not in bank:
            print(f"FAIL {qid}: no question with this id carries an artifact")
            failures += 1
            continue
        if fn().rstrip("\n") != bank[qid].rstrip("\n"):
            print(f"FAIL {qid}: regenerated artifact differs from the bank")
            failures += 1
    print(f"{len(generators) - failures} of {len(generators)} generated artifacts match the bank; "
          f"{len(bank) - len(generators)} hand-written artifacts (code, configs, workflows)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
