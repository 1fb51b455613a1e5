"""The precomputed tables the skill pages read (issue 13): topic aggregates maintained by the
answer service, percentile tables rebuilt by the refresh job, both equal to what a computation
from scratch gives."""

from __future__ import annotations

import random

import pytest
from django.core.cache import cache

from apps.bank.models import Question
from apps.skills import selectors, services
from apps.skills.models import (
    SkillAggregate,
    SkillEstimate,
    SkillPercentile,
    SkillPercentileCut,
)
from tests.factories import UserFactory
from tests.skills.conftest import record

pytestmark = pytest.mark.django_db


def _aggregates() -> dict:
    return {(a.kind, a.ref): (a.questions, a.difficulty_sum)
            for a in SkillAggregate.objects.all()}


def _assert_aggregates_match_scratch():
    stored, scratch = _aggregates(), selectors.difficulty_totals()
    assert stored.keys() == scratch.keys()
    for key, (count, total) in scratch.items():
        assert stored[key][0] == count
        assert stored[key][1] == pytest.approx(total, abs=1e-9), key


def _percentile_from_scratch(kind: str, ref: int, theta: float) -> int:
    """Share of the group's rows strictly below `theta`, rounded half up, counted row by row."""
    thetas = list(SkillEstimate.objects.filter(kind=kind, ref=ref).values_list("theta",
                                                                                 flat=True))
    below = sum(1 for t in thetas if t < theta)
    return (200 * below + len(thetas)) // (2 * len(thetas))


def test_it_moves_the_topic_aggregates_with_every_calibration(world, versions):
    services.skill_stats_refresh()
    before = _aggregates()
    learners = [world["learner"], world["other_learner"], *UserFactory.create_batch(3)]
    for n, user in enumerate(learners):
        for i, version in enumerate(versions.values()):
            record(user, version, (i + n) % 2 == 0)
    after = _aggregates()
    assert after != before  # the calibration moved the sums...
    _assert_aggregates_match_scratch()  # ...exactly as a recount would


def test_a_redelivered_answer_moves_nothing(world, versions):
    services.skill_stats_refresh()
    version = versions["ml-threats-fixture-owasp-ids"]
    record(world["learner"], version, True, key="quiz:1")
    once = _aggregates()
    assert record(world["learner"], version, True, key="quiz:1") is None
    assert _aggregates() == once


def test_answers_to_an_unpublished_question_wait_for_the_refresh(world, versions):
    services.skill_stats_refresh()
    version = versions["ml-threats-fixture-owasp-ids"]
    Question.objects.filter(pk=version.question_id).update(status=Question.Status.RETIRED)
    record(world["learner"], version, True)
    assert _aggregates()[("overall", 0)][0] == len(versions)  # still counted until refreshed
    services.skill_stats_refresh()
    assert _aggregates()[("overall", 0)][0] == len(versions) - 1
    _assert_aggregates_match_scratch()


def test_a_second_refresh_writes_the_same_rows(world, versions):
    for i, version in enumerate(versions.values()):
        record(world["learner"], version, i % 2 == 0)
        record(world["other_learner"], version, i % 2 == 1)
    first = services.skill_stats_refresh()
    def snapshot():
        return ({(p.kind, p.ref): p.learners for p in SkillPercentile.objects.all()},
                sorted(SkillPercentileCut.objects.values_list("kind", "ref", "theta",
                                                              "percentile")))

    rows = snapshot()
    aggregates = _aggregates()
    assert rows[1]  # cut points were written
    assert services.skill_stats_refresh() == first
    assert snapshot() == rows
    assert _aggregates() == aggregates


def test_refreshed_percentiles_equal_a_count_from_scratch(world, versions):
    rng = random.Random(13)
    users = UserFactory.create_batch(37)
    topic = versions["ml-threats-fixture-owasp-ids"].main_topic_id
    # Ties on purpose: rounded thetas put several learners on the same value.
    SkillEstimate.objects.bulk_create(
        [SkillEstimate(user=u, kind="topic", ref=topic, theta=round(rng.gauss(0, 1), 1),
                       answers=1) for u in users]
        + [SkillEstimate(user=u, kind="resource", ref=7, theta=rng.gauss(0, 1), answers=1)
           for u in users[:3]])
    services.skill_stats_refresh()
    for kind, ref in (("topic", topic), ("resource", 7)):
        assert SkillPercentile.objects.get(kind=kind, ref=ref).learners == \
            SkillEstimate.objects.filter(kind=kind, ref=ref).count()
        assert SkillPercentileCut.objects.filter(kind=kind, ref=ref).count() <= 101
        probes = list(SkillEstimate.objects.filter(kind=kind, ref=ref)
                      .values_list("theta", flat=True)) + [-9.0, 9.0, 0.05, 0.0]
        for theta in probes:
            assert selectors.percentile(kind=kind, ref=ref, theta=theta) == \
                _percentile_from_scratch(kind, ref, theta), theta
    assert selectors.percentile(kind="resource", ref=8, theta=0.0) is None  # never refreshed
    mine = next(t for t in selectors.skill_summary(users[0])["topics"] if t["evidence"])
    own = SkillEstimate.objects.get(user=users[0], kind="topic", ref=topic).theta
    assert mine["percentile"] == _percentile_from_scratch("topic", topic, own)


def test_a_group_nobody_is_in_any_more_leaves_the_tables(world, versions):
    SkillEstimate.objects.create(user=world["learner"], kind="resource", ref=99, theta=0,
                                 answers=1)
    services.skill_stats_refresh()
    assert SkillPercentile.objects.filter(kind="resource", ref=99).exists()
    SkillEstimate.objects.filter(kind="resource", ref=99).delete()
    services.skill_stats_refresh()
    assert not SkillPercentile.objects.filter(kind="resource", ref=99).exists()


def test_stale_tables_ask_for_one_refresh(world, versions, django_capture_on_commit_callbacks):
    cache.clear()
    record(world["learner"], versions["ml-threats-fixture-owasp-ids"], True)
    assert selectors.skill_summary(world["learner"])["stats_stale"]  # never refreshed
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.skill_stats_refresh_soon()
        assert not services.skill_stats_refresh_soon()  # one request per period
    assert len(callbacks) == 1
    services.skill_stats_refresh()
    assert not selectors.skill_summary(world["learner"])["stats_stale"]
    assert services.skill_stats_refresh_soon()  # the refresh cleared the request


def test_the_dashboard_asks_for_a_refresh_when_stale(client, world, versions,
                                                      django_capture_on_commit_callbacks):
    cache.clear()
    record(world["learner"], versions["ml-threats-fixture-owasp-ids"], True)
    client.force_login(world["learner"])
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.get("/skills/").status_code == 200
    assert len(callbacks) == 1
    services.skill_stats_refresh()
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.get("/skills/").status_code == 200
    assert callbacks == []
