"""Reads for matches, and the one place that decides what a player may see: the key of a round
only once that round is closed; the opponent's answer only as "answered" until then."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from apps.core.compiled import CompiledQuery
from apps.core.holds import questions_in_play
from apps.matches import ratings
from apps.matches.models import Match, MatchPlayer, Rating, RatingChange, Round, RoundAnswer
from apps.play.cards import cards
from apps.play.deal import picks_kind


def get_match_for_player(user, public_id) -> Match:
    """The match if `user` plays in it; 404 for everyone else (and for anonymous visitors)."""
    if user is None or not user.is_authenticated:
        raise Http404("No such match.")
    try:
        return Match.objects.get(public_id=public_id, players__user=user)
    except (Match.DoesNotExist, ValueError, TypeError):
        raise Http404("No such match.") from None


@dataclass(frozen=True)
class _Question:
    """What a round asks, in the order this match shows its choices. Fixed once the match has
    started (rounds never change question or order, versions are immutable), so it is built once
    per match and process from the question cards (apps.play.cards) rather than on every push."""
    question_id: int
    multiplier: int
    type: str
    difficulty: int
    stem: str
    stem_html: str
    artifact: dict | None
    explanation: str
    explanation_html: str
    choices: tuple  # ((key, text, is_correct, position), ...)
    picks: str = "one"  # apps.play.deal.picks_kind


_QUESTIONS: OrderedDict[Any, dict[int, _Question]] = OrderedDict()
_QUESTIONS_LOCK = threading.Lock()
_QUESTIONS_KEPT = 512  # matches whose questions this process remembers


def _questions(match: Match) -> dict[int, _Question]:
    key = match.public_id  # random, never reused (a row id can be, after a rollback)
    with _QUESTIONS_LOCK:
        if key in _QUESTIONS:
            _QUESTIONS.move_to_end(key)
            return _QUESTIONS[key]
    rounds = list(Round.objects.filter(match_id=match.pk).values_list(
        "number", "version_id", "multiplier", "choice_order", "choice_keys"))
    the_cards = cards(version_id for _, version_id, _, _, _ in rounds)
    questions = {}
    for number, version_id, multiplier, order, keys in rounds:
        c = the_cards[version_id]
        questions[number] = _Question(
            question_id=c.question_id, multiplier=multiplier, type=c.type,
            difficulty=c.difficulty, stem=c.stem, stem_html=c.stem_html, artifact=c.artifact,
            explanation=c.explanation, explanation_html=c.explanation_html,
            choices=tuple((key, c.choice_at(p).text, c.choice_at(p).is_correct, p)
                          for key, p in zip(keys, order, strict=True)), picks=picks_kind(c))
    if questions:  # a waiting challenge has no rounds yet: nothing to remember
        with _QUESTIONS_LOCK:
            _QUESTIONS[key] = questions
            while len(_QUESTIONS) > _QUESTIONS_KEPT:
                _QUESTIONS.popitem(last=False)
    return questions


def _remaining_ms(moment) -> int:
    if moment is None:
        return 0
    return max(0, int((moment - timezone.now()).total_seconds() * 1000))


def _round_public(rnd: dict, q: _Question) -> dict[str, Any]:
    return {
        "number": rnd["number"], "state": rnd["state"], "multiplier": q.multiplier,
        "type": q.type, "difficulty": q.difficulty, "stem": q.stem, "stem_html": q.stem_html,
        "artifact": dict(q.artifact) if q.artifact else None,
        "picks": q.picks,
        "choices": [{"key": key, "text": text} for key, text, _, _ in q.choices],
        "remaining_ms": _remaining_ms(rnd["deadline"]) if rnd["state"] == Round.State.OPEN
        else 0,
    }


def _round_result(rnd: dict, q: _Question, answers: dict, me: MatchPlayer) -> dict[str, Any]:
    if rnd["state"] != Round.State.CLOSED:
        raise ValueError("the key of an open round must not be shown")

    def keys_for(answer):
        picked = set(answer["picked"]) if answer else set()
        return [key for key, _, _, position in q.choices if position in picked]

    mine = answers.get(me.pk)
    theirs = next((a for pid, a in answers.items() if pid != me.pk), None)
    mine_picked = set(mine["picked"]) if mine else set()
    extra: dict[str, Any] = {}
    if q.type == "ordering":  # the right order, and each player's (apps.play.present's shape)
        by_position = {position: (key, text) for key, text, _, position in q.choices}

        def order_of(answer):
            return [{"key": by_position[p][0], "text": by_position[p][1], "place": p + 1,
                     "in_place": i == p} for i, p in enumerate(answer["picked"] if answer else ())]

        extra = {"order": [{"key": by_position[p][0], "text": by_position[p][1], "place": p + 1}
                           for p in sorted(by_position)],
                 "your_order": order_of(mine), "opponent_order": order_of(theirs)}
    return {
        **extra,
        "number": rnd["number"], "multiplier": q.multiplier, "type": q.type,
        "correct": [key for key, _, correct, _ in q.choices if correct],
        "choices": [{"key": key, "text": text, "correct": correct,
                     "picked": position in mine_picked}
                    for key, text, correct, position in q.choices],
        "your_pick": keys_for(mine), "your_points": mine["points"] if mine else 0,
        "your_correct": bool(mine and mine["is_correct"]),
        "you_timed_out": mine is None,
        "opponent_pick": keys_for(theirs), "opponent_points": theirs["points"] if theirs else 0,
        "opponent_correct": bool(theirs and theirs["is_correct"]),
        "explanation": q.explanation, "explanation_html": q.explanation_html,
    }


@dataclass(frozen=True)
class _Snapshot:
    """Everything about a match at one version, for every player: each player's view is
    derived from it in Python. Read-only once built, so threads share it."""
    version: int
    taken: float
    match: Match
    players: tuple
    rounds: tuple
    answers: dict
    rating_changes: dict


_SNAPSHOTS: OrderedDict[Any, _Snapshot] = OrderedDict()
_SNAPSHOTS_LOCK = threading.Lock()
_SNAPSHOTS_KEPT = 1024
# A push for version v may reuse a snapshot of version >= v taken this recently. Only the
# opponent's HTTP "last seen" (which moves no version) can be older than this, and that only
# colours the "claim the win" button: the claim itself is checked afresh under the match lock.
SNAPSHOT_REUSE_SECONDS = 1.0


# The snapshot's reads run once per match version and process, for every push: their SQL is
# compiled once (apps.core.compiled; the marker only stands in for the match's id).
_MATCH_ID = 2_000_000_021
_SNAPSHOT_MATCH = CompiledQuery(
    lambda pk: Match.objects.select_related("winner", "rematch").filter(pk=pk), _MATCH_ID)
_SNAPSHOT_PLAYERS = CompiledQuery(
    lambda pk: MatchPlayer.objects.filter(match_id=pk).select_related("user"), _MATCH_ID)
_SNAPSHOT_ROUNDS = CompiledQuery(
    lambda pk: Round.objects.filter(match_id=pk).order_by("number").values(
        "id", "number", "state", "deadline", "closed_at"), _MATCH_ID)
_SNAPSHOT_ANSWERS = CompiledQuery(
    lambda pk: RoundAnswer.objects.filter(round__match_id=pk).values(
        "round_id", "player_id", "picked", "points", "is_correct"), _MATCH_ID)


def _load_snapshot(match: Match) -> _Snapshot:
    found = _SNAPSHOT_MATCH.fetch(match.pk)
    if not found:
        raise Match.DoesNotExist(f"match {match.pk} is gone")
    match = found[0]
    players = tuple(_SNAPSHOT_PLAYERS.fetch(match.pk))
    for player in players:
        player.match = match  # as the related manager would have set it
    rounds = tuple(_SNAPSHOT_ROUNDS.fetch(match.pk))
    answers: dict[int, dict[int, dict]] = {}
    if rounds:
        for a in _SNAPSHOT_ANSWERS.fetch(match.pk):
            answers.setdefault(a["round_id"], {})[a["player_id"]] = a
    changes = {}
    if match.ranked and match.state == Match.State.FINISHED:
        changes = {row.user_id: {"before": row.display_before, "after": row.display_after,
                                 "delta": row.display_after - row.display_before}
                   for row in RatingChange.objects.filter(match=match)}
    snap = _Snapshot(version=match.version, taken=time.monotonic(), match=match,
                     players=players, rounds=rounds, answers=answers, rating_changes=changes)
    with _SNAPSHOTS_LOCK:
        known = _SNAPSHOTS.get(match.public_id)
        if known is None or known.version <= snap.version:
            _SNAPSHOTS[match.public_id] = snap
            _SNAPSHOTS.move_to_end(match.public_id)
            while len(_SNAPSHOTS) > _SNAPSHOTS_KEPT:
                _SNAPSHOTS.popitem(last=False)
    return snap


# Both players' pushes for one version usually arrive together: the second waits for the
# first one's read instead of making its own (striped locks, so matches do not wait on each
# other more than by chance).
_LOADING = [threading.Lock() for _ in range(64)]


def _reusable(match: Match, version: int) -> _Snapshot | None:
    with _SNAPSHOTS_LOCK:
        known = _SNAPSHOTS.get(match.public_id)
    if known is not None and known.version >= version and \
            time.monotonic() - known.taken < SNAPSHOT_REUSE_SECONDS:
        return known
    return None


def _snapshot(match: Match, version: int | None) -> _Snapshot:
    if version is None:
        return _load_snapshot(match)
    known = _reusable(match, version)
    if known is None:
        with _LOADING[hash(match.public_id) % len(_LOADING)]:
            known = _reusable(match, version) or _load_snapshot(match)
    return known


def _rematch_view(match: Match, user) -> dict[str, Any] | None:
    """Where a rematch of this finished match stands for `user`: offered by them (waiting for
    the other), offered to them (accept it), or accepted (the new match is on)."""
    offer = match.rematch
    if offer is None or match.state != Match.State.FINISHED:
        return None
    if offer.state == Match.State.WAITING:
        mine = offer.created_by_id == user.pk
        return {"state": "offered_by_you" if mine else "offered_to_you",
                "code": offer.challenge_code if mine else None, "id": str(offer.public_id)}
    return {"state": "accepted", "code": None, "id": str(offer.public_id)}


def match_state(match: Match, user, version: int | None = None) -> dict[str, Any]:
    """The whole state of a match as `user` may see it. Every read loads it afresh (four light
    queries; the questions are remembered per match). A push for `version` reuses a snapshot at
    least that new from the last second: after an answer, the HTTP response, both players'
    pushes and any other tab of theirs come from one read of the database."""
    snap = _snapshot(match, version)
    match, players, rounds, answers = snap.match, snap.players, snap.rounds, snap.answers
    me = next(p for p in players if p.user_id == user.pk)
    other = next((p for p in players if p.pk != me.pk), None)
    questions = _questions(match) if rounds else {}
    current = next((r for r in rounds if r["number"] == match.current_round), None)
    answered_ids = set(answers.get(current["id"], {})) if current else set()
    from apps.matches.services import player_absent, scaled

    next_in = 0
    if current and current["state"] == Round.State.CLOSED and match.state == Match.State.ACTIVE:
        from django.conf import settings

        next_in = _remaining_ms(current["closed_at"] + scaled(settings.MATCH_PAUSE_SECONDS))
    change = snap.rating_changes.get(user.pk)

    # A finished match withholds the keys of questions the player has in play elsewhere (a
    # quiz or assignment started since); an unfinished one never shares a question with them.
    in_play = questions_in_play(user=user) if match.state == Match.State.FINISHED else set()

    def result(rnd):
        q, mine = questions[rnd["number"]], answers.get(rnd["id"], {})
        if q.question_id in in_play:
            return {"number": rnd["number"], "multiplier": q.multiplier, "withheld": True,
                    "your_points": mine.get(me.pk, {}).get("points", 0),
                    "opponent_points": next((a["points"] for pid, a in mine.items()
                                             if pid != me.pk), 0)}
        return _round_result(rnd, q, mine, me)

    return {
        "id": str(match.public_id), "kind": match.kind, "ranked": match.ranked,
        "state": match.state, "reason": match.reason, "version": match.version,
        "rounds_total": len(rounds), "challenge_code": match.challenge_code,
        "you": {"name": me.name, "score": me.score, "seat": me.seat},
        "opponent": None if other is None else {
            "name": other.name, "score": other.score, "is_bot": other.is_bot,
            "answered": other.pk in answered_ids,
            "present": other.is_bot or other.connections > 0,
        },
        "round": None if current is None else {
            **_round_public(current, questions[current["number"]]),
            "you_answered": me.pk in answered_ids,
            "result": result(current) if current["state"] == Round.State.CLOSED else None,
        },
        "next_round_in_ms": next_in,
        "history": [result(r) for r in rounds if r["state"] == Round.State.CLOSED],
        "winner": match.winner_name,
        "you_won": match.winner_id == user.pk if match.state == Match.State.FINISHED else None,
        "rating_change": dict(change) if change else None,
        "rematch": _rematch_view(match, user),
        "can_claim": (match.state == Match.State.ACTIVE and other is not None
                      and player_absent(match, other)),
    }


def rating_for(user) -> dict[str, Any]:
    rating = Rating.objects.filter(user=user).first()
    mu, games = (rating.mu, rating.games) if rating else (ratings.START_MU, 0)
    display = ratings.display(mu)
    rank = Rating.objects.filter(mu__gt=mu).count() + 1 if rating else None
    return {"rating": display, "games": games, "provisional": ratings.is_provisional(games),
            "rank": rank}


def match_history(user):
    return (Match.objects.filter(players__user=user).filter(~Q(state=Match.State.WAITING))
            .select_related("winner").prefetch_related("players__user")
            .order_by("-created_at")[:50])


def questions_in_unfinished_matches(*, user, session_attempt_ids=()) -> set[int]:
    """apps.core.holds provider: the questions of every match `user` is waiting for or playing."""
    if user is None:
        return set()
    return set(Round.objects.filter(
        match__players__user=user,
        match__state__in=[Match.State.WAITING, Match.State.ACTIVE],
    ).values_list("version__question_id", flat=True))


# --- Leaderboards (registered with apps.skills.boards in MatchesConfig.ready) -------------------

def rating_board(*, now, limit: int) -> list[dict[str, Any]]:
    """Head-to-head rating, all time: the rated players with the highest mu."""
    return [{"user": r.user, "value": ratings.display(r.mu)}
            for r in (Rating.objects.filter(games__gt=0)
                      .select_related("user__leaderboard_preference")
                      .order_by("-mu", "user_id")[:limit])]


def rating_week_board(*, now, limit: int) -> list[dict[str, Any]]:
    """Rating points gained since Monday 00:00 UTC."""
    from django.contrib.auth import get_user_model
    from django.db.models import F, Sum

    from apps.skills.selectors import week_start

    gains = list(RatingChange.objects.filter(created_at__gte=week_start(now))
                 .values("user").annotate(gain=Sum(F("display_after") - F("display_before")))
                 .order_by("-gain", "user")[:limit])
    users = get_user_model().objects.select_related("leaderboard_preference").in_bulk(
        [g["user"] for g in gains])
    return [{"user": users[g["user"]], "value": g["gain"]} for g in gains]
