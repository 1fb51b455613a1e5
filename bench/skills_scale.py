"""Skill tracking at scale: builds 10,000 learners and 1,000,000 recorded answers (with the
precomputed aggregates the pages read) and prints p50/p99 of the dashboard, the leaderboards and
the skill API, with their query counts, beside a floor measured in the same run (one indexed
SELECT of one learner's row through the ORM, the least a page can do).

    .venv/bin/python bench/skills_scale.py [--learners 10000] [--answers 1000000] [--requests 200]
    .venv/bin/python bench/skills_scale.py --reuse /tmp/.../skills-bench.sqlite3  # measure only
    DATABASE_URL=postgres://... .venv/bin/python bench/skills_scale.py --reuse   # measure only

It uses DATABASE_URL like the application: unset, SQLite in a temporary file. Seeding 10k/1M
takes about 4 minutes on PostgreSQL (2 cores); `--reuse` measures what an earlier run built. Rows
are made with bulk_create, not through the answer service (a million Elo updates one at a time
would take too long to be worth it): answers are raw AnswerEvent rows, and the per-learner
estimates, daily activity, review cards and ratings are generated to match them. After seeding
it runs ANALYZE (autovacuum's job on a live database) and the refresh job that beat runs
(apps.skills.services.skill_stats_refresh), and prints how long that took. Requests go through
Django's test client in this process: the figures are the server's time, without a network.
Nothing is asserted: it reports.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure_env(reuse: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ["LOG_LEVEL"] = "WARNING"
    if not os.environ.get("DATABASE_URL") and not reuse:
        os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "skills-bench.sqlite3")


def step(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {label}: {now - started:.1f} s", flush=True)
    return now


def build(learners: int, answers: int, rng: random.Random) -> list[int]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from apps.accounts.models import Profile
    from apps.bank.models import Question
    from apps.matches.models import Match, Rating, RatingChange
    from apps.skills import elo
    from apps.skills.models import (
        AnswerEvent,
        DailyActivity,
        QuestionSkill,
        ReviewCard,
        SkillEstimate,
    )

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("loadbank", verbosity=0, stdout=open(os.devnull, "w"))
    t = step("migrate and load the bank", t)
    questions = list(Question.objects.filter(status="published").select_related(
        "current_version").prefetch_related("current_version__topics",
                                            "current_version__citations"))
    facts = [(q.pk, q.current_version.difficulty,
              [tp.pk for tp in q.current_version.topics.all()],
              [c.resource_id for c in q.current_version.citations.all()]) for q in questions]
    User = get_user_model()
    unusable = make_password(None)
    now = timezone.now()
    batch = 5000
    with transaction.atomic():
        stamp = int(time.time())
        User.objects.bulk_create([User(username=f"sk{stamp}-{i}", password=unusable)
                                  for i in range(learners)], batch_size=batch)
        ids = list(User.objects.filter(username__startswith=f"sk{stamp}-")
                   .order_by("pk").values_list("pk", flat=True))
        Profile.objects.bulk_create([Profile(user_id=u) for u in ids], batch_size=batch,
                                    ignore_conflicts=True)
        QuestionSkill.objects.bulk_create(
            [QuestionSkill(question_id=pk, difficulty=elo.prior(d) + rng.gauss(0, 0.5),
                           answers=answers // len(facts)) for pk, d, _, _ in facts],
            ignore_conflicts=True)
    t = step(f"{learners} learners", t)

    per_learner = max(1, answers // learners)
    events, estimates, days, cards = [], [], [], []
    made = 0
    with transaction.atomic():
        for user_id in ids:
            ability = rng.gauss(0, 1)
            seen: set[int] = set()
            counts: dict[tuple[str, int], list[int]] = {}
            active_days: dict = {}
            carded: set[int] = set()
            for n in range(per_learner):
                pk, difficulty, topics, resources = facts[rng.randrange(len(facts))]
                correct = rng.random() < elo.expected(ability, elo.prior(difficulty))
                first = pk not in seen
                seen.add(pk)
                at = now - timedelta(days=rng.randrange(60), seconds=rng.randrange(86400))
                events.append(AnswerEvent(
                    source_key=f"bench:{user_id}:{n}", user_id=user_id, question_id=pk,
                    is_correct=correct, elapsed_ms=rng.randrange(1000, 20000), first=first,
                    created_at=at))
                day = at.date()
                active_days.setdefault(day, [0, 0])
                active_days[day][0] += 1
                active_days[day][1] += correct
                if first:
                    for key in [("overall", 0), *[("topic", x) for x in topics],
                                *[("resource", x) for x in resources]]:
                        c = counts.setdefault(key, [0, 0])
                        c[0] += 1
                        c[1] += correct
                if not correct and len(carded) < 20 and pk not in carded:
                    carded.add(pk)
                    cards.append(ReviewCard(user_id=user_id, question_id=pk, card={},
                                            due=at + timedelta(days=rng.randrange(-5, 30))))
            for (kind, ref), (n, right) in counts.items():
                estimates.append(SkillEstimate(user_id=user_id, kind=kind, ref=ref,
                                               theta=ability + rng.gauss(0, 0.3), answers=n,
                                               correct=right))
            days += [DailyActivity(user_id=user_id, day=d, answers=a, correct=c)
                     for d, (a, c) in active_days.items()]
            if len(events) >= 50_000:
                AnswerEvent.objects.bulk_create(events, batch_size=batch)
                made += len(events)
                events = []
        AnswerEvent.objects.bulk_create(events, batch_size=batch)
        made += len(events)
    t = step(f"{made} answer events", t)
    with transaction.atomic():
        SkillEstimate.objects.bulk_create(estimates, batch_size=batch)
        DailyActivity.objects.bulk_create(days, batch_size=batch)
        ReviewCard.objects.bulk_create(cards, batch_size=batch, ignore_conflicts=True)
        rated = ids[: len(ids) // 2]
        Rating.objects.bulk_create([Rating(user_id=u, mu=25 + rng.gauss(0, 4), sigma=3,
                                           games=10) for u in rated], batch_size=batch)
        matches = Match.objects.bulk_create([Match(kind="ranked", ranked=True, state="finished")
                                             for _ in range(len(rated) * 5)], batch_size=batch)
        changes = []
        for i, match in enumerate(matches):
            user_id = rated[i % len(rated)]
            before = 1500 + rng.randrange(-200, 200)
            changes.append(RatingChange(match=match, user_id=user_id, mu_before=25,
                                        sigma_before=3, mu_after=25, sigma_after=3,
                                        display_before=before,
                                        display_after=before + rng.randrange(-30, 30)))
        RatingChange.objects.bulk_create(changes, batch_size=batch)
        RatingChange.objects.filter(pk__in=[c.pk for c in changes[::3]]).update(
            created_at=now - timedelta(days=3))
    step(f"{len(estimates)} estimates, {len(days)} active days, {len(cards)} review cards, "
         f"{len(changes)} rating changes", t)
    return ids


def refresh() -> None:
    from django.db import connection

    from apps.skills.services import skill_stats_refresh

    started = time.perf_counter()
    print(f"  load average before measuring: {os.getloadavg()[0]:.2f} "
          f"({os.cpu_count()} cores)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        started = step("ANALYZE", started)
    counts = skill_stats_refresh()
    step(f"refresh job (skills.refresh_stats: {counts['aggregates']} aggregates, "
         f"{counts['percentiles']} percentile tables)", started)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(ids: list[int], requests: int, rng: random.Random, profile: str | None = None
            ) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.bank.models import Topic
    from apps.skills.models import SkillEstimate

    topic = Topic.objects.first()
    urls = ["/skills/", "/skills/leaderboards/?kind=rating",
            "/skills/leaderboards/?kind=rating-week",
            f"/skills/leaderboards/?kind=topic-{topic.slug}",
            "/api/v1/me/skills/", "/api/v1/me/history/", "/api/v1/me/review/",
            f"/api/v1/leaderboards/topic-{topic.slug}/"]
    users = list(get_user_model().objects.in_bulk(rng.sample(ids, min(50, len(ids)))).values())
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        client.get("/")  # the session's first request stores the learner's time zone
        clients.append(client)

    def floor(i: int) -> None:
        SkillEstimate.objects.filter(user_id=users[i % len(users)].pk, kind="overall",
                                     ref=0).first()

    rows = [("floor: one indexed SELECT (ORM)", floor)]
    rows += [(url, lambda i, url=url: clients[i % len(clients)].get(url)) for url in urls]
    print(f"\n{requests} requests each, {len(users)} learners in turn (after 10 warm-ups); "
          f"cpu: this process's CPU time (Django's share; the database's is not in it)")
    print(f"{'page':<48} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'p50/floor':>10} "
          f"{'cpu p50':>8} {'queries':>8}")
    floor_p50, figures = None, {}
    for label, call in rows:
        for i in range(10):
            call(i)
        times, cpu, queries = [], [], set()
        for i in range(requests):
            with CaptureQueriesContext(connection) as ctx:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = call(i)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
            if response is not None:
                assert response.status_code == 200, (label, response.status_code)
            queries.add(len(ctx))
        p50 = _pct(times, 0.5)
        floor_p50 = floor_p50 or p50
        figures[label] = (p50, _pct(times, 0.99), call)
        print(f"{label:<48} {p50:>8.2f} {_pct(times, 0.99):>8.2f} {max(times):>8.2f} "
              f"{p50 / floor_p50:>9.0f}x {_pct(cpu, 0.5):>8.2f} "
              f"{'/'.join(map(str, sorted(queries))):>8}", flush=True)
    pages = {label: f for label, f in figures.items() if not label.startswith("floor")}
    slowest = max(pages, key=lambda label: pages[label][1])
    floor_figures = figures[rows[0][0]]
    if profile:
        _profile(slowest, pages[slowest][2], requests, profile)
    from bench.quiz_throughput import result

    result("skills", p99_ms=pages[slowest][1], slowest=slowest, p50_ms=pages[slowest][0],
           floor_p50_ms=floor_figures[0], floor_p99_ms=floor_figures[1])


def _profile(label: str, call, requests: int, path: str) -> None:
    """Where the slowest page's time goes: cProfile over `requests` more of its requests (this
    process is the server here), stats saved to `path`, the top functions printed."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(requests):
        call(i)
    profiler.disable()
    profiler.dump_stats(path)
    print(f"\nprofile of {label} ({requests} requests; {path}), by own time:")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(12)
    print("by cumulative time, the project's own functions:")
    stats.sort_stats("cumulative").print_stats(r"apps/", 12)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200, help="per page")
    parser.add_argument("--profile", metavar="FILE",
                        help="cProfile the slowest page and save the stats to FILE")
    parser.add_argument("--reuse", metavar="SQLITE_PATH", nargs="?", const="",
                        help="measure a data set an earlier run built: the SQLite file, or "
                             "nothing with DATABASE_URL")
    args = parser.parse_args()
    if args.reuse:
        os.environ["SQLITE_PATH"] = args.reuse
    reuse = args.reuse is not None
    if reuse and not args.reuse and not os.environ.get("DATABASE_URL"):
        parser.error("--reuse without a path needs DATABASE_URL")
    configure_env(reuse)
    import django

    django.setup()
    from django.conf import settings

    print(f"database: {settings.DATABASES['default']['ENGINE']} "
          f"{settings.DATABASES['default']['NAME']}")
    rng = random.Random(5)
    if reuse:
        from django.contrib.auth import get_user_model
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        ids = list(get_user_model().objects.filter(username__startswith="sk")
                   .values_list("pk", flat=True))
    else:
        ids = build(args.learners, args.answers, rng)
    refresh()
    measure(ids, args.requests, rng, args.profile)


if __name__ == "__main__":
    main()
