from __future__ import annotations

from urllib.parse import parse_qs

from channels.db import DatabaseSyncToAsync
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string

from apps.core import ratelimit
from apps.core.clock import now_ms
from apps.matches import realtime, selectors, services
from apps.matches.models import Match


def in_pool(func):
    """Run ORM work in the thread pool rather than the one thread-sensitive thread: every
    connected player renders their own state after each change, and serialising those renders
    behind one thread made pushes queue up under load (see bench/match_latency.py)."""
    return DatabaseSyncToAsync(func, thread_sensitive=False)


class MatchConsumer(AsyncJsonWebsocketConsumer):
    """Sends the whole state (for this player) on connect and after every change, tagged with
    the match's version. Browsers (`?format=html`) get the board as an HTML fragment; API
    clients get JSON. Answers do not come through here: they go over HTTP."""

    match: Match | None = None
    sent_version = -1

    async def connect(self):
        realtime.remember_loop()
        query = parse_qs(self.scope.get("query_string", b"").decode())
        self.format = "html" if query.get("format") == ["html"] else "json"
        public_id = self.scope["url_route"]["kwargs"]["public_id"]
        self.user = await self._authenticate(public_id, query.get("ticket", [None])[0])
        if self.user is None:
            await self.close(code=4404)
            return
        self.group = realtime.group_name(self.match.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await in_pool(services.player_seen)(match=self.match, user=self.user, connected=True)
        await self._send_state()

    @in_pool
    def _authenticate(self, public_id, ticket):
        try:
            match = Match.objects.get(public_id=public_id)
        except (Match.DoesNotExist, ValueError):
            return None
        user = self.scope.get("user")
        if ticket:
            user_id = realtime.ticket_redeem(ticket=ticket, match_id=match.pk)
            user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
        if user is None or not user.is_authenticated:
            return None
        if not match.players.filter(user=user).exists():
            return None
        self.match = match
        return user

    async def disconnect(self, code):
        if self.match is not None and getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await in_pool(services.player_seen)(match=self.match, user=self.user,
                                                connected=False)

    async def receive_json(self, content, **kwargs):
        # A client that suspects a gap asks for the whole state again.
        if isinstance(content, dict) and content.get("type") == "resync":
            try:
                await in_pool(ratelimit.hit)("match_resync", f"u{self.user.pk}")
            except ratelimit.RateLimited as exc:  # a full read each time: bounded
                await self.send_json({"type": "throttled", "retry_after": exc.retry_after})
                return
            await self._send_state(force=True)

    async def match_changed(self, event):
        # One transaction can bump the version twice (the last answer closes the round) and so
        # publish twice; a push this socket has already covered costs nothing.
        if event.get("version", 0) > self.sent_version:
            await self._send_state(version=event.get("version"))

    @in_pool
    def _payload(self, version: int | None = None):
        state = selectors.match_state(self.match, self.user, version=version)
        if self.format == "html":
            html = render_to_string("matches/play.html#board", {"state": state})
            return {"type": "html", "version": state["version"], "html": html}
        return {"type": "state", "version": state["version"], "state": state}

    async def _send_state(self, force: bool = False, version: int | None = None):
        payload = await self._payload(version)
        if force or payload["version"] > self.sent_version:
            self.sent_version = max(self.sent_version, payload["version"])
            await self.send_json({**payload, "now_ms": now_ms()})
