"""Length limits of every text a question carries, in characters: one table for the model, the
editor, the API, the bank validator and every importer (questions/README.md documents it).

Chosen with headroom over the shipped bank (its longest stem is about 400 characters, explanation
1,300, artifact 2,000, choice 160, misconception 190, locator 340), and small enough that every
render and every check of one question stays cheap.
"""

from __future__ import annotations

ID = 100
STEM = 3_000
CHOICE = 500
MISCONCEPTION = 800
EXPLANATION = 6_000
ARTIFACT = 12_000
LOCATOR = 500
MAX_TOPICS = 6
MAX_RESOURCES = 8
CHECKED_AGAINST = 500
MAX_ATLAS = 8
SUPERSEDED = 300  # a resource's "superseded" note: the reason and the replacement
# "Find the line" (hotspot): the artifact is shown as lines to pick from, each a control on a
# phone, so it stays short; a key of more than three lines is a different question.
HOTSPOT_MAX_LINES = 40
HOTSPOT_LINE = 200
HOTSPOT_MAX_KEY_LINES = 3
HOTSPOT_MIN_NOTES = 1  # at least one tempting wrong line explained
# "Order the steps": 3 to 7 steps, each a short sentence.
ORDERING_MIN_STEPS = 3
ORDERING_MAX_STEPS = 7
STEP = 200

TEXT_LIMITS = {
    "id": ID, "stem": STEM, "explanation": EXPLANATION, "artifact content": ARTIFACT,
    "choice": CHOICE, "misconception": MISCONCEPTION, "locator": LOCATOR, "checked_against": CHECKED_AGAINST,
    "superseded": SUPERSEDED,
}


def too_long(what: str, value: str, limit: int) -> str | None:
    """The error for a text over its limit, or None."""
    if isinstance(value, str) and len(value) > limit:
        return f"{what} is {len(value):,} characters long; the limit is {limit:,}"
    return None
