"""The fault drills of issue 18, with their table: head-to-head matches played by API clients
on a throwaway full stack (PostgreSQL, Redis, a Celery worker and beat, gunicorn, each started
here on free ports) while one component is killed and brought back. The same harness as
tests/reliability/test_drills.py, which asserts what this prints.

    .venv/bin/python bench/drills.py [--drills worker,redis,postgres,web] [--pairs 6]

Needs PostgreSQL's server binaries (initdb, pg_ctl; run as root, they run as the postgres user)
and redis-server. Nothing is asserted: it reports."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.reliability.drills import DRILLS, PAIRS, run_drill, table  # noqa: E402
from tests.reliability.stack import Stack, missing_binaries  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drills", default=",".join(DRILLS))
    parser.add_argument("--pairs", type=int, default=PAIRS)
    args = parser.parse_args()
    if missing_binaries():
        sys.exit(f"missing: {', '.join(missing_binaries())}")
    started = time.monotonic()
    results = []
    with Stack() as stack:
        print(f"stack up in {time.monotonic() - started:.0f} s ({stack.dir})", flush=True)
        for drill in args.drills.split(","):
            result = run_drill(stack, drill, pairs=args.pairs)
            results.append(result)
            print(f"{drill}: {result.seconds:.0f} s, late answers {result.late}, outbox left "
                  f"{result.outbox_left}, tracebacks {result.tracebacks}"
                  + (f", errors {result.errors}" if result.errors else ""), flush=True)
    print(table(results))
    print(f"total {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
