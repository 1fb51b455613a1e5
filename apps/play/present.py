"""What a client may see of a question: the one home of the key-leak rule for every play mode.

`question_open()` is all a player sees while the question is open for them: never which choice
is correct, no misconception, no explanation. `question_closed()` adds the key and the teaching,
and must only be called once the question is closed for that player (answered, timed out, or the
round closed); callers that also withhold keys for questions in play elsewhere decide that before
calling (apps.core.holds).
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable
from typing import Any

from apps.bank import atlas
from apps.play.cards import Card
from apps.play.deal import Deal, picks_kind


def question_open(card: Card, deal: Deal) -> dict[str, Any]:
    """The question without its key, choices in the deal's order under their opaque keys."""
    return {
        "type": card.type,
        "style": card.style,
        "difficulty": card.difficulty,
        "topics": list(card.topics),
        "stem": card.stem,
        "stem_html": card.stem_html,
        "artifact": card.artifact,
        # How the player answers: "one" choice or line, "many" of them, or every step in "order".
        "picks": picks_kind(card),
        "choices": [{"key": key, "text": card.choice_at(position).text}
                    for key, position in zip(deal.keys, deal.order, strict=True)],
    }


def question_closed(card: Card, deal: Deal, picked: Iterable[int] = ()) -> dict[str, Any]:
    """The key and the teaching of a question closed for this player. `picked`: the author's
    positions the player chose (empty when they did not answer); the misconception of a wrong
    choice is shown only to a player who picked it."""
    sequence = list(picked)
    picked = set(picked)
    displayed = [(key, card.choice_at(position)) for key, position in
                 zip(deal.keys, deal.order, strict=True)]
    extra: dict[str, Any] = {}
    if card.type == "ordering":
        key_of = dict(zip(deal.order, deal.keys, strict=True))
        # The right order, and the player's order (empty when they did not answer), each step
        # with its right place so a page can mark the ones out of place.
        extra["order"] = [{"key": key_of[p], "text": card.choice_at(p).text, "place": p + 1}
                          for p in range(len(card.choices))]
        extra["your_order"] = [{"key": key_of[p], "text": card.choice_at(p).text,
                                "place": p + 1, "in_place": i == p}
                               for i, p in enumerate(sequence)]
    return {**extra,
        "type": card.type,
        "picked": [key for key, c in displayed if c.position in picked],
        "correct": [key for key, c in displayed if c.is_correct],
        "choices": [{"key": key, "text": c.text, "correct": c.is_correct,
                     "picked": c.position in picked,
                     "misconception": c.misconception if c.position in picked
                     and not c.is_correct else ""} for key, c in displayed],
        "explanation": card.explanation,
        "explanation_html": card.explanation_html,
        "resources": [{"title": title, "url": url, "locator": locator}
                      for title, url, locator in card.resources],
        # Only once closed: the ids name the attack or the defence, which can give the answer
        # away.
        "atlas": atlas.links(card.atlas),
    }


def is_correct(card: Card, picked: list[int]) -> bool:
    """All and only the correct choices (or lines): the rule of every mode; for an ordering
    question, every step in the right order."""
    if card.type == "ordering":
        return list(picked) == list(range(len(card.choices)))
    return sorted(picked) == card.correct_positions


def counts(question_type: str, picks: Iterable[Iterable[int]]) -> Counter:
    """How a room (or every learner) answered, per author's position: how many picked each
    choice or line; for an ordering question, how many put each step in its right place (every
    step is always "picked", so picks would say nothing)."""
    tally: Counter = Counter()
    for picked in picks:
        if question_type == "ordering":
            tally.update(p for place, p in enumerate(picked) if place == p)
        else:
            tally.update(picked)
    return tally


def credit(card: Card, picked: list[int]) -> float:
    """The share of the question a pick earns, 0 to 1, for accuracy scoring: 1 when correct,
    else 0, except an ordering question, which earns the longest run of steps already in the
    right relative order (the longest increasing subsequence of the author's positions) over
    the number of steps, so one step out of place among five earns 4/5. A pick of fewer than
    two steps in order earns nothing."""
    if is_correct(card, picked):
        return 1.0
    if card.type != "ordering" or not picked:
        return 0.0
    longest = _longest_increasing(list(picked))
    return longest / len(card.choices) if longest >= 2 else 0.0


def _longest_increasing(values: list[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting, O(n log n))."""
    tails: list[int] = []
    for v in values:
        i = bisect.bisect_left(tails, v)
        if i == len(tails):
            tails.append(v)
        else:
            tails[i] = v
    return len(tails)
