"""Sum a py-spy profile (`--format raw`: collapsed stacks, "frame;frame;... count" per line)
into where the time goes: the share of samples spent inside each of a few parts of a request
(inclusive), and the functions with the most samples of their own (self time).

    .venv/bin/python bench/profile_summary.py build/quiz-profile.txt
"""

from __future__ import annotations

import sys
from collections import Counter

# Parts of a request, by what a frame's text contains; a sample counts once per part it is in.
PARTS = [
    ("quiz answer service (apps/quiz/services.py)", "apps/quiz/services.py"),
    ("quiz selectors: the state a response shows", "apps/quiz/selectors.py"),
    ("template rendering", "django/template/"),
    ("SQL: psycopg (driver, network wait)", "psycopg/"),
    ("Django ORM: building queries and rows", "django/db/models/"),
    ("middleware (django + apps/core)", "middleware"),
    ("authentication (knox token, session)", "knox/"),
    ("DRF (parsing, serializers, views)", "rest_framework/"),
    ("JSON encoding/decoding", "json/"),
    ("gunicorn (accepting, parsing HTTP)", "gunicorn/"),
    ("transaction commit and after-commit work", "apps/core/aftercommit.py"),
    ("outbox (skill updates)", "apps/core/outbox.py"),
    ("play core (cards, deal, present)", "apps/play/"),
    ("cache (Redis) calls", "django_redis/"),
    ("rate limits", "ratelimit"),
    ("head-to-head services and pushes (apps/matches)", "apps/matches/"),
    ("live games (apps/live)", "apps/live/"),
    ("Channels (consumers, channel layer)", "channels"),
    ("daphne / Twisted / autobahn (websocket protocol)", "twisted/"),
    ("Redis client", "redis/"),
]


def main(path: str) -> None:
    total = 0
    inclusive: Counter = Counter()
    own: Counter = Counter()
    for line in open(path, encoding="utf-8", errors="replace"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        for label, needle in PARTS:
            if any(needle in f for f in frames):
                inclusive[label] += n
        own[frames[-1]] += n
    if not total:
        print("no samples")
        return
    print(f"{total} samples of {path}")
    print("\nshare of samples inside each part (inclusive; parts overlap; parts with none left "
          "out):")
    for label, _ in PARTS:
        if inclusive[label]:
            print(f"  {100 * inclusive[label] / total:5.1f}%  {label}")
    print("\nfunctions with the most samples of their own:")
    for frame, n in own.most_common(15):
        print(f"  {100 * n / total:5.1f}%  {frame[:110]}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/quiz-profile.txt")
