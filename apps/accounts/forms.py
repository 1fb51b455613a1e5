from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from apps.accounts import throttle
from apps.accounts.models import Profile
from apps.core.clientip import client_ip


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=True, help_text="Used only to reset your password.")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self):
        username = self.data.get("username", "")
        ip = client_ip(self.request) if self.request else "unknown"
        if throttle.login_locked(username, ip):
            raise forms.ValidationError(throttle.LOCKOUT_MESSAGE, code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.login_failed(username, ip)
            raise
        throttle.login_succeeded(username)
        return cleaned


class ProfileForm(forms.Form):
    timezone = forms.ChoiceField(
        choices=[(tz, tz) for tz in sorted(zoneinfo.available_timezones())],
        help_text="Dates and your streak of active days use this time zone.",
    )
    extended_time_percent = forms.TypedChoiceField(
        label="Timer length", choices=Profile.ExtendedTime.choices, coerce=int,
        help_text="Stretches the timer of every unranked quiz and match. Ranked play is always "
                  "standard time.",
    )
