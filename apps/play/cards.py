"""A question version as every play mode shows it, read once and kept per process.

A question version never changes once written (apps.curation.services.question_write makes a new
one instead, and versions are never deleted), so its stem, choices, key and explanation can be
kept for the life of the process: the hot paths of quiz, match and live play read a card from
memory instead of four queries per request. What a version points at but does not own (topic
names, resource titles and URLs) can be edited, so a card is re-read after CARD_TTL seconds.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch

from apps.bank.models import Citation, QuestionVersion

CARD_TTL = 300.0  # seconds a topic rename or a resource's new URL may take to show in play
CARDS_KEPT = 4096  # about 2 KiB each: a few MiB per process at most


@dataclass(frozen=True)
class CardChoice:
    position: int  # the author's position
    text: str
    is_correct: bool
    misconception: str


@dataclass(frozen=True)
class Card:
    version_id: int
    question_id: int
    type: str
    style: str
    difficulty: int
    topics: tuple[str, ...]
    stem: str
    stem_html: str
    artifact_kind: str
    artifact_content: str
    choices: tuple[CardChoice, ...]  # in the author's order
    explanation: str
    explanation_html: str
    resources: tuple[tuple[str, str, str], ...]  # (title, url, locator)
    atlas: tuple[str, ...] = ()  # MITRE ATLAS ids the question is about

    @property
    def correct_positions(self) -> list[int]:
        return [c.position for c in self.choices if c.is_correct]

    @property
    def artifact(self) -> dict | None:
        if not self.artifact_kind:
            return None
        return {"kind": self.artifact_kind, "content": self.artifact_content}

    def choice_at(self, position: int) -> CardChoice:
        return self.choices[position]


_CARDS: OrderedDict[int, tuple[float, Card]] = OrderedDict()
_LOCK = threading.Lock()


def _card(v: QuestionVersion) -> Card:
    return Card(
        version_id=v.pk, question_id=v.question_id, type=v.type, style=v.style,
        difficulty=v.difficulty, topics=tuple(t.name for t in v.topics.all()), stem=v.stem,
        stem_html=v.stem_html, artifact_kind=v.artifact_kind or "",
        artifact_content=v.artifact_content or "",
        choices=tuple(CardChoice(c.position, c.text, c.is_correct, c.misconception)
                      for c in sorted(v.choices.all(), key=lambda c: c.position)),
        explanation=v.explanation, explanation_html=v.explanation_html,
        resources=tuple((cit.resource.title, cit.resource.url, cit.locator)
                        for cit in v.citations.all()),
        atlas=tuple((v.content or {}).get("atlas") or ()))


def cards(version_ids: Iterable[int]) -> dict[int, Card]:
    """The cards of these versions by id: from memory, the missing ones in four queries."""
    wanted = set(version_ids)
    now = time.monotonic()
    found: dict[int, Card] = {}
    with _LOCK:
        for vid in wanted:
            entry = _CARDS.get(vid)
            if entry and now - entry[0] < CARD_TTL:
                found[vid] = entry[1]
                _CARDS.move_to_end(vid)
    missing = wanted - found.keys()
    if missing:
        versions = (QuestionVersion.objects.filter(pk__in=missing).prefetch_related(
            "choices", "topics",
            Prefetch("citations", queryset=Citation.objects.select_related("resource")
                     .order_by("position"))))
        loaded = {v.pk: _card(v) for v in versions}
        with _LOCK:
            for vid, card in loaded.items():
                _CARDS[vid] = (now, card)
                _CARDS.move_to_end(vid)
            while len(_CARDS) > CARDS_KEPT:
                _CARDS.popitem(last=False)
        found.update(loaded)
    return found


def card(version_id: int) -> Card:
    """One version's card; KeyError if there is no such version."""
    return cards([version_id])[version_id]


def cards_forget() -> None:
    """Empty this process's cards (tests roll the database back, and SQLite reuses ids)."""
    with _LOCK:
        _CARDS.clear()
