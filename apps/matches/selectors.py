"""Reads for matches, and the one place that decides what a player may see: the key of a round
only once that round is closed; the opponent's answer only as "answered" until then."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from apps.core.markdown import render_markdown
from apps.matches import ratings
from apps.matches.models import Match, MatchPlayer, Rating, RatingChange, Round


def get_match_for_player(user, public_id) -> Match:
    """The match if `user` plays in it; 404 for everyone else (and for anonymous visitors)."""
    if user is None or not user.is_authenticated:
        raise Http404("No such match.")
    try:
        return Match.objects.get(public_id=public_id, players__user=user)
    except (Match.DoesNotExist, ValueError, TypeError):
        raise Http404("No such match.") from None


def _choices(rnd: Round) -> list[tuple[str, Any]]:
    by_position = {c.position: c for c in rnd.version.choices.all()}
    return [(k, by_position[p]) for k, p in zip(rnd.choice_keys, rnd.choice_order, strict=True)]


def _remaining_ms(moment) -> int:
    if moment is None:
        return 0
    return max(0, int((moment - timezone.now()).total_seconds() * 1000))


def round_public(rnd: Round) -> dict[str, Any]:
    v = rnd.version
    return {
        "number": rnd.number, "state": rnd.state, "multiplier": rnd.multiplier,
        "type": v.type, "difficulty": v.difficulty, "stem": v.stem,
        "stem_html": render_markdown(v.stem),
        "artifact": {"kind": v.artifact_kind, "content": v.artifact_content}
        if v.artifact_kind else None,
        "choices": [{"key": k, "text": c.text} for k, c in _choices(rnd)],
        "remaining_ms": _remaining_ms(rnd.deadline) if rnd.state == Round.State.OPEN else 0,
    }


def round_result(rnd: Round, me: MatchPlayer) -> dict[str, Any]:
    if rnd.state != Round.State.CLOSED:
        raise ValueError("the key of an open round must not be shown")
    answers = {a.player_id: a for a in rnd.answers.all()}
    choices = _choices(rnd)

    def keys_for(answer):
        picked = set(answer.picked) if answer else set()
        return [k for k, c in choices if c.position in picked]

    mine = answers.get(me.pk)
    theirs = next((a for pid, a in answers.items() if pid != me.pk), None)
    return {
        "number": rnd.number, "multiplier": rnd.multiplier,
        "correct": [k for k, c in choices if c.is_correct],
        "choices": [{"key": k, "text": c.text, "correct": c.is_correct} for k, c in choices],
        "your_pick": keys_for(mine), "your_points": mine.points if mine else 0,
        "your_correct": bool(mine and mine.is_correct),
        "opponent_pick": keys_for(theirs), "opponent_points": theirs.points if theirs else 0,
        "opponent_correct": bool(theirs and theirs.is_correct),
        "explanation": rnd.version.explanation,
        "explanation_html": render_markdown(rnd.version.explanation),
    }


def match_state(match: Match, user) -> dict[str, Any]:
    """The whole state of a match as `user` may see it."""
    match = (Match.objects.select_related("winner", "topic").get(pk=match.pk))
    players = list(match.players.select_related("user"))
    me = next(p for p in players if p.user_id == user.pk)
    other = next((p for p in players if p.pk != me.pk), None)
    rounds = list(match.rounds.select_related("version").prefetch_related(
        "version__choices", "answers"))
    current = next((r for r in rounds if r.number == match.current_round), None)
    answered_ids = {a.player_id for a in current.answers.all()} if current else set()
    from apps.matches.services import opponent_absent, scaled

    next_in = 0
    if current and current.state == Round.State.CLOSED and match.state == Match.State.ACTIVE:
        from django.conf import settings

        next_in = _remaining_ms(current.closed_at + scaled(settings.MATCH_PAUSE_SECONDS))
    change = None
    if match.ranked and match.state == Match.State.FINISHED:
        row = RatingChange.objects.filter(match=match, user=user).first()
        if row:
            change = {"before": row.display_before, "after": row.display_after}
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
            **round_public(current),
            "you_answered": me.pk in answered_ids,
            "result": round_result(current, me) if current.state == Round.State.CLOSED else None,
        },
        "next_round_in_ms": next_in,
        "history": [round_result(r, me) for r in rounds if r.state == Round.State.CLOSED],
        "winner": match.winner.username if match.winner else None,
        "you_won": match.winner_id == user.pk if match.state == Match.State.FINISHED else None,
        "rating_change": change,
        "can_claim": (match.state == Match.State.ACTIVE and other is not None
                      and opponent_absent(match, me)),
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
