"""The live game's websocket: the room's pushes for players and the host.

Who: a player by the seat cookie of the pages (or a single-use ticket for API clients), the
host by their session (or a ticket); anyone else is closed with 4404. What: on connect the whole
state; after each change (a `live.changed` message with the version) the state of that version,
read from the payload the publisher computed once (apps.live.selectors.push_payload) and kept in
a small per-process memo, so hundreds of sockets in one process cost one cache read; each socket
adds its remaining time and its own line. Browsers (`?format=html`) get the phones' board as HTML
plus their line (the page script fills it in); the projector page is told the version and
re-reads its board, and gets the answer count as it moves. Players may answer over the socket as
well as over HTTP: the same service, so exactly once either way."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from typing import Any
from urllib.parse import parse_qs

from channels.db import DatabaseSyncToAsync
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from apps.core import push, ratelimit
from apps.live import selectors, services
from apps.live.models import LiveGame, LivePlayer
from apps.live.push import host_group, room_group
from apps.live.services import MAX_COUNT, LiveError
from apps.play.deal import MAX_PICKS

MEMO_SIZE = 32
_memo: OrderedDict[tuple[int, int], asyncio.Future] = OrderedDict()  # newest last


def in_pool(func):
    return DatabaseSyncToAsync(func, thread_sensitive=False)


@in_pool
def _load_payload(game_id: int) -> dict[str, Any]:
    return selectors.push_payload(LiveGame.objects.get(pk=game_id))


async def payload_for(game_id: int, version: int) -> dict[str, Any]:
    """The push payload of `version` (or a later one), read once per process: the sockets that
    ask at the same moment share the first one's read (a failed read is retried next time)."""
    key = (game_id, version)
    task = _memo.get(key)
    if task is None or (task.done() and (task.cancelled() or task.exception() is not None)):
        task = _memo[key] = asyncio.ensure_future(_load_payload(game_id))
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return await asyncio.shield(task)


def _valid_answer(content: dict) -> tuple[int, list[str]] | None:
    number, keys = content.get("question"), content.get("choices")
    if not isinstance(number, int) or not 1 <= number <= MAX_COUNT:
        return None
    if not isinstance(keys, list) or not 1 <= len(keys) <= MAX_PICKS or not all(
            isinstance(k, str) and 0 < len(k) <= 64 for k in keys):
        return None
    return number, keys


class LiveConsumer(AsyncJsonWebsocketConsumer):
    game: LiveGame | None = None
    player: LivePlayer | None = None
    is_host = False
    sent_version = -1

    async def connect(self):
        push.remember_loop()
        query = parse_qs(self.scope.get("query_string", b"").decode())
        self.format = "html" if query.get("format") == ["html"] else "json"
        ok = await self._authenticate(self.scope["url_route"]["kwargs"]["public_id"],
                                      query.get("ticket", [None])[0])
        if not ok:
            await self.close(code=4404)
            return
        self.groups_joined = [room_group(self.game.pk)]
        if self.is_host:
            self.groups_joined.append(host_group(self.game.pk))
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self._send_fresh()

    @in_pool
    def _authenticate(self, public_id, ticket) -> bool:
        try:
            game = LiveGame.objects.get(public_id=public_id)
        except (LiveGame.DoesNotExist, ValueError):
            return False
        self.game = game
        if ticket:
            value = push.ticket_redeem(ticket, "live")
            if value is None or value[0] != game.pk:
                return False
            _, role, ident = value
            if role == "host":
                self.is_host = game.host_id == ident
                return self.is_host
            self.player = LivePlayer.objects.filter(pk=ident, game=game, removed=False).first()
            return self.player is not None
        user = self.scope.get("user")
        if user is not None and user.is_authenticated and game.host_id == user.pk:
            self.is_host = True
            return True
        cookies = self.scope.get("cookies") or {}
        self.player = services.player_rejoin(game=game, token=cookies.get(f"live-{public_id}",
                                                                           ""))
        return self.player is not None

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    # --- Sending --------------------------------------------------------------------------

    @in_pool
    def _fresh(self) -> tuple[dict[str, Any], dict[str, Any] | None]:
        game = services.game_refresh(game=LiveGame.objects.get(pk=self.game.pk))
        payload = selectors.push_payload(game)
        me = selectors.player_view(game, self.player)["me"] if self.player else None
        return payload, me

    async def _send_fresh(self) -> None:
        payload, me = await self._fresh()
        await self._send(payload, me, force=True)

    async def _send(self, payload: dict[str, Any], me: dict[str, Any] | None,
                    force: bool = False) -> None:
        version = payload["version"]
        if not force and version <= self.sent_version:
            return
        self.sent_version = max(self.sent_version, version)
        now = time.time()
        remaining = selectors.remaining_ms(payload, now)
        if self.is_host and self.format == "html":
            await self.send_json({"type": "changed", "version": version})
        elif self.format == "html":
            await self.send_json({"type": "board", "version": version, "html": payload["html"],
                                  "remaining_ms": remaining, "now_ms": int(now * 1000),
                                  "me": me})
        else:
            view = payload["view"]
            if view["question"] is not None:
                view = {**view, "question": {**view["question"], "remaining_ms": remaining or 0}}
            await self.send_json({"type": "state", "version": version, "state": view,
                                  "now_ms": int(now * 1000),
                                  **({"me": me} if self.player else {})})

    async def live_changed(self, event):
        if event.get("version", 0) <= self.sent_version:
            return  # this socket already sent that version (or a later one)
        payload = await payload_for(self.game.pk, event["version"])
        me = None
        if self.player is not None:
            me = payload["lines"].get(self.player.pk)
            if me is None:  # removed by the host (or joined after this version was computed)
                if not await self._still_seated():
                    await self.send_json({"type": "removed",
                                          "detail": "The host removed you from this game."})
                    await self.close(code=4403)
                    return
                payload, me = await self._fresh()
        await self._send(payload, me)

    async def live_answers(self, event):
        if self.is_host:
            await self.send_json({"type": "answers", "number": event["number"],
                                  "count": event["count"]})

    @in_pool
    def _still_seated(self) -> bool:
        return LivePlayer.objects.filter(pk=self.player.pk, removed=False).exists()

    # --- Receiving ------------------------------------------------------------------------

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "resync":  # a client that suspects a gap asks for the whole state again
            who = f"p{self.player.pk}" if self.player else f"h{self.game.pk}"
            try:
                await in_pool(ratelimit.hit)("live_resync", who)
            except ratelimit.RateLimited as exc:
                await self.send_json({"type": "throttled", "retry_after": exc.retry_after})
                return
            await self._send_fresh()
        elif kind == "answer" and self.player is not None:
            await self.send_json(await self._answer(content))
        else:
            await self.send_json({"type": "error", "status": 400,
                                  "detail": "Unknown message."})

    @in_pool
    def _answer(self, content: dict) -> dict[str, Any]:
        parsed = _valid_answer(content)
        if parsed is None:
            return {"type": "error", "status": 400,
                    "detail": "An answer is {type: answer, question: n, choices: [keys]}."}
        number, keys = parsed
        try:
            outcome = services.game_answer(game=self.game, player=self.player, number=number,
                                           keys=keys)
        except LiveError as exc:
            return {"type": "error", "status": exc.status, "detail": exc.message,
                    "question": number}
        except ratelimit.RateLimited as exc:
            return {"type": "throttled", "retry_after": exc.retry_after, "question": number}
        if outcome.kind == "late":
            return {"type": "error", "status": 409, "question": number,
                    "detail": "Time is up for this question; the answer was not counted."}
        if outcome.kind == "conflict":
            return {"type": "error", "status": 409, "question": number,
                    "detail": "You already answered this question; your first answer counts."}
        return {"type": "ack", "question": number, "outcome": outcome.kind}
