"""Which questions a learner still has in play, across every mode (quiz, match, live game).

The key-leak rule beyond one attempt: a learner must never see the key of a question that another
attempt or match of theirs still has to play. Two rules enforce it, both fed by this registry:
- at creation, a new attempt or match never includes a question the learner has in an active
  attempt or an unfinished match (any state: pending, open or already answered there);
- at review, a finished attempt or match withholds the key of any question the learner has in
  play elsewhere, until that one is finished too.
Each play app registers a provider in its AppConfig.ready() (this app sits below them, so it
cannot import them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# provider(user, session_attempt_ids) -> question ids (bank.Question pks) in play
Provider = Callable[..., Iterable[int]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def questions_in_play(*, user, session_attempt_ids: Iterable[str] = ()) -> set[int]:
    """Question ids the learner (a signed-in user, or a visitor's attempts by public id) has in
    an active attempt or unfinished match."""
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    ids = [str(i) for i in session_attempt_ids]
    if not signed_in and not ids:
        return set()
    held: set[int] = set()
    for provider in _PROVIDERS:
        held.update(provider(user=user if signed_in else None, session_attempt_ids=ids))
    return held
