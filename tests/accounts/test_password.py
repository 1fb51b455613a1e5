from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
NEW = "another long passphrase 77"


def test_it_changes_the_password(client, world):
    client.force_login(world["learner"])
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    world["learner"].refresh_from_db()
    assert world["learner"].check_password(NEW)


def test_it_refuses_a_change_with_the_wrong_old_password(client, world):
    client.force_login(world["learner"])
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "wrong", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 200
    world["learner"].refresh_from_db()
    assert world["learner"].check_password(PASSWORD)


def test_it_resets_the_password_by_email(client, world):
    response = client.post(reverse("accounts:password_reset"), {"email": "learner@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django redirects to a URL without the token
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    world["learner"].refresh_from_db()
    assert world["learner"].check_password(NEW)


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, world):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []
