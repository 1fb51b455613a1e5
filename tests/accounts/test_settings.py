from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_it_saves_the_time_zone_and_extended_time(client, world):
    client.force_login(world["learner"])
    response = client.post(reverse("accounts:settings"), {
        "timezone": "Europe/Paris", "extended_time_percent": "150"})
    assert response.status_code == 302
    profile = world["learner"].profile
    profile.refresh_from_db()
    assert profile.timezone == "Europe/Paris"
    assert profile.time_factor == 1.5


def test_it_activates_the_users_time_zone(client, world):
    world["learner"].profile.timezone = "Asia/Tokyo"
    world["learner"].profile.save()
    client.force_login(world["learner"])
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 200
    assert timezone.get_current_timezone_name() == "UTC"  # deactivated after the request
    assert 'value="Asia/Tokyo" selected' in response.content.decode()


@pytest.mark.parametrize("data", [
    {"timezone": "Mars/Olympus", "extended_time_percent": "100"},
    {"timezone": "UTC", "extended_time_percent": "300"},
])
def test_it_refuses_bad_values_and_changes_nothing(client, world, data):
    client.force_login(world["learner"])
    response = client.post(reverse("accounts:settings"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    world["learner"].profile.refresh_from_db()
    assert world["learner"].profile.timezone == "UTC"
    assert world["learner"].profile.extended_time_percent == 100


def test_settings_need_a_login(client):
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
