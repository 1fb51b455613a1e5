"""Writes for skill tracking. Every recorded answer goes through `skill_record_answer()`, run off
the request path by the tasks in apps.skills.tasks (enqueued after the play transaction commits).

Locking: the service locks the learner's estimate rows first (ordered by id), then the
question's calibration row, always in that order, so two answers never wait on each other in
opposite orders. The learner lock serialises everything one learner's answers change (first
answer check, estimates, daily activity, review cards); the question lock serialises the
calibration of one question across learners, so concurrent answers lose no update. On SQLite the
IMMEDIATE transaction mode gives the same serialisation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from apps.bank.models import Question, QuestionVersion
from apps.skills import elo, selectors
from apps.skills.models import (
    AnswerEvent,
    DailyActivity,
    LeaderboardPreference,
    QuestionSkill,
    ReviewCard,
    SkillAggregate,
    SkillEstimate,
    SkillPercentile,
    SkillPercentileCut,
)

log = logging.getLogger(__name__)

# An answer slower than this share of the time limit was a struggle: it comes back for review.
SLOW_FRACTION = 0.6
# No fuzz, so a schedule is reproducible; one short step before a missed question graduates.
SCHEDULER = Scheduler(enable_fuzzing=False, learning_steps=(timedelta(minutes=10),),
                      relearning_steps=(timedelta(minutes=10),))


@dataclass(frozen=True)
class AnswerFacts:
    """What a play record says about one answer (or a timeout) of a signed-in human."""

    source_key: str
    user_id: int
    version_id: int
    is_correct: bool
    timed_out: bool
    elapsed_ms: int | None
    limit_ms: int
    answered_at: datetime

    def as_data(self) -> dict:
        """A JSON-safe dict, for a task's arguments."""
        return {**self.__dict__, "answered_at": self.answered_at.isoformat()}

    @classmethod
    def from_data(cls, data: dict) -> AnswerFacts:
        return cls(**{**data, "answered_at": datetime.fromisoformat(data["answered_at"])})


def _locked_estimates(user_id: int, refs: list[tuple[str, int]]) -> dict:
    """Lock all of the learner's estimate rows (the overall row always exists, so there is
    always one to lock). Topic and resource rows are only created by `_calibrate`, under this
    lock, so every such row rests on at least one answer: percentiles count rows, not answers."""
    SkillEstimate.objects.bulk_create(
        [SkillEstimate(user_id=user_id, kind=SkillEstimate.Kind.OVERALL, ref=0)],
        ignore_conflicts=True)
    rows = SkillEstimate.objects.select_for_update().filter(user_id=user_id).order_by("pk")
    wanted = set(refs)
    return {(r.kind, r.ref): r for r in rows if (r.kind, r.ref) in wanted}


def _locked_question(version: QuestionVersion) -> QuestionSkill:
    QuestionSkill.objects.bulk_create(
        [QuestionSkill(question_id=version.question_id,
                       difficulty=elo.prior(version.difficulty))], ignore_conflicts=True)
    return QuestionSkill.objects.select_for_update().get(question_id=version.question_id)


def review_rating(*, is_correct: bool, elapsed_ms: int | None, limit_ms: int) -> Rating:
    if not is_correct:
        return Rating.Again
    if elapsed_ms is not None and limit_ms and elapsed_ms > SLOW_FRACTION * limit_ms:
        return Rating.Hard
    return Rating.Good


def _review(*, user_id: int, question_id: int, rating: Rating, at: datetime) -> None:
    """Missed and slow answers create a card; any answer to a question with a card reviews it."""
    card_row = ReviewCard.objects.filter(user_id=user_id, question_id=question_id).first()
    if card_row is None and rating in (Rating.Good, Rating.Easy):
        return
    card = Card.from_dict(card_row.card) if card_row else Card(card_id=question_id)
    card, _ = SCHEDULER.review_card(card, rating, review_datetime=at.astimezone(UTC))
    values = {"card": card.to_dict(), "due": card.due}
    if card_row is None:
        ReviewCard.objects.create(user_id=user_id, question_id=question_id, reviews=1,
                                  lapses=int(rating == Rating.Again), **values)
    else:
        ReviewCard.objects.filter(pk=card_row.pk).update(
            reviews=F("reviews") + 1, lapses=F("lapses") + int(rating == Rating.Again),
            **values)


def _local_day(user_id: int, at: datetime):
    from apps.accounts.models import Profile

    name = Profile.objects.filter(user_id=user_id).values_list("timezone", flat=True).first()
    try:
        zone = ZoneInfo(name or "UTC")
    except (ValueError, KeyError):  # a zone removed from tzdata since it was saved
        zone = ZoneInfo("UTC")
    return at.astimezone(zone).date()


def skill_record_answer(*, facts: AnswerFacts) -> AnswerEvent | None:
    """Record one answer: calibrate the learner and the question if it is the learner's first
    answer to this question, count the day's activity, and reschedule the review card.
    Idempotent: a second call with the same `source_key` changes nothing and returns None.
    Callers must pass only signed-in humans' answers (no bots, no anonymous attempts)."""
    version = (QuestionVersion.objects.select_related("question")
               .prefetch_related("topics", "citations").get(pk=facts.version_id))
    refs = [(SkillEstimate.Kind.OVERALL, 0)]
    refs += [(SkillEstimate.Kind.TOPIC, t.pk) for t in version.topics.all()]
    refs += [(SkillEstimate.Kind.RESOURCE, c.resource_id) for c in version.citations.all()]
    with transaction.atomic():
        estimates = _locked_estimates(facts.user_id, refs)
        if AnswerEvent.objects.filter(source_key=facts.source_key).exists():
            return None
        first = not AnswerEvent.objects.filter(user_id=facts.user_id,
                                               question_id=version.question_id).exists()
        predicted = None
        if first:
            predicted = _calibrate(estimates, refs, version, facts.is_correct)
        try:
            with transaction.atomic():
                event = AnswerEvent.objects.create(
                    source_key=facts.source_key, user_id=facts.user_id,
                    question_id=version.question_id, is_correct=facts.is_correct,
                    timed_out=facts.timed_out, elapsed_ms=facts.elapsed_ms, first=first,
                    predicted=predicted, created_at=facts.answered_at)
        except IntegrityError:  # the learner lock should prevent this; never count twice
            transaction.set_rollback(True)
            return None
        day = _local_day(facts.user_id, facts.answered_at)
        DailyActivity.objects.get_or_create(user_id=facts.user_id, day=day)
        DailyActivity.objects.filter(user_id=facts.user_id, day=day).update(
            answers=F("answers") + 1, correct=F("correct") + int(facts.is_correct))
        _review(user_id=facts.user_id, question_id=version.question_id,
                rating=review_rating(is_correct=facts.is_correct, elapsed_ms=facts.elapsed_ms,
                                     limit_ms=facts.limit_ms),
                at=facts.answered_at)
    return event


def _calibrate(estimates: dict, refs: list[tuple[str, int]], version: QuestionVersion,
               correct: bool) -> float:
    """Elo step for every estimate the answer touches. Holds the learner's rows; takes the
    question's row lock last."""
    question = _locked_question(version)
    overall = estimates[(SkillEstimate.Kind.OVERALL, 0)]
    missing = [key for key in refs if key not in estimates]
    if missing:  # a new topic or resource starts from what we know of the learner
        SkillEstimate.objects.bulk_create([
            SkillEstimate(user_id=overall.user_id, kind=kind, ref=ref, theta=overall.theta)
            for kind, ref in missing])
        estimates.update({(r.kind, r.ref): r for r in SkillEstimate.objects.filter(
            user_id=overall.user_id, kind__in={k for k, _ in missing})
            if (r.kind, r.ref) in set(missing)})
    before = question.difficulty
    new_theta, new_difficulty, predicted = elo.update(
        overall.theta, overall.answers, before, question.answers, correct)
    for key, row in estimates.items():
        if key == (SkillEstimate.Kind.OVERALL, 0):
            row.theta = new_theta
        else:
            row.theta, _, _ = elo.update(row.theta, row.answers, before, question.answers,
                                         correct)
    for row in estimates.values():
        row.answers += 1
        row.correct += int(correct)
    SkillEstimate.objects.bulk_update(list(estimates.values()), ["theta", "answers", "correct"])
    QuestionSkill.objects.filter(pk=question.pk).update(
        difficulty=new_difficulty, answers=F("answers") + 1, correct=F("correct") + int(correct))
    _aggregate_step(version, refs, new_difficulty - before)
    return predicted


def _keys(refs) -> Q:
    wanted = Q(pk__in=[])
    for kind, ref in set(refs):
        wanted |= Q(kind=kind, ref=ref)
    return wanted


def _aggregate_step(version: QuestionVersion, refs: list[tuple[str, int]],
                    delta: float) -> None:
    """Move the difficulty sums of the question's topics and resources (and overall) by its
    calibration step, inside the answer's transaction, so a redelivered task (which records
    nothing) adds nothing either. Only for the current version of a published question: the
    questions the sums count (anything else is put right by the next refresh). Takes the
    aggregate rows' locks last, ordered by id, after the learner's and the question's."""
    question = version.question
    if question.status != Question.Status.PUBLISHED or question.current_version_id != version.pk:
        return
    locked = list(SkillAggregate.objects.select_for_update().filter(_keys(refs))
                  .order_by("pk").values_list("pk", flat=True))
    if locked:
        SkillAggregate.objects.filter(pk__in=locked).update(
            difficulty_sum=F("difficulty_sum") + delta)


# --- Precomputed statistics ----------------------------------------------------------------------

STATS_REFRESH_QUEUED = "skills:stats-refresh-queued"


def skill_stats_refresh() -> dict[str, int]:
    """Recompute SkillAggregate and SkillPercentile from scratch (beat runs it every
    selectors.STATS_REFRESH_SECONDS). Idempotent: a second run writes the same rows.

    Two short transactions. The first locks every aggregate row (by id, as the answer path
    does) before it reads the questions' difficulties: an answer that already moved a sum
    commits first and its new difficulty is read; one that has not waits, and adds its step
    to the recomputed sum. The second replaces the percentile tables, which no answer writes."""
    with transaction.atomic():
        existing = {(a.kind, a.ref): a.pk for a in
                    SkillAggregate.objects.select_for_update().order_by("pk")}
        totals = selectors.difficulty_totals()
        SkillAggregate.objects.bulk_create(
            [SkillAggregate(kind=kind, ref=ref, questions=count, difficulty_sum=total)
             for (kind, ref), (count, total) in totals.items()],
            update_conflicts=True, unique_fields=["kind", "ref"],
            update_fields=["questions", "difficulty_sum", "updated_at"])
        SkillAggregate.objects.filter(
            pk__in=[pk for key, pk in existing.items() if key not in totals]).delete()
    now = timezone.now()
    cuts = selectors.percentile_cuts()
    with transaction.atomic():
        # Readers see the previous snapshot until this commits.
        SkillPercentileCut.objects.all().delete()
        SkillPercentileCut.objects.bulk_create(
            [SkillPercentileCut(kind=kind, ref=ref, theta=theta, percentile=pct)
             for (kind, ref), (_, rows) in cuts.items() for theta, pct in rows],
            batch_size=2000)
        existing = {pk: (kind, ref) for pk, kind, ref in
                    SkillPercentile.objects.values_list("pk", "kind", "ref")}
        SkillPercentile.objects.bulk_create(
            [SkillPercentile(kind=kind, ref=ref, learners=n, refreshed_at=now)
             for (kind, ref), (n, _) in cuts.items()],
            update_conflicts=True, unique_fields=["kind", "ref"],
            update_fields=["learners", "refreshed_at"])
        SkillPercentile.objects.filter(
            pk__in=[pk for pk, key in existing.items() if key not in cuts]).delete()
    cache.delete(STATS_REFRESH_QUEUED)
    return {"aggregates": len(totals), "percentiles": len(cuts)}


def skill_stats_refresh_soon() -> bool:
    """Ask for a refresh when a page found the tables stale (no beat on the embedded default,
    or beat stopped): at most one request per refresh period, whatever the traffic."""
    from apps.core.tasks import enqueue
    from apps.skills import tasks

    if not cache.add(STATS_REFRESH_QUEUED, 1, selectors.STATS_REFRESH_SECONDS):
        return False
    enqueue(tasks.refresh_stats_task)
    return True


# --- Play modes hand their answers over as data --------------------------------------------------

def skill_record_answers(*, facts: list[AnswerFacts]) -> int:
    """Record a batch of answers (a quiz answer, a quiz timeout, a closed match round or live
    question). The play modes build the facts when they close a question and pass them as data,
    so this app never imports theirs. Idempotent per `source_key`; returns how many were new."""
    return sum(1 for f in facts if skill_record_answer(facts=f))


def leaderboard_preference_set(*, user, hide_name: bool) -> LeaderboardPreference:
    pref, _ = LeaderboardPreference.objects.update_or_create(
        user=user, defaults={"hide_name": hide_name})
    return pref
