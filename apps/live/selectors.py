"""Reads for live games, and what each client may see: the room's view (the projector and every
phone) and each player's own line. Keys, distributions and explanations appear only once the
question is closed (apps.play.present decides what a question shows at each stage)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from apps.live.models import TEAM_NAMES, LiveAnswer, LiveGame, LivePlayer, LiveQuestion
from apps.play.cards import card
from apps.play.present import counts, is_correct, question_closed, question_open

LOBBY_SHOWN = 200  # nicknames listed on the projector; the count says the rest
TOP = 5
VIEW_SECONDS = 120  # how long a version's shared view is kept (a later version replaces it)


def get_game_for_host(user, public_id) -> LiveGame:
    """The game if `user` hosts it; 404 for everyone else."""
    if user is None or not user.is_authenticated:
        raise Http404("No such game.")
    try:
        return LiveGame.objects.get(public_id=public_id, host=user)
    except (LiveGame.DoesNotExist, ValueError, TypeError):
        raise Http404("No such game.") from None


def unfinished_games_of(user, limit: int = 50) -> list[LiveGame]:
    """The games `user` hosts that have not finished, newest first."""
    if user is None or not user.is_authenticated:
        return []
    return list(LiveGame.objects.filter(host=user).exclude(state=LiveGame.State.FINISHED)
                .order_by("-created_at")[:limit])


def get_game(public_id) -> LiveGame:
    try:
        return LiveGame.objects.get(public_id=public_id)
    except (LiveGame.DoesNotExist, ValueError, TypeError):
        raise Http404("No such game.") from None


def team_name(player: LivePlayer) -> str | None:
    return TEAM_NAMES[player.team] if player.team is not None else None


def _teams(game: LiveGame, ranking: list[LivePlayer]) -> list[dict[str, Any]]:
    """Team standings: a team's score is the mean of its members' (a bigger team has no edge)."""
    if not game.team_count:
        return []
    members: dict[int, list[int]] = {t: [] for t in range(game.team_count)}
    for p in ranking:
        if p.team is not None:
            members.setdefault(p.team, []).append(p.score)
    teams = [{"team": t, "name": TEAM_NAMES[t], "members": len(scores),
              "score": round(sum(scores) / len(scores)) if scores else 0}
             for t, scores in members.items()]
    return sorted(teams, key=lambda t: (-t["score"], t["team"]))


def _ranking(game: LiveGame) -> list[LivePlayer]:
    return list(game.players.filter(removed=False).order_by("-score", "joined_at"))


def _shared(game: LiveGame) -> dict[str, Any]:
    """What everyone sees at this version of the game, computed once per version and kept in
    the cache (shared by every process): a version never changes meaning, so a room of hundreds
    polling after a change costs one computation, not one per phone. The deal of the current
    question rides along under "_deal" for the players' own lines; it never leaves the server."""
    key = f"live:view:{game.pk}:{game.version}"
    shared = cache.get(key)
    if shared is not None:
        return shared
    ranking = _ranking(game)
    shared = {
        "id": str(game.public_id), "pin": game.pin, "state": game.state,
        "version": game.version, "number": game.current_number, "count": game.question_count,
        "scoring": game.scoring, "seconds_per_question": game.seconds_per_question,
        "paused": game.is_paused, "locked": game.lobby_locked, "players": len(ranking),
        "lobby": [p.nickname for p in ranking[:LOBBY_SHOWN]]
        if game.state == LiveGame.State.LOBBY else [],
        "question": None, "reveal": None,
        "top": [{"nickname": p.nickname, "score": p.score, "team": team_name(p),
                 "moved": (p.rank_before - p.rank_now) if p.rank_before and p.rank_now else 0}
                for p in ranking[:TOP]],
        "teams": _teams(game, ranking),
        "_deal": None, "_version_id": None, "_deadline": None,
    }
    question = game.questions.filter(number=game.current_number).first() \
        if game.current_number else None
    if question is not None:
        the_card = card(question.version_id)
        shared["_deal"], shared["_version_id"] = question.deal, question.version_id
        shared["_deadline"] = question.deadline
        shared["question"] = {"number": question.number, "state": question.state,
                              **question_open(the_card, question.deal)}
        if question.state == LiveQuestion.State.CLOSED:
            answers = list(question.answers.filter(player__removed=False)
                           .values_list("picked", flat=True))
            closed = question_closed(the_card, question.deal)
            picks = counts(the_card.type, answers)  # an ordering step: placed right
            shared["reveal"] = {
                "type": the_card.type,
                "correct": closed["correct"],
                "distribution": [{"key": key, "count": picks[position]}
                                 for key, position in zip(question.deal.keys,
                                                          question.deal.order, strict=True)],
                # Ordering: the right order, each step with how many put it in its place.
                "order": [{**step, "in_place": picks[step["place"] - 1]}
                          for step in closed.get("order", ())],
                "all_right": sum(1 for picked in answers
                                 if is_correct(the_card, picked)),
                "explanation_html": closed["explanation_html"],
                "atlas": closed["atlas"],
                "answered": len(answers),
            }
    cache.set(key, shared, VIEW_SECONDS)
    return shared


def _public(game: LiveGame, shared: dict[str, Any]) -> dict[str, Any]:
    view = {k: v for k, v in shared.items() if not k.startswith("_")}
    if view["question"] is not None:
        remaining = 0
        if view["question"]["state"] == LiveQuestion.State.OPEN:
            remaining = game.paused_remaining_ms if game.is_paused else max(0, int((
                shared["_deadline"] - timezone.now()).total_seconds() * 1000))
        view["question"] = {**view["question"], "remaining_ms": remaining}
    return view


def answers_in(game: LiveGame) -> int:
    """How many have answered the open question (the projector's counter; answers do not move
    the version, so the phones are not sent a new view for each one)."""
    return LiveAnswer.objects.filter(question__game=game, question__number=game.current_number,
                                     player__removed=False).count()


def room_view(game: LiveGame) -> dict[str, Any]:
    """What the whole room may see now: the same for the projector and every phone."""
    view = _public(game, _shared(game))
    if view["question"] is not None:
        view["question"]["answers_in"] = answers_in(game)
    return view


def _line(player: LivePlayer, rank: int | None, answer: LiveAnswer | None,
          shared: dict[str, Any]) -> dict[str, Any]:
    """One player's own line: score, rank, streak, whether they answered the current question
    and, once it is closed, their result (their picks, the key, their points, the misconception
    of a wrong choice they picked)."""
    mine: dict[str, Any] = {"nickname": player.nickname, "score": player.score,
                            "streak": player.streak, "rank": rank, "team": team_name(player),
                            "answered": answer is not None, "result": None}
    question = shared["question"]
    if question is not None and question["state"] == LiveQuestion.State.CLOSED:
        closed = question_closed(card(shared["_version_id"]), shared["_deal"],
                                 answer.picked if answer else ())
        mine["result"] = {"type": closed["type"], "your_order": closed.get("your_order", []),
                          "picked": closed["picked"], "correct": closed["correct"],
                          "is_correct": bool(answer and answer.is_correct),
                          "points": answer.points if answer else 0,
                          "timed_out": answer is None,
                          "choices": closed["choices"]}
    return mine


def player_view(game: LiveGame, player: LivePlayer) -> dict[str, Any]:
    """The room's view plus this player's own line (score, rank, their answer and, once the
    question is closed, whether it was right): the shared part from the cache, then two or three
    small reads of their own."""
    shared = _shared(game)
    view = _public(game, shared)
    view.pop("lobby")
    me = LivePlayer.objects.get(pk=player.pk)
    rank = None
    if not me.removed:
        rank = 1 + game.players.filter(removed=False).filter(
            Q(score__gt=me.score) | Q(score=me.score, joined_at__lt=me.joined_at)).count()
    answer = None
    if view["question"] is not None:
        answer = LiveAnswer.objects.filter(question__game=game, question__number=view[
            "question"]["number"], player=player).first()
    view["me"] = _line(me, rank, answer, shared)
    return view


def push_payload(game: LiveGame) -> dict[str, Any]:
    """What a push of this version sends, computed once per version and kept in the cache for
    every process: the room's view (JSON, and the phones' board rendered once as HTML without
    anyone's own line), the clock, and every player's own line. A socket then adds only the
    remaining time and picks its own line: no database read and no render per socket."""
    key = f"live:push:{game.pk}:{game.version}"
    payload = cache.get(key)
    if payload is not None:
        return payload
    from django.template.loader import render_to_string

    shared = _shared(game)
    view = _public(game, shared)
    view.pop("lobby")
    number = view["question"]["number"] if view["question"] else None
    answers = {a.player_id: a for a in LiveAnswer.objects.filter(
        question__game=game, question__number=number)} if number else {}
    lines = {p.pk: _line(p, rank, answers.get(p.pk), shared) for rank, p in enumerate(
        game.players.filter(removed=False).order_by("-score", "joined_at"), start=1)}
    deadline = shared["_deadline"]
    payload = {
        "version": game.version, "view": view, "lines": lines,
        "deadline": deadline.timestamp() if deadline and view["state"] == "question"
        and not game.is_paused else None,
        "html": render_to_string("live/play.html#board", {
            "game": game, "view": {**view, "me": None}}),
    }
    cache.set(key, payload, VIEW_SECONDS)
    return payload


def remaining_ms(payload: dict[str, Any], now: float) -> int | None:
    """The open question's time left at `now` (epoch seconds), from a push payload."""
    question = payload["view"]["question"]
    if question is None or payload["view"]["state"] != "question":
        return None
    if payload["deadline"] is None:
        return question["remaining_ms"]  # paused: frozen
    return max(0, int((payload["deadline"] - now) * 1000))


def game_report(game: LiveGame) -> dict[str, Any]:
    """After (or during) the game, for the host: per player and per question."""
    players = list(game.players.order_by("-score", "joined_at"))
    answers = list(LiveAnswer.objects.filter(question__game=game).select_related("question"))
    by_player: dict[int, list[LiveAnswer]] = {}
    by_question: dict[int, list[LiveAnswer]] = {}
    for a in answers:
        by_player.setdefault(a.player_id, []).append(a)
        by_question.setdefault(a.question.number, []).append(a)
    counted = [p for p in players if not p.removed]
    rows = []
    for p in players:
        mine = by_player.get(p.pk, [])
        rows.append({"nickname": p.nickname, "team": team_name(p),
                     "signed_in": p.user_id is not None,
                     "removed": p.removed, "score": p.score,
                     "correct": sum(a.is_correct for a in mine), "answered": len(mine),
                     "mean_seconds": round(sum(a.elapsed_ms for a in mine) / len(mine) / 1000, 1)
                     if mine else None})
    questions = []
    for q in game.questions.all():
        the_card = card(q.version_id)
        mine = [a for a in by_question.get(q.number, []) if a.player_id in
                {p.pk for p in counted}]
        picks = counts(the_card.type, (a.picked for a in mine))  # ordering: placed right
        misconceptions = [{"choice": c.text, "misconception": c.misconception,
                           "picked": picks[c.position]}
                          for c in the_card.choices if not c.is_correct and picks[c.position]]
        questions.append({
            "number": q.number, "state": q.state, "stem": the_card.stem,
            "type": the_card.type,
            "answered": len(mine),
            "facility": round(100 * sum(a.is_correct for a in mine) / len(mine))
            if mine else None,
            "distribution": [{"choice": c.text, "correct": c.is_correct,
                              "count": picks[c.position]} for c in the_card.choices],
            "misconceptions": sorted(misconceptions, key=lambda m: -m["picked"]),
        } if q.state == LiveQuestion.State.CLOSED else {
            "number": q.number, "state": q.state, "answered": len(mine)})
    return {"id": str(game.public_id), "pin": game.pin, "state": game.state,
            "focus": game.focus_label, "teams": _teams(game, counted),
            "question_ids": list(game.questions.values_list("version__question__slug",
                                                            flat=True)),
            "players": rows, "questions": questions}


def questions_in_unfinished_games(*, user, session_attempt_ids=()) -> set[int]:
    """apps.core.holds provider: the questions of unfinished games the learner sits in."""
    if user is None:
        return set()
    return set(LiveQuestion.objects.filter(
        game__players__user=user, game__players__removed=False,
    ).exclude(game__state=LiveGame.State.FINISHED).values_list("version__question_id",
                                                                flat=True))
