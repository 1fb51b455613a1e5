"""What a client may see of a question: the one home of the key-leak rule for every play mode.

`question_open()` is all a player sees while the question is open for them: never which choice
is correct, no misconception, no explanation. `question_closed()` adds the key and the teaching,
and must only be called once the question is closed for that player (answered, timed out, or the
round closed); callers that also withhold keys for questions in play elsewhere decide that before
calling (apps.core.holds).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from apps.bank import atlas
from apps.play.cards import Card
from apps.play.deal import Deal


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
        "choices": [{"key": key, "text": card.choice_at(position).text}
                    for key, position in zip(deal.keys, deal.order, strict=True)],
    }


def question_closed(card: Card, deal: Deal, picked: Iterable[int] = ()) -> dict[str, Any]:
    """The key and the teaching of a question closed for this player. `picked`: the author's
    positions the player chose (empty when they did not answer); the misconception of a wrong
    choice is shown only to a player who picked it."""
    picked = set(picked)
    displayed = [(key, card.choice_at(position)) for key, position in
                 zip(deal.keys, deal.order, strict=True)]
    return {
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
    """All and only the correct choices: the rule of every mode."""
    return sorted(picked) == card.correct_positions
