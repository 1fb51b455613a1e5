"""Where a live game's questions come from (a hand-picked set, a cohort assignment, what a cohort
missed most, a past game replayed), team mode (balanced teams, mean scores, late joiners) and
"who moved up" at each reveal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.bank.models import Question
from apps.cohorts.models import Membership
from apps.cohorts.services import assignment_create, cohort_create
from apps.live.models import LivePlayer, LiveQuestion
from apps.skills.models import AnswerEvent
from tests.factories import UserFactory
from tests.live.conftest import control, db_game, keys_for, seat

pytestmark = pytest.mark.django_db


def slugs() -> list[str]:
    return sorted(Question.objects.filter(status="published").values_list("slug", flat=True))


def create(host, **data):
    return host.post("/api/v1/live/", {"count": 3, **data}, format="json")


def played_slugs(game_id: str) -> list[str]:
    return list(LiveQuestion.objects.filter(game__public_id=game_id).order_by("number")
                .values_list("version__question__slug", flat=True))


def test_a_hand_picked_set_is_played_in_its_order(host, small_bank):
    picked = list(reversed(slugs()))
    response = create(host, questions=picked)
    assert response.status_code == 201, response.content
    assert played_slugs(response.json()["id"]) == picked


@pytest.mark.parametrize("data, message", [
    ({"questions": ["no-such-question", "nor-this-one", "x-y"]}, "no-such-question"),
    ({"teams": 1}, "One team"),
    ({"teams": 7}, "less than or equal to 6"),
    ({"questions": ["a-b"] * 31}, "no more than 30"),
])
def test_bad_sources_and_teams_are_refused_clearly(host, small_bank, data, message):
    response = create(host, **data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_one_source_at_a_time_and_only_the_hosts_cohorts(host, small_bank, world):
    other = cohort_create(owner=world["learner"], name="Not yours")
    theirs = assignment_create(cohort=other, by=world["learner"], title="Theirs",
                               due_at=timezone.now() + timedelta(days=1),
                               question_slugs=slugs())
    assert create(host, assignment=theirs.pk).status_code == 404
    assert create(host, missed_by_cohort=other.pk).status_code == 404
    mine = cohort_create(owner=world["instructor"], name="Mine")
    both = create(host, questions=slugs(), missed_by_cohort=mine.pk)
    assert both.status_code == 400 and "one source" in both.json()["detail"]


def test_a_cohort_assignment_becomes_a_game(host, small_bank, world):
    cohort = cohort_create(owner=world["instructor"], name="Tuesday")
    chosen = slugs()[1:] + slugs()[:1]
    assignment = assignment_create(cohort=cohort, by=world["instructor"], title="Week 3",
                                   due_at=timezone.now() + timedelta(days=1),
                                   question_slugs=chosen)
    response = create(host, assignment=assignment.pk)
    assert response.status_code == 201, response.content
    assert played_slugs(response.json()["id"]) == chosen
    assert db_game(response.json()["id"]).focus_label == "assignment Week 3"


def test_what_a_cohort_missed_most_comes_first(host, small_bank, world):
    cohort = cohort_create(owner=world["instructor"], name="Tuesday")
    questions = {q.slug: q for q in Question.objects.all()}
    a, b, c = slugs()[:3]
    learners = [UserFactory() for _ in range(3)]
    for n, user in enumerate(learners):
        Membership.objects.create(cohort=cohort, user=user)
        # Everyone missed b, two missed c, one missed a.
        for slug, wrong in ((a, n == 0), (b, True), (c, n < 2)):
            AnswerEvent.objects.create(source_key=f"t:{slug}:{n}", user=user,
                                       question=questions[slug], is_correct=not wrong,
                                       first=True, created_at=timezone.now())
    outsider = UserFactory()  # not a member: their misses do not count
    AnswerEvent.objects.create(source_key="t:out", user=outsider, question=questions[a],
                               is_correct=False, first=True, created_at=timezone.now())
    response = create(host, missed_by_cohort=cohort.pk)
    assert response.status_code == 201, response.content
    assert played_slugs(response.json()["id"]) == [b, c, a]
    empty = cohort_create(owner=world["instructor"], name="New")
    refused = create(host, missed_by_cohort=empty.pk)
    assert refused.status_code == 400 and "has not missed" in refused.json()["detail"]


def test_a_past_game_can_be_played_again_by_its_host_only(host, small_bank, world):
    game = create(host, questions=slugs()).json()
    client = Client()
    client.force_login(world["instructor"])
    page = client.get(f"/live/new/?replay={game['id']}").content.decode()
    assert "\n".join(slugs()) in page
    stranger = Client()
    stranger.force_login(world["learner"])
    assert stranger.get(f"/live/new/?replay={game['id']}").status_code == 404
    bad = client.post("/live/new/", {"count": 3, "seconds": 20, "scoring": "speed",
                                     "teams": 0, "questions": "Not A Slug!"})
    assert "Not a question id" in bad.content.decode()


def test_teams_are_balanced_by_strength_and_scored_by_their_mean(host, small_bank, world):
    game = create(host, teams=2).json()
    gid = game["id"]
    strong, weak = UserFactory(username="strong"), UserFactory(username="weak")
    questions = list(Question.objects.all())
    for n, q in enumerate(questions):
        for user, right in ((strong, True), (weak, False)):
            AnswerEvent.objects.create(source_key=f"s:{user.pk}:{n}", user=user, question=q,
                                       is_correct=right, first=True, created_at=timezone.now())
    players = {}
    for user in (strong, weak):
        client = Client()
        client.force_login(user)
        players[user.username] = seat(game["pin"], "", client)
    players["Ada"], players["Bob"] = seat(game["pin"], "Ada"), seat(game["pin"], "Bob")
    control(host, gid, "start")
    teams = dict(LivePlayer.objects.filter(game__public_id=gid).values_list("nickname", "team"))
    assert sorted(teams.values()) == [0, 0, 1, 1]
    # Snake order: the strongest with the weakest, the two unknowns (average) together.
    assert teams["strong"] == teams["weak"] and teams["Ada"] == teams["Bob"] != teams["strong"]
    # One right answer: that player's team leads on the mean.
    players["strong"].answer(1, keys_for(gid, 1))
    control(host, gid, "skip", question=1)
    view = host.get(f"/api/v1/live/{gid}/").json()
    leader = view["teams"][0]
    assert leader["name"] == ("Red", "Blue")[teams["strong"]] and leader["members"] == 2
    strong_score = LivePlayer.objects.get(game__public_id=gid, nickname="strong").score
    assert leader["score"] == round(strong_score / 2) and view["teams"][1]["score"] == 0
    me = players["strong"].get().json()["me"]
    assert me["team"] == leader["name"]
    # A late joiner evens the teams out.
    seat(game["pin"], "Cy")
    assert LivePlayer.objects.filter(game__public_id=gid, team__isnull=True).count() == 0


def test_the_top_five_says_who_moved_up(host, small_bank):
    gid = create(host, scoring="accuracy").json()["id"]
    pin = db_game(gid).pin
    ada, bob = seat(pin, "Ada"), seat(pin, "Bob")
    control(host, gid, "start")

    def play(number, ada_right, bob_right):
        ada.answer(number, keys_for(gid, number, correct=ada_right))
        bob.answer(number, keys_for(gid, number, correct=bob_right))  # the last answer closes
        return {p["nickname"]: p for p in host.get(f"/api/v1/live/{gid}/").json()["top"]}

    first = play(1, True, False)
    assert list(first) == ["Ada", "Bob"] and first["Ada"]["moved"] == 0  # nobody moved yet
    control(host, gid, "next", question=1)
    second = play(2, False, True)  # level on points: Ada stays first (she joined first)
    assert list(second) == ["Ada", "Bob"] and second["Bob"]["moved"] == 0
    control(host, gid, "next", question=2)
    third = play(3, False, True)
    assert list(third) == ["Bob", "Ada"]
    assert third["Bob"]["moved"] == 1 and third["Ada"]["moved"] == -1
    page = Client()
    page.force_login(db_game(gid).host)
    html = page.get(f"/live/{gid}/host/").content.decode()
    assert 'data-testid="moved-up">▲ 1<' in html
