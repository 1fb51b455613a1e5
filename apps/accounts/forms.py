from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UserCreationForm

from apps.accounts import throttle
from apps.accounts.models import Profile
from apps.core.clientip import client_ip


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=True, help_text="Used only to reset your password.")

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
    timezone = forms.ChoiceField(
        choices=[(tz, tz) for tz in sorted(zoneinfo.available_timezones())],
        help_text="Dates and your streak of active days use this time zone.",
    )
    extended_time_percent = forms.TypedChoiceField(
        label="Timer length", choices=Profile.ExtendedTime.choices, coerce=int,
        help_text="Stretches the timer of every unranked quiz and match. Ranked play is always "
                  "standard time.",
    )
