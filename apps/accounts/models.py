from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone.")


class Profile(models.Model):
    class ExtendedTime(models.IntegerChoices):
        STANDARD = 100, "Standard time"
        ONE_AND_HALF = 150, "Extended time ×1.5"
        DOUBLE = 200, "Extended time ×2"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="profile")
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    # Stretches every unranked timer for learners who need more time; ranked play ignores it.
    extended_time_percent = models.PositiveSmallIntegerField(choices=ExtendedTime.choices,
                                                             default=ExtendedTime.STANDARD)

    def __str__(self) -> str:
        return f"profile of {self.user}"

    @property
    def time_factor(self) -> float:
        return self.extended_time_percent / 100
