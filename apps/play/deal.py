"""The per-player deal of a question's choices: a shuffled display order and an opaque random key
for each displayed choice, so that neither the order nor the keys a client sees say which choice
is correct; and the one parser of a client's pick."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from apps.bank import limits

KEY_BYTES = 8  # token_urlsafe(8): 11 characters, 64 bits of randomness per key
# The most keys one pick may list: every line of the longest hotspot artifact.
MAX_PICKS = max(6, limits.HOTSPOT_MAX_LINES, limits.ORDERING_MAX_STEPS)


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


def deal_choices(count: int, *, shuffle: bool = True) -> Deal:
    """A fresh deal for a question with `count` choices. A hotspot's lines keep the artifact's
    order (`shuffle=False`): their keys are still fresh and opaque."""
    order = list(range(count))
    if shuffle:
        secrets.SystemRandom().shuffle(order)
    return Deal(tuple(order), tuple(secrets.token_urlsafe(KEY_BYTES) for _ in order))


def deal_for(card) -> Deal:
    """The deal of one question (an apps.play.cards.Card) for one player. An ordering question
    is never dealt already in the right order (that would hand over the answer)."""
    deal = deal_choices(len(card.choices), shuffle=card.type != "hotspot")
    if card.type == "ordering" and len(card.choices) > 1:
        while deal.order == tuple(range(len(card.choices))):
            deal = deal_choices(len(card.choices))
    return deal


def picks_many(card) -> bool:
    """Whether the player picks several choices (or lines) rather than one: a multiple-answer
    question, or a hotspot whose key has more than one line. Ordering picks every step."""
    return card.type == "multiple" or (
        card.type == "hotspot" and sum(c.is_correct for c in card.choices) > 1)


def picks_kind(card) -> str:
    """How a player answers this question: "one" choice (or line), "many", or every step in
    "order"."""
    return "order" if card.type == "ordering" else "many" if picks_many(card) else "one"


def parse_pick(deal: Deal, keys, card) -> list[int]:
    """The author's positions a client picked; PickError for anything else. Sorted, except for
    an ordering question, whose pick is every step in the order the player put them."""
    if not isinstance(keys, list | tuple) or not keys or not all(isinstance(k, str) for k in keys):
        raise PickError("Put the steps in order." if card.type == "ordering"
                        else "Pick at least one choice.")
    if len(set(keys)) != len(keys):
        raise PickError("A choice is listed twice.")
    index = deal.positions()
    if any(k not in index for k in keys):
        raise PickError("Unknown choice for this question.")
    if card.type == "ordering":
        if len(keys) != len(index):
            raise PickError(f"Place all {len(index)} steps, each once.")
        return [index[k] for k in keys]
    if not picks_many(card) and len(keys) != 1:
        raise PickError("This question takes exactly one line." if card.type == "hotspot"
                        else "This question takes exactly one choice.")
    return sorted(index[k] for k in keys)
