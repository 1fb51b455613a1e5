"""The one place a password is checked.

Every password check goes through Django's `authenticate()`, and so through this backend: the
sign-in page, the Django admin's sign-in, the API token endpoint and the old password of a
password change. Failures are counted per account name and per client address
(apps.accounts.throttle); while either is locked, even the right password is refused, so the
lock-out cannot be sidestepped through another door.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from apps.accounts import throttle
from apps.core.clientip import client_ip

PATH = "apps.accounts.backends.ThrottledModelBackend"


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        name = str(username or "")
        ip = client_ip(request) if request is not None else "unknown"
        if throttle.login_locked(name, ip):
            # PermissionDenied stops authenticate() at once: no other backend is tried.
            raise PermissionDenied(throttle.LOCKOUT_MESSAGE)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.login_failed(name, ip)
        else:
            throttle.login_succeeded(name)
        return user
