from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_lists_resources_for_anyone(client, small_bank):
    response = client.get("/api/v1/resources/")
    assert response.status_code == 200
    by_slug = {r["slug"]: r for r in response.json()}
    assert by_slug["safetensors"]["question_count"] == 1
    assert set(by_slug["slsa"]) == {"slug", "title", "publisher", "year", "url", "kind",
                                    "question_count"}


def test_it_lists_topics(client, small_bank):
    response = client.get("/api/v1/topics/")
    assert response.status_code == 200
    assert {t["slug"] for t in response.json()} >= {"serialization", "ml-threats"}


def test_responses_carry_no_answer_key(client, small_bank):
    body = client.get("/api/v1/resources/").content + client.get("/api/v1/topics/").content
    assert b"correct" not in body and b"misconception" not in body
