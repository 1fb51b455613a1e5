"""Writes for accounts."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from apps.accounts.models import Profile
from apps.accounts.roles import instructor_group


@transaction.atomic
def user_create(*, username: str, email: str, password: str,
                timezone: str = "UTC") -> AbstractUser:
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    Profile.objects.create(user=user, timezone=timezone)
    return user


def profile_get_or_create(*, user: AbstractUser) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def profile_update(*, user: AbstractUser, timezone: str, extended_time_percent: int) -> Profile:
    profile = profile_get_or_create(user=user)
    profile.timezone = timezone
    profile.extended_time_percent = extended_time_percent
    profile.full_clean()
    profile.save(update_fields=["timezone", "extended_time_percent"])
    return profile


def instructor_grant(*, user: AbstractUser) -> None:
    user.groups.add(instructor_group())


def instructor_revoke(*, user: AbstractUser) -> None:
    user.groups.remove(instructor_group())


class TokenLimitReached(Exception):
    pass


def token_create(*, user: AbstractUser) -> tuple[AuthToken, str]:
    """A new API token, unless the user already holds TOKEN_LIMIT_PER_USER unexpired ones.
    Takes the user's row lock, so parallel requests cannot pass the limit together."""
    limit = settings.REST_KNOX["TOKEN_LIMIT_PER_USER"]
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        active = AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).count()
        if active >= limit:
            raise TokenLimitReached(
                f"You already have {limit} active API tokens: revoke one (DELETE "
                "/api/v1/auth/token/ with it) or wait for one to expire.")
        return AuthToken.objects.create(user=user)


def tokens_revoke_on_password_change(sender, instance, raw=False, **kwargs) -> None:
    """pre_save of the user model: when the stored password hash changes, delete the user's API
    tokens once the save commits (sessions are rotated by Django the same way)."""
    if raw or instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if before is not None and before != instance.password:
        user_id = instance.pk
        transaction.on_commit(lambda: AuthToken.objects.filter(user_id=user_id).delete())


def tokens_purge_expired() -> int:
    """Delete expired API tokens (apps.accounts.auth no longer sweeps them on each request)."""
    deleted, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
    return deleted
