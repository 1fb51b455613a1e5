"""The per-player deal of a question's choices: a shuffled display order and an opaque random key
for each displayed choice, so that neither the order nor the keys a client sees say which choice
is correct; and the one parser of a client's pick."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

KEY_BYTES = 8  # token_urlsafe(8): 11 characters, 64 bits of randomness per key


class PickError(ValueError):
    """A pick that cannot be an answer to this question; the message is for the player."""


@dataclass(frozen=True)
class Deal:
    order: tuple[int, ...]  # the author's choice positions, in display order
    keys: tuple[str, ...]  # the opaque key of each displayed choice

    @classmethod
    def of(cls, order, keys) -> Deal:
        """A deal stored as two JSON lists (choice_order, choice_keys)."""
        return cls(tuple(order), tuple(keys))

    def positions(self) -> dict[str, int]:
        return dict(zip(self.keys, self.order, strict=True))


def deal_choices(count: int) -> Deal:
    """A fresh deal for a question with `count` choices."""
    order = list(range(count))
    secrets.SystemRandom().shuffle(order)
    return Deal(tuple(order), tuple(secrets.token_urlsafe(KEY_BYTES) for _ in order))


def parse_pick(deal: Deal, keys, *, question_type: str) -> list[int]:
    """The author's positions a client picked, sorted; PickError for anything else."""
    if not isinstance(keys, list | tuple) or not keys or not all(isinstance(k, str) for k in keys):
        raise PickError("Pick at least one choice.")
    if len(set(keys)) != len(keys):
        raise PickError("A choice is listed twice.")
    index = deal.positions()
    if any(k not in index for k in keys):
        raise PickError("Unknown choice for this question.")
    if question_type != "multiple" and len(keys) != 1:
        raise PickError("This question takes exactly one choice.")
    return sorted(index[k] for k in keys)
