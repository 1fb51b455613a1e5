"""The learner model's arithmetic, kept free of the ORM so it can be read and tested alone.

An answer is a match between a learner (skill theta) and a question (difficulty d) on a logit
scale; both move by K * (result - expected). K shrinks with the evidence behind the estimate,
alpha / (1 + beta * n) (Pelánek 2016, "Applications of the Elo rating system in adaptive
educational systems"), so new learners and new questions move fast and settled ones stay put.
"""

from __future__ import annotations

import math

ALPHA = 1.0
BETA = 0.05
# The author's difficulty (1 foundation, 2 practitioner, 3 expert) as a prior on the logit scale.
PRIOR = {1: -1.0, 2: 0.0, 3: 1.0}


def prior(author_difficulty: int) -> float:
    return PRIOR.get(author_difficulty, 0.0)


def expected(theta: float, difficulty: float) -> float:
    """Predicted chance that a learner of skill `theta` answers a question of `difficulty`."""
    x = max(-30.0, min(30.0, theta - difficulty))
    return 1.0 / (1.0 + math.exp(-x))


def k_factor(evidence: int) -> float:
    return ALPHA / (1.0 + BETA * evidence)


def update(theta: float, theta_evidence: int, difficulty: float, difficulty_evidence: int,
           correct: bool) -> tuple[float, float, float]:
    """(new theta, new difficulty, the prediction made before the answer)."""
    p = expected(theta, difficulty)
    surprise = (1.0 if correct else 0.0) - p
    return (theta + k_factor(theta_evidence) * surprise,
            difficulty - k_factor(difficulty_evidence) * surprise, p)


def mastery(theta: float, evidence: int, average_difficulty: float) -> tuple[int, int]:
    """The chance of answering an average question right, and its uncertainty, in percent.
    The band is the spread of the prediction when theta moves by its own K either way."""
    p = expected(theta, average_difficulty)
    spread = k_factor(evidence)
    high = expected(theta + spread, average_difficulty)
    low = expected(theta - spread, average_difficulty)
    return round(100 * p), max(1, round(100 * (high - low) / 2))


def calibrated_on_author_scale(difficulty: float) -> float:
    """A calibrated difficulty on the author's 1-3 scale (the prior maps 1, 2, 3 to -1, 0, 1)."""
    return round(max(0.5, min(3.5, difficulty + 2.0)), 2)
