"""Work that runs after a transaction commits (channel-layer pushes, task dispatch) must never
turn the committed request into an error: the change is stored, and the client must hear so.

`after_commit()` registers such work; when it fails (Redis down, broker unreachable) the failure
is logged in one line, without a traceback per request, and left to a recovery path: clients
resync on their next read or reconnect, and must-happen work was written to the outbox in the
same transaction (apps.core.outbox), which a sweep re-sends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

log = logging.getLogger(__name__)


def run_safely(func: Callable[[], object], *, what: str) -> bool:
    """Run `func`; on any exception log one line naming `what` and return False."""
    try:
        func()
    except Exception as exc:  # after commit, every failure is left to a recovery path
        log.warning("after-commit %s failed, left to recovery: %s: %s", what,
                    type(exc).__name__, str(exc)[:200])
        return False
    return True


def after_commit(func: Callable[[], object], *, what: str, using: str | None = None) -> None:
    """Run `func` once the current transaction commits (at once outside one); a failure is
    logged, never raised (see the module docstring)."""
    transaction.on_commit(lambda: run_safely(func, what=what), using=using)
