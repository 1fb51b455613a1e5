import zoneinfo

from django.utils import timezone

SESSION_TZ = "accounts_tz"


class UserTimezoneMiddleware:
    """Show times in the signed-in user's time zone (stored on their profile, and remembered in
    the session so that a request does not read the profile: the settings page updates both)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tz = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = getattr(request, "session", None)
            name = session.get(SESSION_TZ) if session is not None else None
            if name is None:
                profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
                name = profile.timezone if profile is not None else ""
                if session is not None:
                    session[SESSION_TZ] = name
            try:
                tz = zoneinfo.ZoneInfo(name) if name else None
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                tz = None
        if tz is not None:
            timezone.activate(tz)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            # Threads are reused across requests: never leak one user's zone into the next.
            timezone.deactivate()
