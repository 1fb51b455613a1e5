from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["core:home", "bank:resources", "accounts:login",
                                  "accounts:signup", "api-docs"])
def test_pages_send_a_csp_without_inline_scripts(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    html = response.content.decode()
    # Every <script> has a src: no inline code for the policy to block.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag


def test_the_base_page_sends_the_csrf_token_to_htmx(client):
    html = client.get(reverse("core:home")).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert "htmx-2.0.11.min.js" in html


def test_the_api_docs_work_offline(client):
    html = client.get(reverse("api-docs")).content.decode()
    assert "drf_spectacular_sidecar" in html or "/static/" in html
    assert "cdn" not in html.lower()
