"""How long the importers take on hostile shapes, beside a benign input of the same size
parsed in the same run (the figure is the ratio; the machine is shared and noisy). The quadratic
parsers this replaced took seconds against milliseconds: ratios in the thousands. The tests in
tests/security/test_importers.py assert the clear error and the bounded answer, not the time.

    .venv/bin/python bench/importers.py
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def _cpu(preview_build, text: str, fmt: str, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        preview_build(text=text, fmt=fmt)
        best = min(best, time.process_time() - start)
    return max(best, 1e-5)


def main() -> None:
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from django.db import connection

    name = connection.settings_dict["NAME"]
    # A throwaway test database, replaced if an interrupted run left one, dropped at the end.
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        measure()
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def measure() -> None:
    from django.core.management import call_command

    from apps.packs.importing import preview_build
    from tests.security.hostile_inputs import HOSTILE_SHAPES

    call_command("loadbank", verbosity=0)
    worst = 0.0
    print(f"{'shape':34} {'bytes':>8} {'hostile ms':>11} {'benign ms':>10} {'ratio':>7}")
    for name, fmt, text, _error in HOSTILE_SHAPES:
        benign = (("a" * 79 + "\n") * (len(text) // 80 + 1))[: len(text)]
        hostile_s = _cpu(preview_build, text, fmt)
        benign_s = _cpu(preview_build, benign, fmt)
        ratio = hostile_s / benign_s
        worst = max(worst, ratio)
        print(f"{name:34} {len(text):8} {hostile_s * 1000:11.1f} {benign_s * 1000:10.2f} "
              f"{ratio:7.1f}")
    print("RESULT " + json.dumps({"worst_ratio": round(worst, 1)}))


if __name__ == "__main__":
    main()
