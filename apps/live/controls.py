"""What both doors (the API and the pages) do alike: the host's controls by name, and joining with
a PIN while counting wrong PINs per address."""

from __future__ import annotations

from apps.accounts.services import profile_get_or_create
from apps.core.clientip import client_ip
from apps.core.ratelimit import check, hit
from apps.live import services
from apps.live.services import LiveError

CONTROLS = {
    "start": lambda game, data: services.game_start(game=game),
    "next": lambda game, data: services.game_next(game=game, number=data["question"]),
    "skip": lambda game, data: services.game_skip(game=game, number=data["question"]),
    "pause": lambda game, data: services.game_pause(game=game),
    "resume": lambda game, data: services.game_resume(game=game),
    "end": lambda game, data: services.game_end(game=game),
    "lock": lambda game, data: services.game_lock(game=game, locked=data["locked"]),
}


def join_with_pin(request, pin: str, nickname: str):
    """Join, counting wrong PINs per address: after RATE_LIMITS["live_pin_miss"] of them the
    address waits, whether its next PIN is right or wrong, so guessing is not practical."""
    key = f"ip{client_ip(request)}"
    check("live_pin_miss", key)
    user = request.user if request.user.is_authenticated else None
    factor = profile_get_or_create(user=user).time_factor if user else 1.0
    try:
        return services.game_join(pin=pin, user=user, nickname=nickname, time_factor=factor)
    except LiveError as exc:
        if exc.status == 404:
            hit("live_pin_miss", key)
        raise
