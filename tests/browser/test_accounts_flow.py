from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_up(page, username: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password", exact=True).fill("a very long passphrase 42")
    page.get_by_label("Password confirmation").fill("a very long passphrase 42")
    page.get_by_role("main").get_by_role("button", name="Sign up").click()
    page.get_by_text(f"Welcome, {username}!").wait_for()


def test_a_visitor_signs_up_logs_in_and_opens_the_resources(page, small_bank):
    page.goto("/")
    page.get_by_role("navigation").get_by_text("Sign up").click()
    sign_up(page, "grace")

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("navigation").get_by_text("Log in").click()
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Password").fill("a very long passphrase 42")
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Settings for grace").wait_for()

    page.get_by_role("link", name="Resources").click()
    page.get_by_role("heading", name="Curated resources").wait_for()
    row = page.get_by_role("row", name="safetensors documentation")
    assert row.get_by_role("cell").last.inner_text() == "1"
    # The CSP blocks nothing the page needs: no console errors, htmx loaded from our origin.
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.console_errors == []


def test_a_wrong_password_shows_an_error_and_keeps_the_username(page, world):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("learner")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.get_by_role("alert").filter(has_text="correct username and password").wait_for()
    assert page.get_by_label("Username").input_value() == "learner"


def test_sign_up_takes_the_browsers_time_zone_and_settings_offer_it(browser, live_server,
                                                                    small_bank):
    from django.contrib.auth import get_user_model

    context = browser.new_context(base_url=live_server.url, timezone_id="America/Chicago")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/signup/")
    sign_up(page, "ada")
    assert get_user_model().objects.get(username="ada").profile.timezone == "America/Chicago"

    page.goto("/accounts/settings/")
    zone = page.get_by_label("Time zone")
    assert zone.input_value() == "America/Chicago"
    assert not page.locator(".browser-timezone").is_visible()  # already the browser's zone
    zone.fill("Europe/Pa")  # the datalist offers matching zones as one types
    assert page.locator('#timezone-options option[value="Europe/Paris"]').count() == 1
    zone.fill("Europe/Paris")
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Your settings are saved.").wait_for()
    button = page.get_by_role("button", name="Use this browser's time zone (America/Chicago)")
    button.click()
    assert page.get_by_label("Time zone").input_value() == "America/Chicago"
    context.close()
