"""`make bench`: every benchmark, one after another, then one table of the figures beside their
targets (issue 13's and the live game's). Each benchmark prints its own report (with the floors
measured in the same run) and a RESULT line that this table is made from. Sizes can be lowered
for a quick look (BENCH_MATCHES, BENCH_PLAYERS); the targets are for the full sizes. Nothing is
asserted: a target missed is printed as missed.

    .venv/bin/python bench/run_all.py
    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/run_all.py

With py-spy on PATH (`make bench` puts the tools venv's there; BENCH_PROFILE=0 turns it off),
the quiz's web process and the match's websocket and HTTP processes are sampled during their
runs, and where their time goes is printed after the table (build/bench-profiles/).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MATCHES = os.environ.get("BENCH_MATCHES", "300")
PLAYERS = os.environ.get("BENCH_PLAYERS", "300")

PROFILE = shutil.which("py-spy") and os.environ.get("BENCH_PROFILE", "1") != "0"
PROFILES = ROOT / "build" / "bench-profiles"
RUNS = [
    ("quiz", ["bench/quiz_throughput.py", "--learners", "16"]
     + (["--profile", str(PROFILES / "quiz-web.txt")] if PROFILE else [])),
    # At half the load: paced to half the requests/s the run above reached (filled in below).
    ("quiz-half", ["bench/quiz_throughput.py", "--learners", "16", "--rate", "HALF"]),
    ("match", ["bench/match_latency.py", "--matches", MATCHES]
     + (["--profile", str(PROFILES / "match")] if PROFILE else [])),
    # How many concurrent matches hold a push p99 of 250 ms: two smaller sizes.
    ("match-100", ["bench/match_latency.py", "--matches", "100", "--port", "8785"]),
    ("match-30", ["bench/match_latency.py", "--matches", "30", "--port", "8795"]),
    ("live", ["bench/live_game.py", "--players", PLAYERS, "--questions", "5", "--seconds",
              "15", "--reveal", "1"]),
    ("live-10x30", ["bench/live_game.py", "--players", "30", "--games", "10", "--questions",
                    "5", "--seconds", "15", "--reveal", "1", "--port", "8805"]),
    ("skills", ["bench/skills_scale.py", "--profile", str(PROFILES / "skills.pstats")]),
    ("importers", ["bench/importers.py"]),
]

# (run, figure, label, target, lower is better)
TARGETS = [
    ("quiz", "throughput_pct", "speed quiz throughput, % of the one-INSERT floor", 50, False),
    ("quiz", "cpu_ratio", "speed quiz server CPU per request, x the floor's", 3, True),
    ("quiz-half", "answer_p99_ms", "speed quiz answer POST p99 at half the load, ms", 100, True),
    ("match", "p50_ms", f"head-to-head push p50 at {MATCHES} matches, ms", 25, True),
    ("match", "p99_ms", f"head-to-head push p99 at {MATCHES} matches, ms", 100, True),
    ("match", "kib_per_socket", "memory per further match socket while playing, KiB", 64, True),
    ("match", "kib_per_idle_socket", "memory per open, waiting match socket, KiB", 64, True),
    ("match-100", "p99_ms", "head-to-head push p99 at 100 matches, ms", 250, True),
    ("match-30", "p99_ms", "head-to-head push p99 at 30 matches, ms", 250, True),
    ("live", "ack_p99_ms", f"live game answer ack p99, {PLAYERS} players, ms", 250, True),
    ("live", "reveal_p99_ms", f"live game reveal to every player p99, {PLAYERS} players, ms",
     1000, True),
    ("live-10x30", "ack_p99_ms", "live games 10 x 30: answer ack p99, ms", 250, True),
    ("live-10x30", "reveal_p99_ms", "live games 10 x 30: reveal p99, ms", 1000, True),
    ("skills", "p99_ms", "skill pages p99 at 10k learners / 1M answers, ms (slowest page)", 50,
     True),
    ("importers", "worst_ratio", "hostile import shape, CPU x a benign file of the same size", 100,
     True),
]

REFERENCES = {
    ("match", "p50_ms"): "relay_p50_ms", ("match", "p99_ms"): "relay_p99_ms",
    ("match-100", "p99_ms"): "relay_p99_ms", ("match-30", "p99_ms"): "relay_p99_ms",
    ("match", "kib_per_socket"): "relay_kib_per_socket",
    ("match", "kib_per_idle_socket"): "relay_kib_per_socket",
    ("live", "ack_p99_ms"): "relay_p99_ms", ("live-10x30", "ack_p99_ms"): "relay_p99_ms",
    ("skills", "p99_ms"): "floor_p99_ms",
    ("live", "reveal_p99_ms"): "relay_p99_ms", ("live-10x30", "reveal_p99_ms"): "relay_p99_ms",
    ("quiz-half", "answer_p99_ms"): "floor_p99_ms",
}


def main() -> None:
    PROFILES.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict] = {}
    for name, command in RUNS:
        if "HALF" in command:
            half = results.get("quiz", {}).get("rps", 60) / 2
            command = [f"{half:.1f}" if part == "HALF" else part for part in command]
        print(f"\n=== {name}: {' '.join(command)}", flush=True)
        process = subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True,
                                 text=True)
        for line in process.stdout.splitlines():
            if line.startswith("RESULT "):
                results[name] = json.loads(line[7:])
            else:
                print(line)
        if process.returncode:
            print(process.stderr[-3000:])
            print(f"({name} failed with exit code {process.returncode})")
    print("\n| figure | measured | same-run reference | target | met |")
    print("| --- | --- | --- | --- | --- |")
    for run, key, label, target, lower in TARGETS:
        value = results.get(run, {}).get(key)
        ref_key = REFERENCES.get((run, key))
        ref = results.get(run, {}).get(ref_key) if ref_key else None
        if value is None:
            print(f"| {label} | not measured | | {target} | – |")
            continue
        met = value <= target if lower else value >= target
        ref_text = f"{ref:.1f} ({value / ref:.1f}x)" if ref else ""
        print(f"| {label} | {value:.1f} | {ref_text} | {'≤' if lower else '≥'} {target} | "
              f"{'yes' if met else 'NO'} |")
    # Where the time goes in the runs that were profiled (py-spy on the servers; the skills
    # bench printed its own cProfile above).
    for path in sorted(PROFILES.glob("*.txt")):
        print(f"\n=== profile: {path.relative_to(ROOT)}", flush=True)
        subprocess.run([sys.executable, "bench/profile_summary.py", str(path)], cwd=ROOT)


if __name__ == "__main__":
    main()
