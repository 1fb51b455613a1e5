"""A live class game placed through deep linking: the picker (a game the instructor hosts, or a
new one on a topic), the learner's launch into a seat, the host's launch onto the host page, the
refusals, and each launched learner's score sent once when the game finishes."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from apps.core.models import OutboxMessage
from apps.core.outbox import outbox_deliver
from apps.live import services as live
from apps.live.models import LiveGame, LivePlayer
from apps.lti import services
from apps.lti.grades import score_on_game_finished
from apps.lti.models import LaunchedSeat, Placement, ScoreSend
from tests.live.conftest import keys_for
from tests.lti.platform import CONTEXT_ID, INSTRUCTOR, LEARNER
from tests.lti.test_deep_linking import _picker, _returned_items

pytestmark = pytest.mark.django_db


def _teacher(registration):
    return services.identity_user(issuer=registration.issuer, sub="teacher-1", name="Ada")


@pytest.fixture
def live_placement(registration, small_bank):
    """A course with a live game its host (teacher-1 in the LMS) placed there."""
    teacher = _teacher(registration)
    facts = services.LaunchFacts(registration=registration, issuer=registration.issuer,
                                 sub="teacher-1", name="Ada", roles=INSTRUCTOR,
                                 context_id=CONTEXT_ID, context_title="Supply chains 101")
    course = services.course_for_instructor(facts=facts, user=teacher)
    game = live.game_create(host=teacher, spec=live.GameSpec(count=3))
    return services.placement_create(course=course, by=teacher, kind=Placement.Kind.LIVE,
                                     game_id=game.public_id)


def _learner_joins(lms, placement, user_id: str, name: str = "") -> Client:
    browser = Client()
    opened = _launch(browser, lms, placement, user_id=user_id, roles=LEARNER, name=name)
    assert opened.status_code == 302, opened.content
    assert opened["Location"] == f"/live/{placement.live_game.public_id}/play/"
    return browser


def _launch(browser, lms, placement, **kwargs):
    from tests.lti.conftest import lti_launch

    if not kwargs.get("name"):
        kwargs.pop("name", None)
    return lti_launch(browser, lms, custom={"placement": placement.token}, **kwargs)


# --- deep linking ---------------------------------------------------------------------------

def test_it_places_a_live_game_the_instructor_hosts(lms, registration, small_bank):
    teacher = Client()
    launch_id = _picker(teacher, lms)
    host = _teacher(registration)
    game = live.game_create(host=host, spec=live.GameSpec(count=3))
    page = teacher.post("/lti/deep-link/respond/", {
        "launch_id": launch_id, "kind": "live", "game": str(game.public_id), "count": 10,
        "days": 14})
    assert page.status_code == 200, page.content
    [item] = _returned_items(lms, page)
    placement = Placement.objects.get()
    assert (placement.kind, placement.live_game) == (Placement.Kind.LIVE, game)
    # The line item's maximum is the game's question count: the score is the answers right.
    assert item["lineItem"] == {"scoreMaximum": game.question_count, "label": placement.title,
                                "resourceId": placement.token}
    assert item["custom"] == {"placement": placement.token}


def test_it_lists_the_instructors_unfinished_games_in_the_picker(lms, registration, small_bank,
                                                                 world):
    host = _teacher(registration)
    mine = live.game_create(host=host, spec=live.GameSpec(count=3))
    done = live.game_create(host=host, spec=live.GameSpec(count=3))
    live.game_end(game=done)
    other = live.game_create(host=world["instructor"], spec=live.GameSpec(count=3))
    page = lti_picker_page(lms)
    assert str(mine.public_id) in page
    assert str(done.public_id) not in page and str(other.public_id) not in page


def lti_picker_page(lms) -> str:
    from tests.lti.conftest import lti_launch

    return lti_launch(Client(), lms, user_id="teacher-1", roles=INSTRUCTOR,
                      deep_linking=True).content.decode()


def test_it_creates_a_new_live_game_on_a_topic_from_the_picker(lms, small_bank):
    teacher = Client()
    launch_id = _picker(teacher, lms)
    page = teacher.post("/lti/deep-link/respond/", {
        "launch_id": launch_id, "kind": "live", "topic": "serialization", "count": 5,
        "days": 14})
    assert page.status_code == 200, page.content
    [item] = _returned_items(lms, page)
    game = LiveGame.objects.get()
    assert game.host.lti_identities.get().sub == "teacher-1"
    assert game.state == LiveGame.State.LOBBY and "serialization" in game.focus_label
    assert item["lineItem"]["scoreMaximum"] == game.question_count
    assert Placement.objects.get().title.startswith("Live game:")


@pytest.mark.parametrize("post, message", [
    ({"kind": "live", "count": 5, "days": 14}, "Pick one of your live games, or a topic"),
    ({"kind": "live", "topic": "no-such-topic", "count": 5, "days": 14}, "Pick a topic"),
    ({"kind": "live", "game": "not-a-uuid", "count": 5, "days": 14}, "valid UUID"),
])
def test_it_refuses_a_bad_live_pick(lms, small_bank, post, message):
    teacher = Client()
    launch_id = _picker(teacher, lms)
    response = teacher.post("/lti/deep-link/respond/", {"launch_id": launch_id, **post})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Placement.objects.exists() and not LiveGame.objects.exists()


def test_it_counts_new_games_from_the_picker_against_the_creation_limit(lms, small_bank,
                                                                        settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "live_create": "2/3600"}
    settings.LIVE_MAX_GAMES_PER_HOST = 1
    for expected, message in ((200, ""), (409, "already run 1 games"), (429, "Too many")):
        teacher = Client()
        launch_id = _picker(teacher, lms)
        response = teacher.post("/lti/deep-link/respond/", {
            "launch_id": launch_id, "kind": "live", "topic": "serialization", "count": 5,
            "days": 14})
        assert response.status_code == expected and message in response.content.decode()
    assert LiveGame.objects.count() == Placement.objects.count() == 1


def test_it_refuses_to_place_a_game_the_instructor_does_not_host_or_that_finished(
        lms, registration, small_bank, world):
    teacher = Client()
    launch_id = _picker(teacher, lms)
    others = live.game_create(host=world["instructor"], spec=live.GameSpec(count=3))
    finished = live.game_create(host=_teacher(registration),
                                spec=live.GameSpec(count=3))
    live.game_end(game=finished)
    for game in (others, finished):
        response = teacher.post("/lti/deep-link/respond/", {
            "launch_id": launch_id, "kind": "live", "game": str(game.public_id), "count": 5,
            "days": 14})
        assert response.status_code == 400
        assert "unfinished live games you host" in response.content.decode()
    assert not Placement.objects.exists()


# --- launches ---------------------------------------------------------------------------------

def test_it_seats_a_learner_in_the_game_as_themselves(lms, live_placement):
    browser = _learner_joins(lms, live_placement, "student-1", name="Grace")
    game = live_placement.live_game
    seat = LivePlayer.objects.get(game=game)
    assert seat.nickname == "Grace" and seat.user.lti_identities.get().sub == "student-1"
    assert seat.user in [m.user for m in live_placement.course.cohort.memberships.all()]
    link = LaunchedSeat.objects.get()
    assert (link.player, link.placement, link.sub) == (seat, live_placement, "student-1")
    page = browser.get(f"/live/{game.public_id}/play/")
    assert page.status_code == 200 and "Grace" in page.content.decode()
    # A second launch comes back to the same seat.
    _learner_joins(lms, live_placement, "student-1", name="Grace")
    assert LivePlayer.objects.filter(game=game).count() == 1
    assert LaunchedSeat.objects.count() == 1


def test_it_falls_back_to_the_user_name_when_the_lms_name_is_taken(lms, live_placement):
    live.game_join(pin=live_placement.live_game.pin, nickname="Grace")
    _learner_joins(lms, live_placement, "student-1", name="Grace")
    seat = LivePlayer.objects.get(user__isnull=False)
    assert seat.nickname == seat.user.username[:20]


def test_it_lands_the_host_on_the_host_page(lms, live_placement):
    browser = Client()
    opened = _launch(browser, lms, live_placement, user_id="teacher-1", roles=INSTRUCTOR)
    game = live_placement.live_game
    assert opened.status_code == 302 and opened["Location"] == f"/live/{game.public_id}/host/"
    assert browser.get(opened["Location"]).status_code == 200
    assert not LivePlayer.objects.exists()  # the host does not take a seat


def test_it_refuses_an_instructor_who_does_not_host_the_game(lms, live_placement):
    browser = Client()
    refused = _launch(browser, lms, live_placement, user_id="teacher-9", roles=INSTRUCTOR)
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "hosted by another instructor" in page and live_placement.token in page
    # Still an instructor of the course: the grades page is theirs to see.
    assert browser.get(f"/lti/results/{live_placement.token}/").status_code == 200
    assert browser.get(f"/live/{live_placement.live_game.public_id}/host/").status_code == 404


def test_it_refuses_a_learner_when_the_lobby_is_locked(lms, live_placement):
    live.game_lock(game=live_placement.live_game, locked=True)
    refused = _launch(Client(), lms, live_placement, user_id="student-1", roles=LEARNER)
    assert refused.status_code == 409 and "locked this game" in refused.content.decode()
    assert not LivePlayer.objects.exists() and not LaunchedSeat.objects.exists()


def test_it_lets_a_seated_learner_back_into_a_locked_game(lms, live_placement):
    _learner_joins(lms, live_placement, "student-1")
    live.game_lock(game=live_placement.live_game, locked=True)
    _learner_joins(lms, live_placement, "student-1")
    assert LivePlayer.objects.count() == 1


def test_it_refuses_a_learner_when_the_game_has_finished(lms, live_placement):
    live.game_end(game=live_placement.live_game)
    refused = _launch(Client(), lms, live_placement, user_id="student-1", roles=LEARNER)
    assert refused.status_code == 409 and "has finished" in refused.content.decode()
    assert not LivePlayer.objects.exists()


# --- grades -------------------------------------------------------------------------------------

def _play_and_finish(placement, right: dict[str, bool]) -> LiveGame:
    """Start, have each named seat answer question 1 (right or wrong), end the game."""
    game = placement.live_game
    live.game_start(game=game)
    for player in LivePlayer.objects.filter(game=game):
        if player.nickname in right:
            outcome = live.game_answer(game=game, player=player, number=1,
                                       keys=keys_for(str(game.public_id), 1,
                                                     correct=right[player.nickname]))
            assert outcome.kind == "accepted"
    return live.game_end(game=game)


def test_it_sends_each_launched_learners_score_once_when_the_game_finishes(
        lms, live_placement):
    _learner_joins(lms, live_placement, "student-1", name="Grace")
    _learner_joins(lms, live_placement, "student-2", name="Alan")
    live.game_join(pin=live_placement.live_game.pin, nickname="Visitor")  # not from the LMS
    game = _play_and_finish(live_placement, {"Grace": True, "Alan": False, "Visitor": True})
    rows = {r.sub: r for r in ScoreSend.objects.all()}
    assert set(rows) == {"student-1", "student-2"}
    assert [(rows[s].score_given, rows[s].score_maximum) for s in ("student-1", "student-2")] \
        == [(1, game.question_count), (0, game.question_count)]
    assert all(r.live_player.game == game and r.attempt is None for r in rows.values())

    # Finishing again (end twice, next after the end, the listener called again) adds nothing.
    live.game_end(game=game)
    live.game_next(game=game, number=game.current_number)
    score_on_game_finished(game)
    assert ScoreSend.objects.count() == 2
    messages = OutboxMessage.objects.filter(task="lti.send_score")
    assert messages.count() == 2
    for message in messages:
        assert outbox_deliver(message_id=message.pk)
    sent = sorted((s["userId"], s["scoreGiven"], s["scoreMaximum"]) for s in lms.scores["1"])
    assert sent == [("student-1", 1, game.question_count), ("student-2", 0, game.question_count)]
    assert all(s["timestamp"] == game.finished_at.isoformat() for s in lms.scores["1"])
    assert set(ScoreSend.objects.values_list("status", flat=True)) == {ScoreSend.Status.SENT}


def test_it_lists_the_live_grades_for_the_courses_instructors(lms, live_placement, world):
    _learner_joins(lms, live_placement, "student-1", name="Grace")
    _play_and_finish(live_placement, {"Grace": True})
    lms.down = True
    message = OutboxMessage.objects.get(task="lti.send_score")
    with pytest.raises(Exception, match="503"):
        outbox_deliver(message_id=message.pk)
    teacher = Client()
    teacher.force_login(live_placement.created_by)
    page = teacher.get(f"/lti/results/{live_placement.token}/").content.decode()
    assert "Players launched from the LMS" in page and "Grace: 1 right" in page
    assert f"1 / {live_placement.live_game.question_count}" in page and "Retrying" in page
    outsider = Client()
    outsider.force_login(world["instructor"])
    assert outsider.get(f"/lti/results/{live_placement.token}/").status_code == 404


def test_it_sends_nothing_for_a_launch_without_a_line_item(lms, live_placement):
    browser = Client()
    _launch(browser, lms, live_placement, user_id="student-1", roles=LEARNER, lineitem=None)
    assert LaunchedSeat.objects.get().lineitem_url == ""
    _play_and_finish(live_placement, {})
    assert not ScoreSend.objects.exists()
    assert not re.search("lti.send_score", str(list(OutboxMessage.objects.values("task"))))


def test_it_runs_a_live_game_from_the_picker_to_the_gradebook(lms, small_bank):
    from tests.lti.conftest import lti_launch
    from tests.lti.platform import LINEITEMS

    teacher = Client()
    launch_id = _picker(teacher, lms)
    returned = teacher.post("/lti/deep-link/respond/", {
        "launch_id": launch_id, "kind": "live", "topic": "serialization", "count": 5,
        "days": 14})
    [item] = _returned_items(lms, returned)
    learner = Client()
    opened = lti_launch(learner, lms, user_id="student-1", roles=LEARNER, name="Grace",
                        custom=item["custom"], lineitem=f"{LINEITEMS}/42")
    assert learner.get(opened["Location"]).status_code == 200
    hosting = lti_launch(teacher, lms, user_id="teacher-1", roles=INSTRUCTOR,
                         custom=item["custom"])
    game = LiveGame.objects.get()
    assert hosting["Location"] == f"/live/{game.public_id}/host/"
    assert teacher.post(f"/live/{game.public_id}/host/start/").status_code == 302
    answered = learner.post(f"/live/{game.public_id}/play/answer/", {
        "number": 1, "choice": keys_for(str(game.public_id), 1)})
    assert answered.status_code == 302
    teacher.post(f"/live/{game.public_id}/host/end/")
    game.refresh_from_db()
    assert game.state == LiveGame.State.FINISHED
    outbox_deliver(message_id=OutboxMessage.objects.get(task="lti.send_score").pk)
    [score] = lms.scores["42"]
    assert (score["userId"], score["scoreGiven"], score["scoreMaximum"]) == (
        "student-1", 1, item["lineItem"]["scoreMaximum"])
    page = teacher.get(f"/lti/results/{Placement.objects.get().token}/").content.decode()
    assert "Grace: 1 right" in page and "Sent" in page
