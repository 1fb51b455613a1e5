"""Head-to-head ratings with openskill's Plackett-Luce model (no hand-written rating maths).

Displayed rating: 1500 + 40 * (mu - 25), so a new player shows 1500. A player is provisional for
their first PROVISIONAL_GAMES rated matches. One match moves mu by at most MAX_MU_CHANGE (100
displayed points) whatever the model says, so a fluke cannot swing a rating wildly."""

from __future__ import annotations

from openskill.models import PlackettLuce

MODEL = PlackettLuce()
START_MU = MODEL.mu
START_SIGMA = MODEL.sigma
MAX_MU_CHANGE = 2.5
PROVISIONAL_GAMES = 10


def display(mu: float) -> int:
    return round(1500 + 40 * (mu - START_MU))


def is_provisional(games: int) -> bool:
    return games < PROVISIONAL_GAMES


def rate_pair(a: tuple[float, float], b: tuple[float, float], outcome: int
              ) -> tuple[tuple[float, float], tuple[float, float]]:
    """New (mu, sigma) for players a and b. outcome: 1 a won, -1 b won, 0 draw."""
    ranks = {1: [0, 1], -1: [1, 0], 0: [0, 0]}[outcome]
    [[ra], [rb]] = MODEL.rate([[MODEL.rating(mu=a[0], sigma=a[1])],
                               [MODEL.rating(mu=b[0], sigma=b[1])]], ranks=ranks)

    def bounded(before: float, after: float) -> float:
        return before + max(-MAX_MU_CHANGE, min(MAX_MU_CHANGE, after - before))

    return (bounded(a[0], ra.mu), ra.sigma), (bounded(b[0], rb.mu), rb.sigma)
