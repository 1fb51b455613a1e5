"""API token authentication: knox's, without its per-request sweep of the user's other tokens.

knox's `TokenAuthentication` reads every token of the user on every request to delete the expired
ones (one query more on each API call, growing with the user's tokens). A request only needs its
own token checked: an expired token is refused here as in knox, and the others are purged by
`accounts.purge_tokens` on a beat schedule.
"""

from __future__ import annotations

from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication


class TokenAuthentication(KnoxTokenAuthentication):
    def _cleanup_token(self, auth_token) -> bool:
        """True (skip this token) if it has expired; deletes it then, as knox does."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False
