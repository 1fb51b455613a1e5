"""Writes for accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from apps.accounts.models import Profile
from apps.accounts.roles import instructor_group


@transaction.atomic
def user_create(*, username: str, email: str, password: str) -> AbstractUser:
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    Profile.objects.create(user=user)
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
