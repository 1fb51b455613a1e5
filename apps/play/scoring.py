"""Points for one answer. Pure functions, shared by every play mode (speed quiz, head-to-head, live games)."""

from __future__ import annotations

MAX_POINTS = 1000
MAX_STREAK_BONUS = 500


def speed_points(*, elapsed: float, limit: float) -> int:
    """Kahoot's formula: a correct answer earns 1000 at once, falling linearly to 500 at the
    deadline: round(1000 * (1 - (min(t, T) / T) / 2))."""
    if limit <= 0:
        raise ValueError("the time limit must be positive")
    t = min(max(elapsed, 0.0), limit)
    return round(MAX_POINTS * (1 - (t / limit) / 2))


def streak_bonus(streak: int) -> int:
    """`streak` counts consecutive correct answers including this one: +0, +100, ... up to +500."""
    if streak < 1:
        return 0
    return min(100 * (streak - 1), MAX_STREAK_BONUS)


def answer_points(*, mode: str, correct: bool, elapsed: float, limit: float, streak: int,
                  credit: float = 0.0) -> int:
    """Points for one answer. Speed scoring is all-or-nothing; accuracy scoring gives a wrong
    answer its partial `credit` (apps.play.present.credit: an ordering question's steps in the
    right relative order) of MAX_POINTS."""
    if not correct:
        return round(MAX_POINTS * min(max(credit, 0.0), 1.0)) if mode == "accuracy" else 0
    if mode == "accuracy":
        return MAX_POINTS
    return speed_points(elapsed=elapsed, limit=limit) + streak_bonus(streak)
