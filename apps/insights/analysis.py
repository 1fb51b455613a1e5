"""Classical item analysis on learners' first attempts. Pure Python: no Django.

Facility is the share of first attempts that were correct. Discrimination is the upper-lower
index: learners are ranked by their rest score (share correct on their first attempts at every
*other* question, so an item does not vouch for itself), and D = facility in the top 27% minus
facility in the bottom 27% of the learners who answered the item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

FACILITY_LOW = 0.20
FACILITY_HIGH = 0.90
DISCRIMINATION_LOW = 0.2
GROUP_SHARE = 0.27


@dataclass(frozen=True)
class Answer:
    user_id: int
    question_id: int
    version_id: int
    picked: tuple[int, ...]  # the author's choice positions
    is_correct: bool
    elapsed_ms: int
    at: datetime


@dataclass
class ChoiceStat:
    position: int
    text: str
    correct: bool
    picks: int = 0
    upper_picks: int = 0

    def share(self, total: int) -> float:
        return self.picks / total if total else 0.0


@dataclass
class ItemStats:
    question_id: int
    version_id: int
    answers: int = 0
    correct: int = 0
    facility: float | None = None
    discrimination: float | None = None
    mean_ms: float | None = None
    choices: list[ChoiceStat] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    question_type: str = "single"

    @property
    def needs_attention(self) -> bool:
        return bool(self.flags)


def first_attempts(answers: list[Answer]) -> list[Answer]:
    """Each learner's first answer to each question (any version), earliest first."""
    seen: set[tuple[int, int]] = set()
    out = []
    for answer in sorted(answers, key=lambda a: a.at):
        key = (answer.user_id, answer.question_id)
        if key not in seen:
            seen.add(key)
            out.append(answer)
    return out


def _marks(question_type: str, picked: tuple[int, ...]) -> list[int]:
    """The positions an answer counts against: the choices (or lines) it picked; for an
    ordering question, the steps it put out of place (which step goes wrong most)."""
    if question_type == "ordering":
        return [p for place, p in enumerate(picked) if place != p]
    return list(picked)


def analyse(
    firsts: list[Answer], *, version_id: int, question_id: int,
    choices: list[tuple[int, str, bool]], min_answers: int, question_type: str = "single",
) -> ItemStats:
    """Statistics of one version from every learner's first attempts at every question
    (`firsts`, from first_attempts). `choices` are (position, text, correct) of the version.
    Flags are raised only with at least `min_answers` answers: below that they are noise.
    A hotspot's choices are its artifact's lines (picks: how often each line was picked); an
    ordering question's are its steps, and `picks` counts how often a step was out of place."""
    stats = ItemStats(question_id=question_id, version_id=version_id, question_type=question_type,
                      choices=[ChoiceStat(p, t, c) for p, t, c in choices])
    mine = [a for a in firsts if a.version_id == version_id]
    stats.answers = len(mine)
    if not mine:
        return stats
    stats.correct = sum(a.is_correct for a in mine)
    stats.facility = stats.correct / stats.answers
    stats.mean_ms = sum(a.elapsed_ms for a in mine) / stats.answers
    by_position = {c.position: c for c in stats.choices}
    for a in mine:
        for p in _marks(question_type, a.picked):
            if p in by_position:
                by_position[p].picks += 1
    rest: dict[int, list[bool]] = {}
    for a in firsts:
        if a.question_id != question_id:
            rest.setdefault(a.user_id, []).append(a.is_correct)
    ranked = sorted(mine, key=lambda a: (sum(rest.get(a.user_id, [])) /
                                         len(rest[a.user_id]) if rest.get(a.user_id) else 0.0))
    size = max(1, round(GROUP_SHARE * len(ranked)))
    if len(ranked) >= 2:
        size = min(size, len(ranked) // 2)
        lower, upper = ranked[:size], ranked[-size:]
        stats.discrimination = (sum(a.is_correct for a in upper) / size
                                - sum(a.is_correct for a in lower) / size)
        for a in upper:
            for p in _marks(question_type, a.picked):
                if p in by_position:
                    by_position[p].upper_picks += 1
    if stats.answers >= min_answers:
        _flag(stats)
    return stats


def _flag(stats: ItemStats) -> None:
    if stats.facility < FACILITY_LOW:
        stats.flags.append(f"too hard: facility {stats.facility:.0%} is below "
                           f"{FACILITY_LOW:.0%}")
    elif stats.facility > FACILITY_HIGH:
        stats.flags.append(f"too easy: facility {stats.facility:.0%} is above "
                           f"{FACILITY_HIGH:.0%}")
    if stats.discrimination is not None and stats.discrimination < DISCRIMINATION_LOW:
        stats.flags.append(f"weak discrimination: {stats.discrimination:.2f} is below "
                           f"{DISCRIMINATION_LOW}")
    if stats.question_type == "ordering":  # no distractors: the steps' counts are misplacements
        return
    keys = [c for c in stats.choices if c.correct]
    key_upper = max((c.upper_picks for c in keys), default=0)
    for c in stats.choices:
        if c.correct:
            continue
        if c.picks == 0 and stats.question_type != "hotspot":  # most lines are no distractor
            stats.flags.append(f"distractor nobody picks: {c.text[:60]!r}")
        elif c.upper_picks > key_upper:
            stats.flags.append(f"likely wrong key: strong learners pick {c.text[:60]!r} more "
                               "than the key")
