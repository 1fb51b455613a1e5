"""Writes for head-to-head matches. The server owns the clock and the score.

Locking: a service that changes a match takes the match's row lock first (`select_for_update`
inside `atomic`) and only then touches its rounds, answers and players, so everything that
happens to one match happens one step at a time. Rating rows are locked in user-id order.

Transitions are idempotent. `match_advance()` does whatever is due (close an overdue round, open
the next one after the pause, finish the match) and nothing else, so the Celery countdown (late,
or delivered twice), the beat sweeper, the last answer, a client whose timer ran out and a plain
state read can all call it any number of times.

Pushes go out after commit (`_changed` registers them with `apps.core.aftercommit`) and carry the
match's version.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.bank.selectors import published_versions
from apps.core.aftercommit import after_commit
from apps.core.holds import questions_in_play
from apps.core.outbox import outbox_enqueue
from apps.core.tasks import enqueue
from apps.matches import bot, ratings
from apps.matches.models import (
    Match,
    MatchPlayer,
    QueueEntry,
    Rating,
    RatingChange,
    Round,
    RoundAnswer,
)
from apps.play.cards import card, cards
from apps.play.deal import Deal, PickError, deal_for, parse_pick
from apps.play.present import is_correct as pick_is_correct
from apps.play.scoring import speed_points
from apps.skills import tasks as skill_tasks
from apps.skills.services import AnswerFacts

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
RANKED_PAIR_DAILY_LIMIT = 3


class MatchError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class AnswerOutcome:
    kind: str  # accepted | repeat | conflict | late
    answer: RoundAnswer | None


def scaled(seconds: float) -> timedelta:
    return timedelta(seconds=seconds * settings.PLAY_TIME_SCALE)


def round_seconds() -> float:
    return settings.MATCH_ROUND_SECONDS * settings.PLAY_TIME_SCALE


def grace() -> timedelta:
    return scaled(min(settings.QUIZ_GRACE_SECONDS, 1.0))


def _changed(match: Match) -> None:
    """Bump the version and push the new state to both players once the transaction commits."""
    Match.objects.filter(pk=match.pk).update(version=F("version") + 1)
    match_id = match.pk
    # A push that fails (Redis down) must not fail the committed request; clients resync on
    # their next read or reconnect.
    after_commit(lambda: _push(match_id), what=f"push of match {match_id}")


def _push(match_id: int) -> None:
    from apps.matches.realtime import broadcast

    broadcast(match_id)


def _lock(match: Match | int) -> Match:
    pk = match.pk if isinstance(match, Match) else match
    return Match.objects.select_for_update().get(pk=pk)


# --- Creating and starting ---------------------------------------------------------------------


def _create_rounds(match: Match) -> None:
    """Draw the rounds, leaving out every question either player still has in play in a quiz
    (apps.core.holds): a round's reveal must not show the key of a question they have to play."""
    pool = published_versions(topic=match.topic.slug if match.topic else None)
    in_play: set[int] = set()
    for player in match.players.exclude(user=None).select_related("user"):
        in_play |= questions_in_play(user=player.user)
    ids = list(pool.exclude(question_id__in=in_play).values_list("id", flat=True))
    if not ids:
        raise MatchError("No published questions match this topic yet." if not in_play else
                         "Your questions on this topic are all in a quiz you have not finished "
                         "yet: finish it first.", status=409 if in_play else 400)
    chosen = secrets.SystemRandom().sample(ids, min(settings.MATCH_ROUNDS, len(ids)))
    from apps.bank.models import QuestionVersion

    versions = QuestionVersion.objects.in_bulk(chosen)
    rounds = []
    the_cards = cards(chosen)
    for number, vid in enumerate(chosen, start=1):
        deal = deal_for(the_cards[vid])
        rounds.append(Round(match=match, number=number, version=versions[vid],
                            choice_order=list(deal.order), choice_keys=list(deal.keys),
                            multiplier=2 if number == len(chosen) else 1))
    Round.objects.bulk_create(rounds)


def _start(match: Match, now: datetime) -> None:
    _create_rounds(match)
    Match.objects.filter(pk=match.pk).update(state=Match.State.ACTIVE, started_at=now)
    match.state = Match.State.ACTIVE
    _open_round(match, 1, now)


def _open_round(match: Match, number: int, now: datetime) -> None:
    opened = Round.objects.filter(match=match, number=number, state=Round.State.PENDING).update(
        state=Round.State.OPEN, opens_at=now, deadline=now + scaled(settings.MATCH_ROUND_SECONDS))
    if not opened:
        return
    Match.objects.filter(pk=match.pk).update(current_round=number)
    match.current_round = number
    _changed(match)
    # The countdown task may run late or twice; match_advance makes that harmless.
    enqueue(advance_task(), match.pk,
            countdown=round_seconds() + grace().total_seconds() + 0.05)
    if match.kind == Match.Kind.BOT:
        enqueue(bot_task(), match.pk, number,
                countdown=bot.answer_delay(match.bot_level or 1, round_seconds()))


def advance_task():
    from apps.matches.tasks import match_advance_task

    return match_advance_task


def bot_task():
    from apps.matches.tasks import bot_answer_task

    return bot_answer_task


def _in_active_match(user) -> Match | None:
    return (Match.objects.filter(state__in=[Match.State.ACTIVE], players__user=user)
            .order_by("-created_at").first())


def _create(*, kind: str, users: list, topic=None, ranked=False, bot_level=None,
            created_by=None) -> Match:
    match = Match.objects.create(kind=kind, ranked=ranked, topic=topic, bot_level=bot_level,
                                 created_by=created_by, state=Match.State.WAITING)
    for seat, user in enumerate(users):
        MatchPlayer.objects.create(match=match, seat=seat, user=user)
    if kind == Match.Kind.BOT:
        MatchPlayer.objects.create(match=match, seat=1, is_bot=True)
    return match


def bot_match_create(*, user, level: int, topic=None) -> Match:
    """A practice match against the bot. Never ranked."""
    if level not in bot.LEVELS:
        raise MatchError("The bot's level is 1 to 5.")
    with transaction.atomic():
        if _in_active_match(user):
            raise MatchError("Finish your current match first.", status=409)
        match = _create(kind=Match.Kind.BOT, users=[user], topic=topic, bot_level=level,
                        created_by=user)
        _start(match, timezone.now())
    return match


# --- Challenges -------------------------------------------------------------------------------


def challenge_create(*, user, ranked: bool = False, topic=None) -> Match:
    with transaction.atomic():
        for _ in range(10):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
            if not Match.objects.filter(challenge_code=code).exists():
                break
        match = Match.objects.create(kind=Match.Kind.CHALLENGE, state=Match.State.WAITING,
                                     challenge_code=code, created_by=user, topic=topic)
        MatchPlayer.objects.create(match=match, seat=0, user=user, wants_ranked=ranked)
    return match


def rematch_request(*, match: Match, user) -> Match:
    """A player of a finished match asks for a rematch. The first ask offers one (an unranked
    challenge on the same topic, shown on the other player's end screen); the other player's
    ask accepts it and starts the new match: both agree. Asking again returns the same offer."""
    with transaction.atomic():
        locked = (Match.objects.select_for_update(of=("self",)).select_related("rematch")
                  .get(pk=match.pk))
        if locked.state != Match.State.FINISHED:
            raise MatchError("A rematch can be asked for once this match is over.", status=409)
        offer = locked.rematch
        if offer is not None and offer.state == Match.State.WAITING:
            if offer.created_by_id == user.pk:
                return offer
            accepted = challenge_accept(code=offer.challenge_code, user=user)
            _changed(locked)  # both end screens now lead to the new match
            return accepted
        if offer is not None and offer.players.filter(user=user).exists():
            return offer  # already agreed: the rematch is on (or over)
        new = challenge_create(user=user, ranked=False, topic=locked.topic)
        Match.objects.filter(pk=locked.pk).update(rematch=new)
        _changed(locked)
    return new


def _ranked_pair_count_today(a, b) -> int:
    start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)  # UTC day
    return (Match.objects.filter(ranked=True, created_at__gte=start, players__user=a)
            .filter(players__user=b).distinct().count())


def challenge_accept(*, code: str, user, ranked: bool = False) -> Match:
    """The friend joins; the match starts. Ranked only if both asked for it, and at most
    RANKED_PAIR_DAILY_LIMIT ranked games a day between the same two players."""
    with transaction.atomic():
        match = (Match.objects.select_for_update()
                 .filter(challenge_code=(code or "").strip().upper()).first())
        if match is None:
            raise MatchError("No challenge with that code.", status=404)
        if match.state != Match.State.WAITING:
            if match.players.filter(user=user).exists():
                return match  # a second click on "accept": already in
            raise MatchError("This challenge has already been taken.", status=409)
        creator = match.players.get(seat=0)
        if creator.user_id == user.pk:
            raise MatchError("Send the link to a friend: you cannot accept your own challenge.",
                             status=409)
        if _in_active_match(user) or _in_active_match(creator.user):
            raise MatchError("One of you is already in a match.", status=409)
        MatchPlayer.objects.create(match=match, seat=1, user=user, wants_ranked=ranked)
        is_ranked = (creator.wants_ranked and ranked and
                     _ranked_pair_count_today(creator.user, user) < RANKED_PAIR_DAILY_LIMIT)
        Match.objects.filter(pk=match.pk).update(ranked=is_ranked)
        match.ranked = is_ranked
        _start(match, timezone.now())
        _changed(match)
    return match


# --- Matchmaking ------------------------------------------------------------------------------


def _display_rating(user) -> tuple[int, int]:
    rating = Rating.objects.filter(user=user).first()
    if rating is None:
        return ratings.display(ratings.START_MU), 0
    return ratings.display(rating.mu), rating.abandons


def queue_join(*, user, topic=None) -> QueueEntry | Match:
    """Join the ranked queue (or return the match the player is already in) and run a wave."""
    with transaction.atomic():
        active = _in_active_match(user)
        if active:
            return active
        rating, abandons = _display_rating(user)
        entry, created = QueueEntry.objects.get_or_create(
            user=user, defaults={"rating": rating, "topic": topic, "abandons": abandons})
        if not created and entry.match_id is None and entry.topic_id != getattr(topic, "pk", None):
            entry.topic = topic
            entry.save(update_fields=["topic"])
    queue_wave()
    return queue_status(user=user)


def queue_leave(*, user) -> Match | None:
    with transaction.atomic():
        entry = QueueEntry.objects.select_for_update().filter(user=user).first()
        if entry is None:
            return None
        if entry.match_id:
            match = entry.match
            entry.delete()
            return match
        entry.delete()
    return None


def queue_status(*, user) -> QueueEntry | Match:
    """The match the player was paired into (consuming the queue entry), or their entry."""
    with transaction.atomic():
        entry = QueueEntry.objects.select_for_update().filter(user=user).first()
        if entry is None:
            active = _in_active_match(user)
            if active:
                return active
            raise MatchError("You are not in the queue.", status=404)
        if entry.match_id:
            match = entry.match
            entry.delete()
            return match
        return entry


def window(wait_seconds: float) -> float:
    """How far apart two ratings may be: 100 points at once, 25 more every (scaled) second."""
    return 100 + 25 * wait_seconds / max(settings.PLAY_TIME_SCALE, 0.001)


def queue_wave_due() -> list[Match]:
    """A wave if none ran in the last QUEUE_WAVE_INTERVAL seconds (shared through the cache, so
    across processes): players poll the queue often, and each poll used to run a whole wave."""
    interval = settings.QUEUE_WAVE_INTERVAL
    if interval > 0 and not cache.add("matches:queue-wave", 1, timeout=interval):
        return []
    return queue_wave()


def queue_wave() -> list[Match]:
    """Pair waiting players: closest ratings first, within a window that grows with waiting
    time; players who abandon often are paired with each other first. Rows taken by another
    wave are skipped (SKIP LOCKED), so waves on several processes never pair a player twice."""
    created = []
    with transaction.atomic():
        entries = list(QueueEntry.objects.select_for_update(skip_locked=True)
                       .filter(match=None).select_related("user").order_by("joined_at"))
        now = timezone.now()
        taken: set[int] = set()
        for entry in entries:
            if entry.pk in taken:
                continue
            wait = (now - entry.joined_at).total_seconds()
            candidates = [
                other for other in entries
                if other.pk != entry.pk and other.pk not in taken
                and other.topic_id == entry.topic_id
                and abs(other.rating - entry.rating) <= max(
                    window(wait), window((now - other.joined_at).total_seconds()))
            ]
            if not candidates:
                continue
            often_leaves = entry.abandons >= 3
            candidates.sort(key=lambda o: ((o.abandons >= 3) != often_leaves,
                                           abs(o.rating - entry.rating)))
            # The daily pair limit holds for the queue as for challenges: two accounts queueing
            # together must not farm ranked wins from each other.
            partner = next((o for o in candidates if _ranked_pair_count_today(
                entry.user, o.user) < RANKED_PAIR_DAILY_LIMIT), None)
            if partner is None:
                continue
            if _in_active_match(entry.user) or _in_active_match(partner.user):
                continue
            try:
                with transaction.atomic():  # a savepoint: one pair that cannot start
                    match = _create(kind=Match.Kind.RANKED, users=[entry.user, partner.user],
                                    topic=entry.topic, ranked=True)
                    _start(match, now)
            except MatchError:  # e.g. every question of the topic is in one's open quiz
                continue
            QueueEntry.objects.filter(pk__in=[entry.pk, partner.pk]).update(match=match)
            taken |= {entry.pk, partner.pk}
            created.append(match)
    return created


# --- Playing ----------------------------------------------------------------------------------


def _parse_pick(rnd: Round, keys) -> list[int]:
    try:
        return parse_pick(Deal.of(rnd.choice_order, rnd.choice_keys), keys,
                          card(rnd.version_id))
    except PickError as exc:
        raise MatchError(str(exc)) from None


def _record_answer(match: Match, rnd: Round, player: MatchPlayer, picked: list[int],
                   now: datetime, players: int | None = None, checked: bool = False
                   ) -> AnswerOutcome:
    """`checked`: the caller already looked for an earlier answer under the same lock;
    `players`: how many players the match has, if the caller knows."""
    if not checked:
        existing = RoundAnswer.objects.filter(round=rnd, player=player).first()
        if existing:
            return AnswerOutcome("repeat" if existing.picked == picked else "conflict",
                                 existing)
    is_correct = pick_is_correct(card(rnd.version_id), picked)
    elapsed = (now - rnd.opens_at).total_seconds()
    points = speed_points(elapsed=elapsed, limit=round_seconds()) * rnd.multiplier \
        if is_correct else 0
    try:
        with transaction.atomic():
            answer = RoundAnswer.objects.create(round=rnd, player=player, picked=picked,
                                                elapsed_ms=round(elapsed * 1000),
                                                is_correct=is_correct, points=points)
    except IntegrityError:  # the unique constraint, should the lock ever not hold
        existing = RoundAnswer.objects.get(round=rnd, player=player)
        return AnswerOutcome("repeat" if existing.picked == picked else "conflict", existing)
    _changed(match)  # the opponent sees "answered" (never what); skills learn at the close
    if rnd.answers.count() >= (players or match.players.count()):
        _close_round(match, rnd, now)
    return AnswerOutcome("accepted", answer)


def match_answer(*, match: Match, user, number: int, keys) -> AnswerOutcome:
    """A player's one answer to round `number`. Holds the match lock; the unique
    (round, player) constraint is the database's guarantee against a second answer."""
    with transaction.atomic():
        locked = _lock(match)
        now = timezone.now()
        players = list(locked.players.all())
        player = next((p for p in players if p.user_id == user.pk), None)
        if player is None:
            raise MatchError("No such match.", status=404)
        rnd = locked.rounds.select_related("version").filter(number=number).first()
        if rnd is None:
            raise MatchError(f"This match has no round {number}.", status=404)
        picked = _parse_pick(rnd, keys)
        existing = RoundAnswer.objects.filter(round=rnd, player=player).first()
        if existing:
            return AnswerOutcome("repeat" if existing.picked == picked else "conflict", existing)
        if rnd.state == Round.State.PENDING:
            raise MatchError("This round has not started yet.", status=409)
        if rnd.state == Round.State.CLOSED or now > rnd.deadline + grace():
            _advance(locked, now)
            return AnswerOutcome("late", None)
        return _record_answer(locked, rnd, player, picked, now, players=len(players),
                              checked=True)


def _close_round(match: Match, rnd: Round, now: datetime) -> None:
    closed = Round.objects.filter(pk=rnd.pk, state=Round.State.OPEN).update(
        state=Round.State.CLOSED, closed_at=now)
    if not closed:
        return
    answers = list(rnd.answers.select_related("player"))
    for answer in answers:
        MatchPlayer.objects.filter(pk=answer.player_id).update(score=F("score") + answer.points)
    _changed(match)
    _teach(rnd, answers, closed_at=now)  # the answers, and who let it time out
    if not match.rounds.filter(number__gt=rnd.number).exists():
        _finish(match, Match.Reason.COMPLETED, now)
    else:
        enqueue(advance_task(), match.pk,
                countdown=settings.MATCH_PAUSE_SECONDS * settings.PLAY_TIME_SCALE + 0.05)


def _teach(rnd: Round, answers: list[RoundAnswer], *, closed_at: datetime | None) -> None:
    """Hand a round's answers to skill tracking as data (one task per round), and once the round
    is closed (`closed_at`), the humans who let it time out. Bots never count."""
    limit_ms = round(round_seconds() * 1000)
    facts = [AnswerFacts(
        source_key=f"match:{rnd.pk}:{a.player_id}", user_id=a.player.user_id,
        version_id=rnd.version_id, is_correct=a.is_correct, timed_out=False,
        elapsed_ms=a.elapsed_ms, limit_ms=limit_ms, answered_at=a.created_at)
        for a in answers if not a.player.is_bot and a.player.user_id]
    if closed_at is not None:
        answered = {a.player_id for a in answers}
        facts += [AnswerFacts(
            source_key=f"match:{rnd.pk}:{p.pk}", user_id=p.user_id, version_id=rnd.version_id,
            is_correct=False, timed_out=True, elapsed_ms=None, limit_ms=0, answered_at=closed_at)
            for p in MatchPlayer.objects.filter(match_id=rnd.match_id, is_bot=False,
                                                user__isnull=False)
            if p.pk not in answered]
    if facts:
        outbox_enqueue(skill_tasks.record_answers_task, [f.as_data() for f in facts])


def _advance(match: Match, now: datetime) -> None:
    if match.state != Match.State.ACTIVE:
        return
    rnd = match.rounds.filter(number=match.current_round).first()
    if rnd is None:
        return
    if rnd.state == Round.State.OPEN:
        if now > rnd.deadline + grace() or rnd.answers.count() >= match.players.count():
            _close_round(match, rnd, now)
            rnd.refresh_from_db()
    if rnd.state == Round.State.CLOSED:
        nxt = match.rounds.filter(number=rnd.number + 1).first()
        if nxt is None:
            _finish(match, Match.Reason.COMPLETED, now)
        elif now >= rnd.closed_at + scaled(settings.MATCH_PAUSE_SECONDS):
            _open_round(match, nxt.number, now)


def match_advance(*, match_id: int) -> None:
    """Do whatever is due for this match. Safe to call any number of times from anywhere."""
    with transaction.atomic():
        try:
            locked = _lock(match_id)
        except Match.DoesNotExist:
            return
        _advance(locked, timezone.now())


def bot_answer(*, match_id: int, number: int) -> None:
    """The bot answers round `number` if it is still open. Idempotent."""
    import random

    with transaction.atomic():
        try:
            locked = _lock(match_id)
        except Match.DoesNotExist:
            return
        rnd = locked.rounds.select_related("version").filter(number=number).first()
        player = locked.players.filter(is_bot=True).first()
        now = timezone.now()
        if rnd is None or player is None or rnd.state != Round.State.OPEN or \
                now > rnd.deadline:
            return
        choices = list(rnd.version.choices.all())
        correct = sorted(c.position for c in choices if c.is_correct)
        rng = random.SystemRandom()
        if rng.random() < bot.correct_probability(locked.bot_level or 1, rnd.version.difficulty):
            picked = correct
        elif rnd.version.type == "ordering":  # two neighbouring steps the wrong way round
            picked = list(correct)
            i = rng.randrange(len(picked) - 1)
            picked[i], picked[i + 1] = picked[i + 1], picked[i]
        else:
            wrong = [c.position for c in choices if not c.is_correct]
            picked = [rng.choice(wrong)] if wrong else correct
        _record_answer(locked, rnd, player, picked, now)


# --- The end ----------------------------------------------------------------------------------


def _finish(match: Match, reason: str, now: datetime, winner_player: MatchPlayer | None = None
            ) -> None:
    finished = Match.objects.filter(pk=match.pk, state=Match.State.ACTIVE).update(
        state=Match.State.FINISHED, finished_at=now, reason=reason)
    if not finished:
        return
    unclosed = match.rounds.filter(number=match.current_round, state=Round.State.OPEN).first()
    if unclosed is not None:  # a claim mid-round: the answers already given still teach
        _teach(unclosed, list(unclosed.answers.select_related("player")), closed_at=None)
    players = list(match.players.select_related("user"))
    if winner_player is None and len(players) == 2 and players[0].score != players[1].score:
        winner_player = max(players, key=lambda p: p.score)
    if winner_player is not None and not winner_player.is_bot:
        Match.objects.filter(pk=match.pk).update(winner=winner_player.user)
    elif winner_player is not None:  # a win is a win: the bot's is recorded too
        Match.objects.filter(pk=match.pk).update(bot_won=True)
    if match.ranked:
        _rate(match, players, winner_player)
    _changed(match)


def _rate(match: Match, players: list[MatchPlayer], winner: MatchPlayer | None) -> None:
    humans = sorted((p for p in players if not p.is_bot), key=lambda p: p.user_id)
    if len(humans) != 2:
        return
    rows = []
    for p in humans:
        Rating.objects.get_or_create(user=p.user, defaults={"mu": ratings.START_MU,
                                                            "sigma": ratings.START_SIGMA})
    locked = {r.user_id: r for r in Rating.objects.select_for_update()
              .filter(user__in=[p.user for p in humans]).order_by("user_id")}
    a, b = (locked[humans[0].user_id], locked[humans[1].user_id])
    outcome = 0 if winner is None else (1 if winner.user_id == a.user_id else -1)
    (mu_a, s_a), (mu_b, s_b) = ratings.rate_pair((a.mu, a.sigma), (b.mu, b.sigma), outcome)
    for rating, mu, sigma in ((a, mu_a, s_a), (b, mu_b, s_b)):
        rows.append(RatingChange(match=match, user_id=rating.user_id, mu_before=rating.mu,
                                 sigma_before=rating.sigma, mu_after=mu, sigma_after=sigma,
                                 display_before=ratings.display(rating.mu),
                                 display_after=ratings.display(mu)))
    try:
        with transaction.atomic():
            RatingChange.objects.bulk_create(rows)
    except IntegrityError:
        return  # already rated: the unique (match, user) constraint keeps it exactly-once
    for rating, mu, sigma in ((a, mu_a, s_a), (b, mu_b, s_b)):
        Rating.objects.filter(pk=rating.pk).update(mu=mu, sigma=sigma, games=F("games") + 1)


def match_finish(*, match_id: int, reason: str = Match.Reason.COMPLETED) -> None:
    """Finish the match now (idempotent). Used by the sweeper for abandoned matches."""
    with transaction.atomic():
        locked = _lock(match_id)
        _finish(locked, reason, timezone.now())


# --- Presence and claims ----------------------------------------------------------------------


def player_seen(*, match: Match, user, connected: bool | None = None) -> None:
    """Record that a player is here (an HTTP read), or that a websocket opened or closed."""
    qs = MatchPlayer.objects.filter(match=match, user=user)
    if connected is None:
        qs.update(last_seen_at=timezone.now())
        return
    with transaction.atomic():
        if connected:
            changed = qs.update(last_seen_at=timezone.now(), connections=F("connections") + 1)
        else:
            changed = qs.filter(connections__gt=0).update(last_seen_at=timezone.now(),
                                                          connections=F("connections") - 1)
        if changed:
            _changed(match)  # the opponent's "present" flag changed


def opponent_absent(match: Match, player: MatchPlayer, now: datetime | None = None) -> bool:
    return player_absent(match, match.players.exclude(pk=player.pk).first(), now)


def player_absent(match: Match, other: MatchPlayer | None, now: datetime | None = None) -> bool:
    """Whether `other` (the opponent) has been gone long enough for a claim."""
    now = now or timezone.now()
    if other is None or other.is_bot or other.connections > 0:
        return False
    since = other.last_seen_at or match.started_at or match.created_at
    return now - since >= scaled(settings.MATCH_CLAIM_AFTER_SECONDS)


def match_claim(*, match: Match, user) -> Match:
    """Claim the win when the opponent has been gone for the claim delay. Leaving a ranked match
    counts as a loss for the leaver, and as an abandon for matchmaking."""
    with transaction.atomic():
        locked = _lock(match)
        player = locked.players.filter(user=user).first()
        if player is None:
            raise MatchError("No such match.", status=404)
        if locked.state != Match.State.ACTIVE:
            raise MatchError("The match is already over.", status=409)
        now = timezone.now()
        if not opponent_absent(locked, player, now):
            raise MatchError("Your opponent is still here: you can claim the win after they "
                             f"have been gone {settings.MATCH_CLAIM_AFTER_SECONDS:g} seconds.",
                             status=409)
        leaver = locked.players.exclude(pk=player.pk).first()
        was_ranked = locked.ranked
        reason = Match.Reason.CLAIMED
        if leaver.last_seen_at is None and not RoundAnswer.objects.filter(player=leaver).exists():
            # The opponent never opened the match: a win over nobody is not rated (two accounts
            # queueing together used to farm ranked wins this way).
            Match.objects.filter(pk=locked.pk).update(ranked=False)
            locked.ranked, reason = False, Match.Reason.NO_SHOW
        _finish(locked, reason, now, winner_player=player)
        if was_ranked and leaver.user_id:
            Rating.objects.filter(user_id=leaver.user_id).update(abandons=F("abandons") + 1)
    return locked


def match_sweep() -> int:
    """Beat's sweeper: advance every active match with an overdue round or a due next round.
    A stopped worker or lost countdown task is caught here or by the next state read."""
    now = timezone.now()
    due = set(Round.objects.filter(state=Round.State.OPEN, deadline__lt=now - grace(),
                                   match__state=Match.State.ACTIVE).values_list("match_id",
                                                                                flat=True))
    due |= set(Round.objects.filter(state=Round.State.CLOSED,
                                    closed_at__lt=now - scaled(settings.MATCH_PAUSE_SECONDS),
                                    match__state=Match.State.ACTIVE,
                                    match__current_round=F("number"))
               .values_list("match_id", flat=True))
    for match_id in due:
        match_advance(match_id=match_id)
    return len(due)
