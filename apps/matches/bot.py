"""The practice bot: how likely it is to be right, and how long it takes to answer."""

from __future__ import annotations

import random

LEVELS = (1, 2, 3, 4, 5)


def correct_probability(level: int, difficulty: int) -> float:
    """Level 1 is right about a third of the time on a practitioner question, level 5 about
    nine times in ten; harder questions lower the odds, easier ones raise them."""
    p = 0.2 + 0.15 * level - 0.12 * (difficulty - 2)
    return max(0.05, min(0.95, p))


def answer_delay(level: int, round_seconds: float, rng: random.Random | None = None) -> float:
    """A human-looking answer time: mostly in the middle of the round, quicker at higher levels,
    never past 90% of it."""
    rng = rng or random.SystemRandom()
    fraction = rng.triangular(0.15, 0.8, 0.45) * (1.15 - 0.08 * level)
    return max(0.05, min(0.9, fraction)) * round_seconds
