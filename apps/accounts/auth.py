"""API token authentication: knox's, with its token lookup compiled once and without its
per-request sweep of the user's other tokens.

knox's `TokenAuthentication` reads every token of the user on every request to delete the expired
ones (one query more on each API call, growing with the user's tokens). A request only needs its
own token checked: an expired token is refused here as in knox, and the others are purged by
`accounts.purge_tokens` on a beat schedule.

The lookup itself (the token rows with this key prefix, with their user) runs on every API call;
its SQL is compiled once per process (apps.core.compiled) instead of being rebuilt by the ORM each
time. The check is knox's: the digest of the presented token compared in constant time, expired
tokens deleted and refused, inactive users refused.
"""

from __future__ import annotations

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions

from apps.core.compiled import CompiledQuery

_TOKENS_BY_KEY = CompiledQuery(
    lambda key: get_token_model().objects.filter(token_key=key).select_related("user"),
    "\x1ftoken-key-marker\x1f")


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        msg = _("Invalid token.")
        try:
            token = token.decode("utf-8")
        except UnicodeDecodeError:  # knox would fail with a 500 here
            raise exceptions.AuthenticationFailed(msg) from None
        for auth_token in _TOKENS_BY_KEY.fetch(token[:CONSTANTS.TOKEN_KEY_LENGTH]):
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(msg) from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(msg)

    def _cleanup_token(self, auth_token) -> bool:
        """True (skip this token) if it has expired; deletes it then, as knox does."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False
