"""Writes for live class games. The server decides the clock, correctness and points.

Locking: every service that changes a game takes the game's row lock first (`select_for_update`
inside `atomic`), so an answer, the host's controls, the countdown task and the sweeper run one
after another for one game. Every transition is idempotent: it names the state it leaves
(`UPDATE ... WHERE state = ...`) and does nothing when that state is gone, so a close or an end
can be triggered any number of times from anywhere (the countdown task, a read past the
deadline, the last answer, the host) and does its work once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from apps.bank.selectors import published_versions
from apps.core import ratelimit
from apps.core.aftercommit import run_safely
from apps.core.holds import questions_in_play
from apps.core.outbox import outbox_enqueue
from apps.core.tasks import enqueue
from apps.live import hooks, push
from apps.live.models import (
    NICKNAME_MAX,
    TEAM_NAMES,
    LiveAnswer,
    LiveGame,
    LivePlayer,
    LiveQuestion,
)
from apps.play.cards import card, cards
from apps.play.deal import PickError, deal_for, parse_pick
from apps.play.present import credit as pick_credit
from apps.play.present import is_correct as pick_is_correct
from apps.play.scoring import answer_points
from apps.skills import tasks as skill_tasks
from apps.skills.services import AnswerFacts

MIN_COUNT, MAX_COUNT = 3, 30
MAX_TEAMS = len(TEAM_NAMES)
MIN_SECONDS, MAX_SECONDS = 10, 120
NICKNAME_MIN = 2
NICKNAME_RE = re.compile(r"^\w[\w .'-]*$")


class LiveError(Exception):
    """A refusal with the HTTP status that describes it (400 bad input, 404, 409 conflict)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class GameSpec:
    count: int = 10
    seconds: int = 20
    scoring: str = LiveGame.Scoring.SPEED
    topic: str | None = None
    resource: str | None = None
    difficulty: int | None = None
    teams: int = 0  # 0 solo, else 2..MAX_TEAMS
    questions: tuple[str, ...] = ()  # a hand-picked set (question ids), in this order
    assignment: int | None = None  # a cohort assignment of the host's
    missed_by_cohort: int | None = None  # a cohort of the host's: what it missed most

    def validate(self) -> None:
        if self.teams and not 2 <= self.teams <= MAX_TEAMS:
            raise LiveError(f"Choose between 2 and {MAX_TEAMS} teams (or none).")
        if len(self.questions) > MAX_COUNT:
            raise LiveError(f"Pick at most {MAX_COUNT} questions.")
        if sum(bool(x) for x in (self.questions, self.assignment, self.missed_by_cohort)) > 1:
            raise LiveError("Pick the questions, an assignment or a cohort's misses: one source.")
        if not MIN_COUNT <= self.count <= MAX_COUNT:
            raise LiveError(f"Choose between {MIN_COUNT} and {MAX_COUNT} questions.")
        if not MIN_SECONDS <= self.seconds <= MAX_SECONDS:
            raise LiveError(f"Choose between {MIN_SECONDS} and {MAX_SECONDS} seconds a question.")
        if self.scoring not in LiveGame.Scoring.values:
            raise LiveError("Scoring must be speed or accuracy.")
        if self.difficulty is not None and self.difficulty not in (1, 2, 3):
            raise LiveError("Difficulty must be 1, 2 or 3.")

    @property
    def label(self) -> str:
        if self.questions:
            return f"{len(self.questions)} hand-picked questions"
        parts = [f"topic {self.topic}"] if self.topic else []
        if self.resource:
            parts.append(f"resource {self.resource}")
        if self.difficulty:
            parts.append(f"difficulty {self.difficulty}")
        return ", ".join(parts) or "Mixed"


@dataclass(frozen=True)
class AnswerOutcome:
    """`accepted`, `repeat` (the same answer again), `conflict` (a different second answer) or
    `late` (after the deadline, or the question was closed)."""

    kind: str
    answer: LiveAnswer | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _grace() -> timedelta:
    return timedelta(seconds=min(settings.QUIZ_GRACE_SECONDS, 1.0) * settings.PLAY_TIME_SCALE)


def _lock(game: LiveGame | int) -> LiveGame:
    return LiveGame.objects.select_for_update().get(pk=getattr(game, "pk", game))


def _changed(game: LiveGame) -> None:
    """Every change clients must see bumps the version and is pushed to the room once it
    commits; pollers (the fallback) send the version they have and get the state only when it
    moved."""
    LiveGame.objects.filter(pk=game.pk).update(version=F("version") + 1)
    push.changed(game.pk)


def advance_task():
    from apps.live.tasks import game_advance_task

    return game_advance_task


# --- Creating and joining ----------------------------------------------------------------------

def _new_pin() -> str:
    return f"{secrets.randbelow(900_000) + 100_000}"


def game_create(*, host, spec: GameSpec) -> LiveGame:
    """A game in its lobby with `spec.count` published questions drawn at random from the focus
    (leaving out those the host has in play elsewhere: the host sees every key at the reveal),
    one shared deal of choices per question, and a fresh 6-digit PIN."""
    spec.validate()
    running = LiveGame.objects.filter(host=host).exclude(state=LiveGame.State.FINISHED).count()
    if running >= settings.LIVE_MAX_GAMES_PER_HOST:
        raise LiveError(f"You already run {running} games: end one before starting another.",
                        status=409)
    chosen, label = _choose(host, spec)
    the_cards = cards(chosen)
    for _ in range(20):  # a PIN taken by another unfinished game: draw again
        try:
            with transaction.atomic():
                game = LiveGame.objects.create(
                    pin=_new_pin(), host=host, scoring=spec.scoring,
                    seconds_per_question=spec.seconds, focus_label=label[:200],
                    question_count=len(chosen), team_count=spec.teams)
                rows = []
                for number, vid in enumerate(chosen, start=1):
                    deal = deal_for(the_cards[vid])
                    rows.append(LiveQuestion(game=game, number=number, version_id=vid,
                                             choice_order=list(deal.order),
                                             choice_keys=list(deal.keys)))
                LiveQuestion.objects.bulk_create(rows)
                return game
        except IntegrityError:
            continue
    raise LiveError("No free PIN right now; try again in a moment.", status=503)


def _choose(host, spec: GameSpec) -> tuple[list[int], str]:
    """The question versions of a new game and the label of its source. Questions the host has
    in play elsewhere are left out (the host sees every key at the reveal)."""
    from apps.cohorts.models import Assignment, Cohort
    from apps.cohorts.selectors import most_missed_questions

    held = questions_in_play(user=host)
    current = published_versions()
    if spec.questions or spec.assignment:
        label = spec.label
        slugs = list(dict.fromkeys(spec.questions))
        if spec.assignment:
            assignment = Assignment.objects.filter(pk=spec.assignment, cohort__owner=host).first()
            if assignment is None:
                raise LiveError("No such assignment among your cohorts.", status=404)
            label = f"assignment {assignment.title}"
            if not assignment.question_slugs:  # a topic assignment: its topic, at random
                return _sample(current.filter(topics=assignment.topic_id) if assignment.topic_id
                               else current, held, spec.count), label
            slugs = list(dict.fromkeys(assignment.question_slugs))[:MAX_COUNT]
        found = dict(current.filter(question__slug__in=slugs)
                     .values_list("question__slug", "id"))
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise LiveError("Not published (or no such question): " + ", ".join(missing[:10]))
        ids = [found[slug] for slug in slugs]
        in_play = set(current.filter(id__in=ids, question_id__in=held)
                      .values_list("id", flat=True))
        ids = [i for i in ids if i not in in_play]
        if len(ids) < MIN_COUNT:
            raise LiveError(f"A game needs at least {MIN_COUNT} questions you are not playing "
                            "elsewhere.")
        return ids, label
    if spec.missed_by_cohort:
        cohort = Cohort.objects.filter(pk=spec.missed_by_cohort, owner=host).first()
        if cohort is None:
            raise LiveError("No such cohort among yours.", status=404)
        questions = [q for q in most_missed_questions(cohort, MAX_COUNT * 2) if q not in held]
        order = {q: n for n, q in enumerate(questions)}
        ids = sorted(current.filter(question_id__in=questions).values_list("question_id", "id"),
                     key=lambda row: order[row[0]])[:spec.count]
        if len(ids) < MIN_COUNT:
            raise LiveError(f"{cohort.name} has not missed {MIN_COUNT} published questions yet.")
        return [vid for _, vid in ids], f"what {cohort.name} missed most"
    pool = published_versions(topic=spec.topic, resource=spec.resource,
                              difficulty=spec.difficulty)
    return _sample(pool, held, spec.count), spec.label


def _sample(pool, held: set[int], count: int) -> list[int]:
    ids = list(pool.exclude(question_id__in=held).values_list("id", flat=True))
    if not ids:
        raise LiveError("No published questions match this focus yet.")
    return secrets.SystemRandom().sample(ids, min(count, len(ids)))


def clean_nickname(raw: str) -> str:
    name = " ".join(str(raw or "").split())
    if not NICKNAME_MIN <= len(name) <= NICKNAME_MAX:
        raise LiveError(f"A nickname has {NICKNAME_MIN} to {NICKNAME_MAX} characters.")
    if not NICKNAME_RE.match(name):
        raise LiveError("A nickname uses letters, digits, spaces and . ' - _ only.")
    return name


def game_join(*, pin: str, user=None, nickname: str = "", time_factor: float = 1.0
              ) -> tuple[LivePlayer, str]:
    """Take a seat (or come back to one) in the unfinished game with this PIN. A signed-in
    learner plays as themselves: joining again returns their seat with a new secret. Returns the
    seat and its secret (shown once: the caller keeps it in a cookie). The caller counts wrong
    PINs (apps.core.ratelimit) so that guessing one is not practical."""
    signed_in = user is not None and user.is_authenticated
    name = clean_nickname(nickname or (user.get_username()[:NICKNAME_MAX] if signed_in else ""))
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        game = LiveGame.objects.select_for_update().filter(pin=str(pin).strip()).exclude(
            state=LiveGame.State.FINISHED).first()
        if game is None:
            raise LiveError("No game is running with this PIN.", status=404)
        if signed_in:
            seat = LivePlayer.objects.filter(game=game, user=user).first()
            if seat is not None:
                if seat.removed:
                    raise LiveError("The host removed you from this game.", status=403)
                LivePlayer.objects.filter(pk=seat.pk).update(token_hash=token_hash(token))
                return seat, token
        if game.lobby_locked:
            raise LiveError("The host has locked this game: no new players.", status=409)
        if game.players.count() >= settings.LIVE_MAX_PLAYERS:
            raise LiveError("This game is full.", status=409)
        if LivePlayer.objects.filter(game=game, nickname__iexact=name).exists():
            raise LiveError("That nickname is taken in this game: pick another.", status=409)
        seat = LivePlayer.objects.create(
            game=game, user=user if signed_in else None, nickname=name,
            token_hash=token_hash(token), team=_smallest_team(game),
            time_factor=time_factor if game.scoring == LiveGame.Scoring.ACCURACY else 1.0)
        _changed(game)
    return seat, token


def _smallest_team(game: LiveGame) -> int | None:
    """A new player's team: the one with the fewest members (then the lowest mean score), so a
    late joiner evens the teams out; None in a solo game."""
    if not game.team_count:
        return None
    sizes = {t: [0, 0] for t in range(game.team_count)}
    for team, score in game.players.filter(removed=False, team__isnull=False).values_list(
            "team", "score"):
        sizes[team][0] += 1
        sizes[team][1] += score
    return min(sizes, key=lambda t: (sizes[t][0], sizes[t][1] / max(sizes[t][0], 1), t))


def _balance_teams(game: LiveGame) -> None:
    """At the start: deal the players into teams by strength (share of first answers right;
    visitors and newcomers count as average), strongest first, in snake order (A B C C B A …),
    so that every team gets a fair mix."""
    from apps.skills.selectors import strength_of

    players = list(game.players.filter(removed=False).order_by("joined_at"))
    strength = strength_of([p.user_id for p in players if p.user_id])
    players.sort(key=lambda p: -strength.get(p.user_id, 0.5))
    k = game.team_count
    for n, p in enumerate(players):
        lap, place = divmod(n, k)
        p.team = place if lap % 2 == 0 else k - 1 - place
    LivePlayer.objects.bulk_update(players, ["team"], batch_size=500)


def player_rejoin(*, game: LiveGame, token: str) -> LivePlayer | None:
    """The seat this secret opens in `game` (a reload, a lost network), or None."""
    if not token:
        return None
    return LivePlayer.objects.filter(game=game, token_hash=token_hash(token),
                                     removed=False).first()


# --- The host's controls -----------------------------------------------------------------------

def _limit_seconds(game: LiveGame) -> float:
    """The question's time for the room. Extended time (a learner's setting) applies in
    accuracy games only, where the slowest entitled player sets the room's clock; a speed game
    scores speed, so it gives everyone the same time and says so."""
    factor = 1.0
    if game.scoring == LiveGame.Scoring.ACCURACY:
        factor = max([1.0, *game.players.filter(removed=False).values_list("time_factor",
                                                                             flat=True)])
    return game.seconds_per_question * factor * settings.PLAY_TIME_SCALE


def _open(game: LiveGame, number: int, now: datetime) -> None:
    seconds = _limit_seconds(game)
    deadline = now + timedelta(seconds=seconds)
    LiveQuestion.objects.filter(game=game, number=number, state=LiveQuestion.State.PENDING
                                ).update(state=LiveQuestion.State.OPEN, opened_at=now,
                                         deadline=deadline)
    LiveGame.objects.filter(pk=game.pk).update(state=LiveGame.State.QUESTION,
                                               current_number=number, paused_remaining_ms=None,
                                               deadline=deadline)
    game.state, game.current_number = LiveGame.State.QUESTION, number
    _changed(game)
    enqueue(advance_task(), game.pk, countdown=seconds + _grace().total_seconds() + 0.05)


def game_start(*, game: LiveGame) -> LiveGame:
    """Lobby → question 1. Idempotent: a second start changes nothing."""
    with transaction.atomic():
        locked = _lock(game)
        if locked.state == LiveGame.State.LOBBY:
            if not locked.players.filter(removed=False).exists():
                raise LiveError("Nobody has joined yet.", status=409)
            now = timezone.now()
            LiveGame.objects.filter(pk=locked.pk).update(started_at=now)
            if locked.team_count:
                _balance_teams(locked)
            _open(locked, 1, now)
    return LiveGame.objects.get(pk=game.pk)


def _close(game: LiveGame, question: LiveQuestion, now: datetime) -> bool:
    """Open → closed (idempotent): the reveal. Players who did not answer lose their streak;
    what signed-in players did is handed to skill tracking. True if it closed it now."""
    closed = LiveQuestion.objects.filter(pk=question.pk, state=LiveQuestion.State.OPEN).update(
        state=LiveQuestion.State.CLOSED, closed_at=now)
    if not closed:
        return False
    LiveGame.objects.filter(pk=game.pk).update(state=LiveGame.State.REVEAL,
                                               paused_remaining_ms=None, deadline=None)
    game.state = LiveGame.State.REVEAL
    answers = list(question.answers.all())
    answered = {a.player_id for a in answers}
    LivePlayer.objects.filter(game=game).exclude(pk__in=answered).update(streak=0)
    _rank(game)
    _changed(game)
    _teach(game, question, answers, now)
    return True


def _rank(game: LiveGame) -> None:
    """Record the standings of this reveal (and keep the last one's): who moved up."""
    players = list(game.players.filter(removed=False).order_by("-score", "joined_at"))
    for rank, p in enumerate(players, start=1):
        p.rank_before, p.rank_now = p.rank_now, rank
    LivePlayer.objects.bulk_update(players, ["rank_before", "rank_now"], batch_size=500)


def _teach(game: LiveGame, question: LiveQuestion, answers: list[LiveAnswer],
           now: datetime) -> None:
    limit_ms = round(game.seconds_per_question * settings.PLAY_TIME_SCALE * 1000)
    humans = dict(LivePlayer.objects.filter(game=game, user__isnull=False, removed=False)
                  .values_list("pk", "user_id"))
    by_player = {a.player_id: a for a in answers}
    facts = []
    for player_id, user_id in humans.items():
        a = by_player.get(player_id)
        facts.append(AnswerFacts(
            source_key=f"live:{question.pk}:{player_id}", user_id=user_id,
            version_id=question.version_id, is_correct=bool(a and a.is_correct),
            timed_out=a is None, elapsed_ms=a.elapsed_ms if a else None, limit_ms=limit_ms,
            answered_at=a.created_at if a else now).as_data())
    if facts:  # in the close's transaction: delivered after commit, re-sent if it is lost
        outbox_enqueue(skill_tasks.record_answers_task, facts)


def _current(game: LiveGame) -> LiveQuestion | None:
    return game.questions.filter(number=game.current_number).first()


def game_skip(*, game: LiveGame, number: int) -> LiveGame:
    """Close question `number` now (the reveal), if it is the open one."""
    with transaction.atomic():
        locked = _lock(game)
        question = _current(locked)
        if locked.state == LiveGame.State.QUESTION and question and question.number == number:
            _close(locked, question, timezone.now())
    return LiveGame.objects.get(pk=game.pk)


def game_next(*, game: LiveGame, number: int) -> LiveGame:
    """From the reveal of question `number`: open the next one, or finish with the podium.
    Idempotent: a stale or repeated request (the host double-clicked) changes nothing."""
    with transaction.atomic():
        locked = _lock(game)
        if locked.state == LiveGame.State.REVEAL and locked.current_number == number:
            now = timezone.now()
            if number < locked.question_count:
                _open(locked, number + 1, now)
            else:
                _finish(locked, now)
    return LiveGame.objects.get(pk=game.pk)


def _finish(game: LiveGame, now: datetime) -> None:
    finished = LiveGame.objects.filter(pk=game.pk).exclude(state=LiveGame.State.FINISHED).update(
        state=LiveGame.State.FINISHED, finished_at=now, paused_remaining_ms=None)
    if finished:
        game.state = LiveGame.State.FINISHED
        game.finished_at = now
        _changed(game)
        hooks.game_finished(game)  # once per game: only the update that finished it gets here


def game_end(*, game: LiveGame) -> LiveGame:
    """End early (or at the end): an open question closes first, so its answers count."""
    with transaction.atomic():
        locked = _lock(game)
        now = timezone.now()
        question = _current(locked)
        if locked.state == LiveGame.State.QUESTION and question is not None:
            _close(locked, question, now)
        _finish(locked, now)
    return LiveGame.objects.get(pk=game.pk)


def game_pause(*, game: LiveGame) -> LiveGame:
    """Stop the clock of the open question; answers wait until it resumes."""
    with transaction.atomic():
        locked = _lock(game)
        question = _current(locked)
        if locked.state == LiveGame.State.QUESTION and not locked.is_paused and question:
            left = max(0, int((question.deadline - timezone.now()).total_seconds() * 1000))
            LiveGame.objects.filter(pk=locked.pk).update(paused_remaining_ms=left)
            _changed(locked)
    return LiveGame.objects.get(pk=game.pk)


def game_resume(*, game: LiveGame) -> LiveGame:
    with transaction.atomic():
        locked = _lock(game)
        question = _current(locked)
        if locked.state == LiveGame.State.QUESTION and locked.is_paused and question:
            left = locked.paused_remaining_ms / 1000
            deadline = timezone.now() + timedelta(seconds=left)
            LiveQuestion.objects.filter(pk=question.pk).update(deadline=deadline)
            LiveGame.objects.filter(pk=locked.pk).update(paused_remaining_ms=None,
                                                         deadline=deadline)
            _changed(locked)
            enqueue(advance_task(), locked.pk, countdown=left + _grace().total_seconds() + 0.05)
    return LiveGame.objects.get(pk=game.pk)


def game_lock(*, game: LiveGame, locked: bool) -> LiveGame:
    with transaction.atomic():
        row = _lock(game)
        if row.lobby_locked != locked:
            LiveGame.objects.filter(pk=row.pk).update(lobby_locked=locked)
            _changed(row)
    return LiveGame.objects.get(pk=game.pk)


def player_remove(*, game: LiveGame, player_id: int) -> LivePlayer:
    """Remove a player (an offensive nickname, someone who should not be there): their seat
    stops counting and its secret stops working; a signed-in learner cannot take a new one."""
    with transaction.atomic():
        row = _lock(game)
        player = LivePlayer.objects.filter(game=row, pk=player_id).first()
        if player is None:
            raise LiveError("No such player in this game.", status=404)
        if not player.removed:
            LivePlayer.objects.filter(pk=player.pk).update(removed=True)
            player.removed = True
            _changed(row)
    return player


def close_due(game: LiveGame) -> bool:
    """From the game row alone: is its open question past its deadline (a close is due)?"""
    return (game.state == LiveGame.State.QUESTION and not game.is_paused
            and game.deadline is not None and game.deadline + _grace() < timezone.now())


def game_refresh(*, game: LiveGame) -> LiveGame:
    """Close-on-read for pollers: takes the lock only when a close is due."""
    if close_due(game):
        game_advance(game_id=game.pk)
        game.refresh_from_db()
    return game


def game_advance(*, game_id: int) -> None:
    """Close the open question if its time is up (the countdown task, the sweeper and
    close-on-read all call this). Safe to call any number of times from anywhere."""
    with transaction.atomic():
        try:
            locked = _lock(game_id)
        except LiveGame.DoesNotExist:
            return
        if locked.state != LiveGame.State.QUESTION or locked.is_paused:
            return
        question = _current(locked)
        now = timezone.now()
        if question is not None and question.deadline + _grace() < now:
            _close(locked, question, now)


def game_sweep() -> int:
    """Beat: close every overdue open question whose countdown task was lost or is late."""
    cutoff = timezone.now() - _grace()
    ids = list(LiveGame.objects.filter(
        state=LiveGame.State.QUESTION, paused_remaining_ms=None,
        questions__state=LiveQuestion.State.OPEN, questions__deadline__lt=cutoff,
    ).values_list("pk", flat=True).distinct()[:500])
    for game_id in ids:
        game_advance(game_id=game_id)
    return len(ids)


# --- Answering ---------------------------------------------------------------------------------

def _question_shared(game: LiveGame, number: int) -> LiveQuestion | None:
    """Question `number` of the game with a shared row lock (PostgreSQL FOR SHARE): answers run
    side by side, while a close (an UPDATE of the row, under the game's lock) waits for the
    answers already in flight and every later answer sees it closed. SQLite (the embedded
    default) writes one transaction at a time anyway."""
    if connection.vendor != "postgresql":
        return game.questions.filter(number=number).first()
    table = LiveQuestion._meta.db_table
    rows = list(LiveQuestion.objects.raw(
        f'SELECT * FROM "{table}" WHERE "game_id" = %s AND "number" = %s FOR SHARE',  # noqa: S608
        [game.pk, number]))
    return rows[0] if rows else None


def _after_answer(game_id: int, number: int) -> None:
    """After an answer commits: the room's last answer closes the question; otherwise the
    projector hears the count. Counted without a lock (every answer of a room must not queue
    behind the game's lock); only when everyone seems to have answered is the game locked and
    the count taken again, so two last answers committing together close it once."""
    def counts() -> tuple[int, int, LiveQuestion | None]:
        question = LiveQuestion.objects.filter(game_id=game_id, number=number).first()
        if question is None or question.state != LiveQuestion.State.OPEN:
            return 0, 1, None
        active = LivePlayer.objects.filter(game_id=game_id, removed=False).count()
        return question.answers.filter(player__removed=False).count(), active, question

    answered, active, question = counts()
    if question is None:
        return
    if answered < active:
        push.answered(game_id, number, answered)
        return
    with transaction.atomic():
        locked = _lock(game_id)
        answered, active, question = counts()
        if question is not None and answered >= active:
            _close(locked, question, timezone.now())


def game_answer(*, game: LiveGame, player: LivePlayer, number: int, keys) -> AnswerOutcome:
    """A player's one answer to question `number`. The question row is held with a shared lock
    and the seat with its own, so a room's answers do not queue behind one game lock; the
    unique (question, player) constraint is the database's guarantee against a second answer.
    After commit, the last answer of the room closes the question. Counted against the seat's
    `live_answer` rate limit first (RateLimited), whichever entry point it came through."""
    ratelimit.hit("live_answer", f"seat{player.pk}")
    outcome = _answer(game, player, number, keys)
    # Once the answer is stored (its transaction has committed): close the question if this was
    # the room's last answer, or if its time was up (close-on-read). Idempotent under the game's
    # lock; a failure here is logged and left to the countdown and the sweeper, never turned into
    # an error for an answer that is stored.
    if outcome.kind == "accepted":
        run_safely(lambda: _after_answer(game.pk, number), what="live answer close check")
    elif outcome.kind == "late":
        run_safely(lambda: game_advance(game_id=game.pk), what="live late close")
    return outcome


def _answer(game: LiveGame, player: LivePlayer, number: int, keys) -> AnswerOutcome:
    with transaction.atomic():
        question = _question_shared(game, number)
        now = timezone.now()
        if question is None:
            raise LiveError(f"This game has no question {number}.", status=404)
        the_card = card(question.version_id)
        try:
            picked = parse_pick(question.deal, keys, the_card)
        except PickError as exc:
            raise LiveError(str(exc)) from None
        seat = LivePlayer.objects.select_for_update().get(pk=player.pk)  # this seat's copies queue
        existing = LiveAnswer.objects.filter(question=question, player=player).first()
        if existing is not None:
            return AnswerOutcome("repeat" if existing.picked == picked else "conflict", existing)
        if seat.removed:
            raise LiveError("The host removed you from this game.", status=403)
        if question.state == LiveQuestion.State.PENDING:
            raise LiveError("This question is not open yet.", status=409)
        current = LiveGame.objects.only("paused_remaining_ms", "scoring").get(pk=game.pk)
        if current.is_paused:
            raise LiveError("The game is paused: answer when it resumes.", status=409)
        if question.state == LiveQuestion.State.CLOSED or now > question.deadline + _grace():
            return AnswerOutcome("late", None)
        correct = pick_is_correct(the_card, picked)
        elapsed = (now - question.opened_at).total_seconds()
        streak = seat.streak + 1 if correct else 0
        points = answer_points(mode=current.scoring, correct=correct, elapsed=elapsed,
                               limit=(question.deadline - question.opened_at).total_seconds(),
                               streak=streak, credit=pick_credit(the_card, picked))
        answer = LiveAnswer.objects.create(question=question, player=seat, picked=picked,
                                           elapsed_ms=round(elapsed * 1000),
                                           is_correct=correct, points=points)
        LivePlayer.objects.filter(pk=seat.pk).update(
            score=F("score") + points, streak=streak, correct=F("correct") + int(correct))
        # No new version: the room's view does not change with one answer (the projector counts
        # answers on its own read), so hundreds of phones are not sent a new view per answer.
    return AnswerOutcome("accepted", answer)
