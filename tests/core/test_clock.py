from __future__ import annotations

import time

import pytest
from django.template import Context, Template

pytestmark = pytest.mark.django_db


def test_every_response_tells_the_servers_time(client):
    before = int(time.time() * 1000)
    for url in ("/", "/healthz", "/api/v1/nowhere/"):
        stamp = int(client.get(url)["X-Server-Now-Ms"])
        assert before <= stamp <= int(time.time() * 1000)


def test_pages_and_countdowns_carry_the_time_they_were_rendered():
    before = int(time.time() * 1000)
    rendered = int(Template("{% server_now_ms %}").render(Context()))
    assert before <= rendered <= int(time.time() * 1000)


def test_the_page_element_carries_it_too(client):
    html = client.get("/").content.decode()
    assert '<html lang="en" data-server-now-ms="' in html
