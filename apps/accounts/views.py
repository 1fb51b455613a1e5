from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from apps.accounts import backends
from apps.accounts.forms import (
    ProfileForm,
    SignupForm,
    ThrottledPasswordChangeForm,
    timezone_options,
)
from apps.accounts.middleware import SESSION_TZ
from apps.accounts.services import profile_get_or_create, profile_update, user_create
from apps.core.ratelimit import rate_limit
from apps.core.redirects import safe_next
from apps.quiz.selectors import session_attempt_ids
from apps.quiz.services import quiz_claim


@require_http_methods(["GET", "POST"])
@rate_limit("signup", by_address=True)
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_create(username=form.cleaned_data["username"],
                           email=form.cleaned_data["email"],
                           password=form.cleaned_data["password1"],
                           timezone=form.cleaned_data["timezone"])
        request.session[SESSION_TZ] = form.cleaned_data["timezone"]
        # Keep the quizzes this visitor just took: they were tied to the browser session.
        quiz_claim(user=user, public_ids=session_attempt_ids(request.session))
        login(request, user, backend=backends.PATH)
        messages.success(request, f"Welcome, {user.username}! Your account is ready.")
        return redirect(safe_next(request, "core:home"))
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile_settings(request: HttpRequest) -> HttpResponse:
    profile = profile_get_or_create(user=request.user)
    initial = {"timezone": profile.timezone, "extended_time_percent": profile.extended_time_percent}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        profile_update(user=request.user, **form.cleaned_data)
        request.session[SESSION_TZ] = form.cleaned_data["timezone"]
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html",
                  {"form": form, "timezones": timezone_options()})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view with the old password checked through the throttled backend."""

    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
