from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UserCreationForm

from apps.accounts import throttle
from apps.accounts.models import Profile
from apps.core.clientip import client_ip


def _zone_or_utc(value: str) -> str:
    return value if value in zoneinfo.available_timezones() else "UTC"


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=True, help_text="Used only to reset your password.")
    # Filled by the page with the browser's own zone (app.js); anything unknown means UTC, and
    # Settings can change it later.
    timezone = forms.CharField(required=False, max_length=64,
                               widget=forms.HiddenInput(attrs={"data-browser-timezone": ""}))

    def clean_timezone(self) -> str:
        return _zone_or_utc(self.cleaned_data.get("timezone") or "")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


class ThrottledAuthenticationForm(AuthenticationForm):
    """Sign-in. The counting happens in the authentication backend (apps.accounts.backends);
    this form only names the lock-out, with the same words whether or not the account exists."""

    def clean(self):
        username = self.data.get("username", "")
        ip = client_ip(self.request) if self.request else "unknown"
        if throttle.login_locked(username, ip):
            raise forms.ValidationError(throttle.LOCKOUT_MESSAGE, code="locked")
        return super().clean()


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """The old password is checked through authenticate(), so it counts toward the same
    lock-out as a sign-in (a stolen session cannot guess the password here)."""

    def __init__(self, user, *args, request=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        ip = client_ip(self.request) if self.request else "unknown"
        if throttle.login_locked(self.user.get_username(), ip):
            raise forms.ValidationError(throttle.LOCKOUT_MESSAGE, code="locked")
        if authenticate(self.request, username=self.user.get_username(), password=old) is None:
            raise forms.ValidationError(self.error_messages["password_incorrect"],
                                        code="password_incorrect")
        return old


class ProfileForm(forms.Form):
    timezone = forms.CharField(
        label="Time zone", max_length=64,
        widget=forms.TextInput(attrs={"list": "timezone-options", "autocomplete": "off",
                                      "spellcheck": "false"}),
        help_text="Type to search (a city or region, e.g. Paris or America/). Dates and your "
                  "streak of active days use this time zone.",
    )
    extended_time_percent = forms.TypedChoiceField(
        label="Timer length", choices=Profile.ExtendedTime.choices, coerce=int,
        help_text="Stretches the timer of every unranked quiz and match. Ranked play is always "
                  "standard time.",
    )

    def clean_timezone(self) -> str:
        value = self.cleaned_data["timezone"].strip()
        if value in zoneinfo.available_timezones():
            return value
        by_case = {tz.lower(): tz for tz in zoneinfo.available_timezones()}
        if value.lower() in by_case:
            return by_case[value.lower()]
        matches = sorted(tz for tz in zoneinfo.available_timezones()
                         if value and value.lower().replace(" ", "_") in tz.lower())
        hint = f" Did you mean {', '.join(matches[:3])}?" if matches else ""
        raise forms.ValidationError(
            f"“{value[:64]}” is not a time zone: pick one from the list (such as Europe/Paris "
            f"or America/New_York).{hint}", code="unknown_timezone")


def timezone_options() -> list[str]:
    return sorted(zoneinfo.available_timezones())
