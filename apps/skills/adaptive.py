"""Adaptive quiz selection: questions this learner should answer right about 70% of the time,
favouring weak topics and questions the learner has not seen."""

from __future__ import annotations

import secrets

from apps.bank.models import QuestionVersion
from apps.skills import elo
from apps.skills.models import AnswerEvent, SkillEstimate

TARGET = 0.7
SEEN_PENALTY = 0.15   # an unseen question beats a seen one up to 15 points further from target
WEAKNESS_BONUS = 0.1  # a topic at 0% mastery gains 10 points over one at 100%
JITTER = 0.02         # breaks ties so equal questions are not always served in the same order


def adaptive_pick(*, user, version_ids: list[int], count: int) -> list[int]:
    """The `count` versions among `version_ids` that best fit this learner (any visitor gets
    questions near 70% for an average learner). Three queries whatever the bank size."""
    rows = list(QuestionVersion.objects.filter(pk__in=version_ids).values_list(
        "pk", "question_id", "difficulty", "main_topic_id", "question__skill__difficulty"))
    estimates: dict[tuple[str, int], tuple[float, int]] = {}
    seen: set[int] = set()
    if user is not None and user.is_authenticated:
        estimates = {(k, r): (t, n) for k, r, t, n in SkillEstimate.objects.filter(
            user=user).values_list("kind", "ref", "theta", "answers")}
        seen = set(AnswerEvent.objects.filter(user=user).values_list("question_id", flat=True)
                   .distinct())
    overall = estimates.get((SkillEstimate.Kind.OVERALL, 0), (0.0, 0))[0]
    rng = secrets.SystemRandom()
    scored = []
    for pk, question_id, author, main_topic, calibrated in rows:
        difficulty = calibrated if calibrated is not None else elo.prior(author)
        theta, evidence = estimates.get((SkillEstimate.Kind.TOPIC, main_topic), (overall, 0))
        if evidence == 0:
            theta = overall
        weakness = 1.0 - elo.expected(theta, 0.0)
        score = (abs(elo.expected(theta, difficulty) - TARGET)
                 + (SEEN_PENALTY if question_id in seen else 0.0)
                 - WEAKNESS_BONUS * weakness + rng.uniform(0, JITTER))
        scored.append((score, pk))
    scored.sort()
    return [pk for _, pk in scored[:count]]
