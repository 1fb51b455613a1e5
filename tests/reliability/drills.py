"""The fault drills of issue 18 on a throwaway stack (tests/reliability/stack.py): head-to-head
matches played by API clients while one component is killed and brought back.

One match more is accepted and then left alone (nobody reads or answers: the clients that only
listen to pushes): the server's own sweeps must play it to the end. Each other player is a
thread that reads its match (GET, as the API client with a timer of the issue)
and answers the open round after a short think, except the rounds its plan skips (so that
misses are exercised too). An answer is retried until the server gives a verdict (200, or 409
"late"/"conflict"); refused connections and 503 are waited out, so an answer is acknowledged
exactly when the client got a 200 for it. What the drill measures:

- matches finished, of those started;
- answers acknowledged (the set of (match, seat, round) that got a 200) against the answers
  stored, compared as sets;
- skill updates expected (one per human per closed round: the answers plus the misses) against
  the AnswerEvent rows with the rounds' source keys, once the outbox has drained;
- 5xx other than 503 (a 503 must carry Retry-After, or it counts here too), and how many 503s
  and refused connections the clients met;
- whether the worker is alive afterwards: its process still running (the same process, unless
  the drill killed it), answering a ping through the broker, and running beat's heartbeat.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from tests.reliability.stack import PLAY_TIME_SCALE, ROUNDS, Stack, wait_until

# web: gunicorn killed (SIGKILL) and started again; web-reload: its workers replaced gracefully
# (SIGHUP, as a code deploy does it), which must refuse no connection at all.
DRILLS = ("worker", "redis", "postgres", "web", "web-reload")
PAIRS = 6
OUTAGE_SECONDS = 5.0
OUTAGE_AFTER = 3.0  # seconds into the matches
MATCH_TIMEOUT = 90.0
SETTLE_TIMEOUT = 45.0
ROUND_SECONDS = 15.0 * PLAY_TIME_SCALE
# The drills played in this process, for the table at the end of a test run.
RESULTS: list[DrillResult] = []


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    acked: set = field(default_factory=set)
    late: int = 0
    statuses: dict = field(default_factory=dict)
    refused: int = 0
    bad_503: int = 0  # 503 without Retry-After
    errors: list = field(default_factory=list)

    def count(self, status: int, retry_after: str | None = None) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 503 and not retry_after:
                self.bad_503 += 1


@dataclass
class DrillResult:
    drill: str
    matches: int
    rounds: int
    finished: int
    acked: int
    stored: int
    acked_matches_stored: bool
    skill_expected: int
    skill_seen: int
    outbox_left: int
    server_errors: int  # 5xx other than a 503 with Retry-After
    unavailable: int  # 503s
    refused: int  # connections refused or cut (the web process down)
    late: int  # answers the server called late (not stored, counted as misses)
    tracebacks: dict
    worker_alive: bool
    worker_detail: str
    seconds: float
    errors: list

    def row(self) -> list[str]:
        return [self.drill, f"{self.finished}/{self.matches}", f"{self.acked}/{self.stored}",
                f"{self.skill_expected}/{self.skill_seen}", str(self.server_errors),
                str(self.unavailable), str(self.refused), str(self.tracebacks["web"]),
                "yes" if self.worker_alive else f"NO ({self.worker_detail})"]


HEADER = ["drill", "matches finished", "answers acked/stored", "skill updates expected/seen",
          "5xx (not 503)", "503 met", "refused", "web tracebacks", "worker alive"]


def table(results: list[DrillResult]) -> str:
    rows = [HEADER] + [r.row() for r in results]
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "| " + " | ".join("---" for _ in HEADER) + " |")
    return "\n".join(lines)


# --- the clients ----------------------------------------------------------------------------


def _http(stack: Stack, method: str, path: str, token: str, body: dict | None,
          tally: Tally) -> tuple[int, dict]:
    """(status, JSON body); status 0 for a refused or cut connection."""
    request = urllib.request.Request(  # noqa: S310 (loopback http only)
        stack.base + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    try:
        try:
            with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
                status, text, retry_after = response.status, response.read(), None
        except urllib.error.HTTPError as exc:
            status, text, retry_after = exc.code, exc.read(), exc.headers.get("Retry-After")
    except (OSError, http.client.HTTPException):  # refused, or cut by a killed server
        with tally.lock:
            tally.refused += 1
        return 0, {}
    tally.count(status, retry_after)
    try:
        return status, json.loads(text or b"{}")
    except ValueError:
        return status, {"detail": text[:200].decode(errors="replace")}


def _player(stack: Stack, pair: dict, seat: str, skip: set[int], tally: Tally,
            finished: list, deadline: float, idle: bool = False) -> None:
    try:
        _play(stack, pair, seat, skip, tally, finished, deadline, idle)
    except Exception as exc:  # a client that crashed: the drill reports it, and fails
        tally.errors.append(f"{pair['match']} {seat}: client crashed: {exc!r}")


def _play(stack: Stack, pair: dict, seat: str, skip: set[int], tally: Tally,
          finished: list, deadline: float, idle: bool) -> None:
    rng = random.Random(f"{pair['match']}{seat}")
    path = f"/api/v1/matches/{pair['match']}/"
    token = pair[seat]
    if seat == "b":  # the friend accepts the challenge: the match starts
        while time.monotonic() < deadline:
            status, body = _http(stack, "POST", f"/api/v1/matches/challenges/{pair['code']}"
                                 "/accept/", token, {"ranked": True}, tally)
            if status in (200, 409):  # 409: accepted already (a retry after a lost response)
                break
            time.sleep(0.3)
    if idle:  # accepts, then neither reads nor answers: only the server's sweeps move time
        return
    decided: set[int] = set()
    while time.monotonic() < deadline:
        status, state = _http(stack, "GET", path, token, None, tally)
        if status != 200:
            time.sleep(0.3)
            continue
        if state["state"] == "finished":
            with tally.lock:
                finished.append((pair["match"], seat))
            return
        rnd = state.get("round")
        if rnd and rnd["state"] == "open" and not rnd["you_answered"] and \
                rnd["number"] not in decided:
            number = rnd["number"]
            decided.add(number)
            if number not in skip:
                time.sleep(rng.uniform(0.1, 0.4) * ROUND_SECONDS)
                keys = [c["key"] for c in rnd["choices"]]  # an ordering round: every step
                _answer(stack, path, token, pair["match"], seat, number,
                        rng.sample(keys, len(keys)) if rnd.get("picks") == "order"
                        else [rng.choice(keys)], tally, deadline)
                continue
        time.sleep(0.25)
    tally.errors.append(f"{pair['match']} {seat}: not finished in {MATCH_TIMEOUT:g} s")


def _answer(stack: Stack, path: str, token: str, match: str, seat: str, number: int,
            keys: list[str], tally: Tally, deadline: float) -> None:
    """Post one answer until the server decides: 200 (stored, now or by an earlier try whose
    response was lost) or 409 (late or a different earlier answer)."""
    while time.monotonic() < deadline:
        status, body = _http(stack, "POST", path + "answers/", token,
                             {"round": number, "choices": keys}, tally)
        if status == 200:
            with tally.lock:
                tally.acked.add((match, seat, number))
            return
        if status == 409:
            with tally.lock:
                tally.late += 1
            return
        if status not in (0, 503) and status < 500:
            tally.errors.append(f"answer {match} {seat} round {number}: {status} {body}")
            return
        time.sleep(0.3)


# --- one drill ------------------------------------------------------------------------------


def _outage(stack: Stack, drill: str) -> None:
    if drill == "worker":
        stack.kill_worker()
        time.sleep(OUTAGE_SECONDS)
        stack.start_worker()
    elif drill == "redis":
        stack.kill_redis()
        time.sleep(OUTAGE_SECONDS)
        stack.start_redis()
    elif drill == "postgres":
        stack.kill_postgres()
        time.sleep(OUTAGE_SECONDS)
        stack.start_postgres()
    elif drill == "web":
        stack.kill_web()
        time.sleep(OUTAGE_SECONDS)
        stack.start_web()
    elif drill == "web-reload":
        stack.reload_web()
        time.sleep(OUTAGE_SECONDS)
    else:
        raise ValueError(f"unknown drill {drill!r}: one of {', '.join(DRILLS)}")


def run_drill(stack: Stack, drill: str, pairs: int = PAIRS) -> DrillResult:
    players = stack.seed(pairs + 1)
    idle = players[-1]  # a match whose players never come back (see _player)
    worker_pid = stack.worker.pid
    logs = stack.log_size()
    tally, finished = Tally(), []
    started = time.monotonic()
    deadline = started + MATCH_TIMEOUT
    threads = []
    for i, pair in enumerate(players[:-1]):
        # Seat a skips one round and seat b another in some matches: misses count too.
        skips = {"a": {2} if i % 2 == 0 else set(), "b": {4} if i % 3 == 0 else set()}
        for seat in ("a", "b"):
            threads.append(threading.Thread(
                target=_player, args=(stack, pair, seat, skips[seat], tally, finished, deadline),
                daemon=True))
    threads.append(threading.Thread(target=_player, args=(
        stack, idle, "b", set(), tally, finished, deadline, True), daemon=True))
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    time.sleep(OUTAGE_AFTER)
    _outage(stack, drill)
    restored = time.time()
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0) + 1)
    matches = [p["match"] for p in players]

    def idle_finished() -> bool:  # read in the database: an API read would move the match
        return stack.sql("SELECT state FROM matches_match WHERE public_id::text = %s",
                         (idle["match"],))[0][0] == "finished"
    try:
        wait_until(idle_finished, max(deadline - time.monotonic(), 1), "the idle match")
        finished.append((idle["match"], "server"))
    except RuntimeError:
        tally.errors.append(f"{idle['match']}: the match nobody reads did not finish")

    stored = {(m, "ab"[seat], number) for m, seat, number in stack.sql(
        "SELECT m.public_id::text, p.seat, r.number FROM matches_roundanswer a "
        "JOIN matches_round r ON r.id = a.round_id JOIN matches_matchplayer p "
        "ON p.id = a.player_id JOIN matches_match m ON m.id = r.match_id "
        "WHERE m.public_id::text = ANY(%s) AND NOT p.is_bot", (matches,))}
    closed_rounds = stack.sql(
        "SELECT count(*) FROM matches_round r JOIN matches_match m ON m.id = r.match_id "
        "WHERE m.public_id::text = ANY(%s) AND r.state = 'closed'", (matches,))[0][0]
    expected = 2 * closed_rounds  # one per human per closed round: an answer or a miss

    def skill_events() -> int:
        return stack.sql(
            "SELECT count(*) FROM skills_answerevent e WHERE e.source_key = ANY(ARRAY("
            "SELECT 'match:' || r.id || ':' || p.id FROM matches_round r "
            "JOIN matches_match m ON m.id = r.match_id JOIN matches_matchplayer p "
            "ON p.match_id = m.id WHERE m.public_id::text = ANY(%s)))", (matches,))[0][0]

    try:
        wait_until(lambda: skill_events() >= expected, SETTLE_TIMEOUT, "the skill updates",
                   interval=0.5)
    except RuntimeError:
        pass  # reported below as expected/seen
    seen = skill_events()
    outbox_left = stack.sql("SELECT count(*) FROM core_outboxmessage")[0][0]
    worker_alive, detail = _worker_alive(stack, worker_pid if drill != "worker" else None,
                                         restored)
    server_errors = sum(n for s, n in tally.statuses.items() if s >= 500 and s != 503) + \
        tally.bad_503
    return DrillResult(
        drill=drill, matches=len(players), rounds=ROUNDS, finished=sum(1 for m in matches if {(m, "a"), (m, "b")} <= set(finished)
                     or (m, "server") in finished),
        acked=len(tally.acked), stored=len(stored), acked_matches_stored=tally.acked == stored,
        skill_expected=expected, skill_seen=seen, outbox_left=outbox_left,
        server_errors=server_errors, unavailable=tally.statuses.get(503, 0),
        refused=tally.refused, late=tally.late, tracebacks=stack.tracebacks_since(logs),
        worker_alive=worker_alive, worker_detail=detail,
        seconds=time.monotonic() - started, errors=tally.errors[:10])


def _worker_alive(stack: Stack, same_pid: int | None, since: float) -> tuple[bool, str]:
    if stack.worker.poll() is not None:
        return False, f"the worker exited with {stack.worker.returncode}"
    if same_pid is not None and stack.worker.pid != same_pid:
        return False, "a different worker process"
    if stack.beat.poll() is not None:
        return False, f"beat exited with {stack.beat.returncode}"
    try:
        wait_until(stack.worker_answers, 30, "a ping", interval=0.5)
    except RuntimeError:
        return False, "no answer to a ping"

    def heartbeat_after() -> bool:
        return bool(stack.sql("SELECT count(*) FROM core_workerheartbeat WHERE seen_at > "
                              "to_timestamp(%s)", (since,))[0][0])
    try:
        wait_until(heartbeat_after, 30, "a heartbeat", interval=0.5)
    except RuntimeError:
        return False, "no heartbeat since the outage"
    return True, "ok"
