"""Reads for skill tracking. Every page's function runs a fixed number of queries whatever the
number of learners or answers, each an index lookup: they read the precomputed rows
(SkillEstimate, SkillAggregate, SkillPercentile, QuestionSkill, DailyActivity, ReviewCard) and
never scan raw answers nor other learners' rows. The `*_totals` and `percentile_cuts` functions
compute from scratch what the refresh job stores (apps.skills.services.skill_stats_refresh)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import OuterRef, Subquery, Value
from django.http import Http404
from django.utils import timezone

from apps.bank.models import Question, Resource, Topic
from apps.skills import boards, elo
from apps.skills.models import (
    DailyActivity,
    QuestionSkill,
    ReviewCard,
    SkillAggregate,
    SkillEstimate,
    SkillPercentile,
    SkillPercentileCut,
)

Kind = SkillEstimate.Kind
LEADERBOARD_SIZE = 50
# A learner needs this much evidence in a topic to be ranked on its leaderboard.
LEADERBOARD_MIN_ANSWERS = 5
# Calibration is shown as "disagreeing" only once it rests on this many first answers.
CALIBRATION_MIN_ANSWERS = 5
HIDDEN_NAME = "Anonymous learner"
# Beat refreshes the percentile tables every STATS_REFRESH_SECONDS (config/settings/base.py);
# a page that finds them older than this asks for a refresh itself (the embedded default has
# no beat).
STATS_REFRESH_SECONDS = 300
STATS_STALE_AFTER = timedelta(seconds=2 * STATS_REFRESH_SECONDS)


def difficulty_totals() -> dict[tuple[str, int], tuple[int, float]]:
    """From scratch: the number of published questions and the sum of their calibrated
    difficulty (prior where uncalibrated), overall and per topic and resource. One query over
    the bank (its size, not the learners'); the refresh job and the tests use it, pages read
    the SkillAggregate rows it produces."""
    rows = Question.objects.filter(status=Question.Status.PUBLISHED,
                                   current_version__isnull=False).values_list(
        "pk", "current_version__difficulty", "skill__difficulty", "current_version__topics",
        "current_version__citations__resource")
    per_question: dict[int, float] = {}
    groups: dict[tuple[str, int], set[int]] = defaultdict(set)
    for pk, author, calibrated, topic_id, resource_id in rows:
        per_question[pk] = calibrated if calibrated is not None else elo.prior(author)
        if topic_id:
            groups[(Kind.TOPIC, topic_id)].add(pk)
        if resource_id:
            groups[(Kind.RESOURCE, resource_id)].add(pk)
    result = {key: (len(qs), sum(per_question[q] for q in qs)) for key, qs in groups.items()}
    result[(Kind.OVERALL, 0)] = (len(per_question), sum(per_question.values()))
    return result


def average_difficulties() -> dict[tuple[str, int], float]:
    """The mean calibrated difficulty of the published questions, overall and per topic and
    resource: one query on the precomputed SkillAggregate rows. Before the first refresh
    (a new installation) they are computed from scratch, one query more."""
    rows = {(a.kind, a.ref): (a.questions, a.difficulty_sum)
            for a in SkillAggregate.objects.all()}
    if not rows:
        rows = difficulty_totals()
    result = {key: total / count for key, (count, total) in rows.items() if count}
    result.setdefault((Kind.OVERALL, 0), 0.0)
    return result


def percentile_cuts() -> dict[tuple[str, int], tuple[int, list[list[float]]]]:
    """From scratch, for every topic and resource: how many learners have an estimate in it and
    the cut points of their distribution, [[theta, percentile], ...] (SkillPercentileCut). A learner's percentile is the
    share of the other rows strictly below their theta, rounded half up:
    (200 * below + n) // (2 * n). A cut is the row at rank r (from 1) where that value is
    higher for `below = r` than for `below = r - 1`, so at most 101 rows per group leave the
    database. One query: a window over the (kind, ref, theta) index."""
    table = SkillEstimate._meta.db_table
    # The table name is the model's own; the only value is a query parameter.
    sql = f"""
        SELECT kind, ref, theta, r, n FROM (
            SELECT kind, ref, theta,
                   ROW_NUMBER() OVER (PARTITION BY kind, ref ORDER BY theta) AS r,
                   COUNT(*) OVER (PARTITION BY kind, ref) AS n
            FROM {table} WHERE kind <> %s) ranked
        WHERE (200 * r + n) / (2 * n) > (200 * (r - 1) + n) / (2 * n)
        ORDER BY kind, ref, r"""  # noqa: S608
    result: dict[tuple[str, int], tuple[int, list[list[float]]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [Kind.OVERALL])
        for kind, ref, theta, r, n in cursor.fetchall():
            result.setdefault((kind, ref), (n, []))[1].append(
                [theta, (200 * r + n) // (2 * n)])
    return result


def _percentile_below(theta) -> Subquery:
    """The percentile of the last cut strictly below `theta` in the group of the outer row."""
    return Subquery(SkillPercentileCut.objects.filter(
        kind=OuterRef("kind"), ref=OuterRef("ref"), theta__lt=theta)
        .order_by("-theta", "-percentile").values("percentile")[:1])


def percentile(*, kind: str, ref: int, theta: float) -> int | None:
    """The percentile of `theta` among the learners of a topic or resource as of the last
    refresh; None before the group has been refreshed. One query."""
    row = (SkillPercentile.objects.filter(kind=kind, ref=ref)
           .annotate(below=_percentile_below(Value(theta))).values("below").first())
    return None if row is None else (row["below"] or 0)


def _estimates(user) -> tuple[list[SkillEstimate], dict[tuple[str, int], int], bool]:
    """The learner's estimates, their percentile per topic and resource as of the last refresh,
    and whether that refresh is missing or older than STATS_STALE_AFTER for any of them. One
    query: each row looks up its group's SkillPercentile by the (kind, ref) unique index and
    its percentile by the skill_percentile_cut index."""
    snapshot = SkillPercentile.objects.filter(kind=OuterRef("kind"), ref=OuterRef("ref"))
    estimates = list(SkillEstimate.objects.filter(user=user).annotate(
        refreshed_at=Subquery(snapshot.values("refreshed_at")[:1]),
        below=_percentile_below(OuterRef("theta"))))
    mine = [e for e in estimates if e.kind != Kind.OVERALL]
    stale_before = timezone.now() - STATS_STALE_AFTER
    stale = any(e.refreshed_at is None or e.refreshed_at < stale_before for e in mine)
    return estimates, {(e.kind, e.ref): e.below or 0
                       for e in mine if e.refreshed_at is not None}, stale


def _entry(name: str, slug: str, estimate: SkillEstimate | None, average: float,
           percentile: int | None, fallback: float = 0.0) -> dict[str, Any]:
    # An untouched topic is predicted from the overall estimate, as its row would start.
    theta = estimate.theta if estimate else fallback
    evidence = estimate.answers if estimate else 0
    mastery, uncertainty = elo.mastery(theta, evidence, average)
    return {"name": name, "slug": slug, "mastery": mastery, "uncertainty": uncertainty,
            "evidence": evidence, "correct": estimate.correct if estimate else 0,
            "percentile": percentile}


def skill_summary(user) -> dict[str, Any]:
    """Mastery overall, per topic and per resource, with uncertainty, evidence and percentile.
    Topics and resources the learner has not touched are listed with no evidence."""
    estimates, percentiles, stale = _estimates(user)
    by_key = {(e.kind, e.ref): e for e in estimates}
    averages = average_difficulties()
    overall_row = by_key.get((Kind.OVERALL, 0))
    fallback = overall_row.theta if overall_row else 0.0
    overall = _entry("Overall", "overall", overall_row, averages[(Kind.OVERALL, 0)], None)
    topics = [_entry(t.name, t.slug, by_key.get((Kind.TOPIC, t.pk)),
                     averages.get((Kind.TOPIC, t.pk), averages[(Kind.OVERALL, 0)]),
                     percentiles.get((Kind.TOPIC, t.pk)), fallback) for t in Topic.objects.all()]
    resources = [_entry(r.title, r.slug, by_key.get((Kind.RESOURCE, r.pk)),
                        averages.get((Kind.RESOURCE, r.pk), averages[(Kind.OVERALL, 0)]),
                        percentiles.get((Kind.RESOURCE, r.pk)), fallback)
                 for r in Resource.objects.all()]
    ranked = sorted((t for t in topics if t["evidence"]), key=lambda t: (-t["mastery"],
                                                                         t["name"]))
    return {"overall": overall, "topics": topics, "resources": resources,
            "strongest": ranked[:3], "weakest": list(reversed(ranked[-3:])) if ranked else [],
            "stats_stale": stale}


def _zone(user) -> ZoneInfo:
    from apps.accounts.models import Profile

    name = Profile.objects.filter(user=user).values_list("timezone", flat=True).first()
    try:
        return ZoneInfo(name or "UTC")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def streak(days: list[date], today: date) -> int:
    """Consecutive active days ending today, or yesterday when today has no answer yet."""
    active = set(days)
    day = today if today in active else today - timedelta(days=1)
    count = 0
    while day in active:
        count += 1
        day -= timedelta(days=1)
    return count


def history(user, now: datetime | None = None, zone: tzinfo | None = None) -> dict[str, Any]:
    """Rating after each rated match, accuracy per active day (last 30), and the day streak in
    the learner's time zone (`zone`, when the caller knows it, e.g. from the session; else read
    from the profile). Two or three queries."""
    now = now or timezone.now()
    today = now.astimezone(zone or _zone(user)).date()
    rating = list(user.rating_changes.order_by("-created_at")
                  .values("created_at", "display_after")[:50])[::-1]
    activity = list(DailyActivity.objects.filter(user=user, day__gte=today - timedelta(days=400))
                    .order_by("day").values("day", "answers", "correct"))
    return {
        "rating": [{"at": r["created_at"], "rating": r["display_after"]} for r in rating],
        "accuracy": [{"day": a["day"], "answers": a["answers"], "correct": a["correct"],
                      "accuracy": round(100 * a["correct"] / a["answers"]) if a["answers"]
                      else 0} for a in activity[-30:]],
        "streak": streak([a["day"] for a in activity], today),
        "today": today,
    }


def due_reviews(user, now: datetime | None = None):
    """Review cards due now whose question is still published, soonest first."""
    return (ReviewCard.objects.filter(user=user, due__lte=now or timezone.now(),
                                      question__status=Question.Status.PUBLISHED,
                                      question__current_version__isnull=False)
            .select_related("question__current_version__main_topic").order_by("due"))


def due_count(user, now: datetime | None = None) -> int:
    return due_reviews(user, now).count()


# --- Leaderboards -------------------------------------------------------------------------------

def week_start(now: datetime) -> datetime:
    """Monday 00:00 UTC of the week containing `now`."""
    utc = now.astimezone(ZoneInfo("UTC"))
    monday = utc.date() - timedelta(days=utc.weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=ZoneInfo("UTC"))


def _name(user, viewer) -> str:
    pref = getattr(user, "leaderboard_preference", None)
    if pref is not None and pref.hide_name and user.pk != viewer.pk:
        return HIDDEN_NAME
    return user.username


def leaderboard_kinds(topics: list[Topic]) -> list[dict[str, str]]:
    kinds = [{"kind": b.kind, "title": b.title} for b in boards.registered()]
    kinds += [{"kind": f"topic-{t.slug}", "title": f"Mastery: {t.name}"} for t in topics]
    return kinds


def leaderboard(*, kind: str, viewer, now: datetime | None = None,
                topics: list[Topic] | None = None) -> dict[str, Any]:
    """The top learners for `kind` (rating, rating-week, topic-<slug>); 404 for an unknown
    kind (the rating boards are registered by apps.matches, see apps.skills.boards). Learners
    who opted out appear as "Anonymous learner" (to everyone but themselves).
    `topics`: all topics, when the caller has them already (saves looking one up)."""
    now = now or timezone.now()
    rows: list[dict[str, Any]] = []
    board = boards.get(kind)
    if board is not None:  # registered by another app (the head-to-head ratings)
        title, unit = board.title, board.unit
        rows = board.rows(now=now, limit=LEADERBOARD_SIZE)
    elif kind.startswith("topic-"):
        slug = kind.removeprefix("topic-")
        topic = (next((t for t in topics if t.slug == slug), None) if topics is not None
                 else Topic.objects.filter(slug=slug).first())
        if topic is None:
            raise Http404("No such leaderboard.")
        title, unit = f"Mastery: {topic.name}", "% mastery"
        # The topic's aggregate comes with the rows (an InitPlan, evaluated once); the top rows
        # are the first entries of the partial index skill_leaderboard.
        aggregate = SkillAggregate.objects.filter(kind=Kind.TOPIC, ref=topic.pk)
        top = list(SkillEstimate.objects.filter(kind=Kind.TOPIC, ref=topic.pk,
                                                answers__gte=LEADERBOARD_MIN_ANSWERS)
                   .annotate(questions=Subquery(aggregate.values("questions")[:1]),
                             difficulty_sum=Subquery(aggregate.values("difficulty_sum")[:1]))
                   .select_related("user__leaderboard_preference")
                   .order_by("-theta", "user_id")[:LEADERBOARD_SIZE])
        if top and top[0].questions:
            average = top[0].difficulty_sum / top[0].questions
        elif top:  # before the first refresh
            average = average_difficulties().get((Kind.TOPIC, topic.pk), 0.0)
        rows = [{"user": e.user, "value": elo.mastery(e.theta, e.answers, average)[0]}
                for e in top]
    else:
        raise Http404("No such leaderboard.")
    return {"kind": kind, "title": title, "unit": unit, "rows": [
        {"rank": i, "name": _name(row["user"], viewer), "value": row["value"],
         "is_you": row["user"].pk == viewer.pk} for i, row in enumerate(rows, start=1)]}


# --- Instructors --------------------------------------------------------------------------------

def calibration_report() -> dict[str, Any]:
    """Each published question's calibrated difficulty next to the author's, and the ones
    that disagree most (with enough evidence). Two queries."""
    calibrated = {qs.question_id: qs for qs in QuestionSkill.objects.all()}
    rows = []
    for q in (Question.objects.filter(status=Question.Status.PUBLISHED,
                                      current_version__isnull=False)
              .select_related("current_version").order_by("slug")):
        skill = calibrated.get(q.pk)
        author = q.current_version.difficulty
        value = elo.calibrated_on_author_scale(skill.difficulty) if skill else float(author)
        answers = skill.answers if skill else 0
        rows.append({"slug": q.slug, "stem": q.current_version.stem[:120], "author": author,
                     "calibrated": value, "answers": answers,
                     "correct_rate": round(100 * skill.correct / skill.answers)
                     if skill and skill.answers else None,
                     "gap": round(value - author, 2)})
    disagree = sorted((r for r in rows if r["answers"] >= CALIBRATION_MIN_ANSWERS),
                      key=lambda r: (-abs(r["gap"]), r["slug"]))[:10]
    return {"questions": rows, "disagree": disagree, "min_answers": CALIBRATION_MIN_ANSWERS}


def strength_of(user_ids) -> dict[int, float]:
    """Each learner's share of first answers right (Laplace-smoothed, so one lucky answer is not
    mastery): used to balance teams. Learners without answers are absent."""
    from django.db.models import Count, Q

    from apps.skills.models import AnswerEvent

    rows = (AnswerEvent.objects.filter(user_id__in=list(user_ids), first=True)
            .values("user_id").annotate(n=Count("id"), right=Count("id", filter=Q(
                is_correct=True))))
    return {r["user_id"]: (r["right"] + 1) / (r["n"] + 2) for r in rows}
