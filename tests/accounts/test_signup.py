from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_creates_an_account_with_a_profile_and_logs_in(client):
    response = client.post(reverse("accounts:signup"), {
        "username": "ada", "email": "ada@example.com",
        "password1": "a very long passphrase 42", "password2": "a very long passphrase 42"})
    assert response.status_code == 302
    user = get_user_model().objects.get(username="ada")
    assert user.profile.timezone == "UTC"
    assert client.get(reverse("core:home")).context["user"] == user


@pytest.mark.parametrize("sent, saved", [("America/Chicago", "America/Chicago"),
                                         ("Not/A_Zone", "UTC"), ("", "UTC")])
def test_it_takes_the_browsers_time_zone_or_utc(client, sent, saved):
    response = client.post(reverse("accounts:signup"), {
        "username": "ada", "email": "ada@example.com", "timezone": sent,
        "password1": "a very long passphrase 42", "password2": "a very long passphrase 42"})
    assert response.status_code == 302
    assert get_user_model().objects.get(username="ada").profile.timezone == saved


def test_it_refuses_mismatched_passwords_and_keeps_the_input(client):
    response = client.post(reverse("accounts:signup"), {
        "username": "ada", "email": "ada@example.com",
        "password1": "a very long passphrase 42", "password2": "different passphrase 42"})
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="ada").exists()
    html = response.content.decode()
    assert "didn’t match" in html or "didn't match" in html
    assert 'value="ada@example.com"' in html


def test_it_refuses_a_taken_username(client, world):
    response = client.post(reverse("accounts:signup"), {
        "username": "learner", "email": "x@example.com",
        "password1": "a very long passphrase 42", "password2": "a very long passphrase 42"})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_it_refuses_a_weak_password(client):
    response = client.post(reverse("accounts:signup"), {
        "username": "ada", "email": "ada@example.com", "password1": "123", "password2": "123"})
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="ada").exists()
