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
    html = response.content.decode()
    assert 'value="Asia/Tokyo"' in html and 'list="timezone-options"' in html
    assert '<datalist id="timezone-options">' in html and '<option value="Europe/Paris">' in html


@pytest.mark.parametrize("typed, saved", [("europe/paris", "Europe/Paris"),
                                          ("  Asia/Tokyo ", "Asia/Tokyo")])
def test_a_typed_zone_is_matched_whatever_its_case(client, world, typed, saved):
    client.force_login(world["learner"])
    response = client.post(reverse("accounts:settings"), {
        "timezone": typed, "extended_time_percent": "100"})
    assert response.status_code == 302
    world["learner"].profile.refresh_from_db()
    assert world["learner"].profile.timezone == saved


def test_an_unknown_zone_is_refused_with_suggestions(client, world):
    client.force_login(world["learner"])
    response = client.post(reverse("accounts:settings"), {
        "timezone": "paris", "extended_time_percent": "100"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not a time zone" in html and "Did you mean Europe/Paris?" in html
    world["learner"].profile.refresh_from_db()
    assert world["learner"].profile.timezone == "UTC"


@pytest.mark.parametrize("data", [
    {"timezone": "Mars/Olympus", "extended_time_percent": "100"},
    {"timezone": "UTC", "extended_time_percent": "300"},
])
def test_it_refuses_bad_values_and_changes_nothing(client, world, data):
    client.force_login(world["learner"])
    response = client.post(reverse("accounts:settings"), data)
    assert response.status_code == 200
    assert ("is not a time zone" in response.content.decode()
            or "Select a valid choice" in response.content.decode())
    world["learner"].profile.refresh_from_db()
    assert world["learner"].profile.timezone == "UTC"
    assert world["learner"].profile.extended_time_percent == 100


def test_settings_need_a_login(client):
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
