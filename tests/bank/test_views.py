from __future__ import annotations

import pytest
from django.urls import reverse

from apps.bank.models import Choice, Question

pytestmark = pytest.mark.django_db


def test_it_lists_resources_with_their_question_counts(client, small_bank):
    response = client.get(reverse("bank:resources"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "safetensors documentation" in html
    rows = {r.slug: r.question_count for r in response.context["resources"]}
    assert rows["safetensors"] == 1
    assert rows["hf-model-security"] == 1
    assert rows["badnets"] == 0


def test_it_does_not_count_retired_questions(client, small_bank):
    Question.objects.filter(slug="serialization-fixture-safetensors-code").update(status="retired")
    response = client.get(reverse("bank:resources"))
    rows = {r.slug: r.question_count for r in response.context["resources"]}
    assert rows["safetensors"] == 0


def test_it_lists_topics(client, small_bank):
    response = client.get(reverse("bank:topics"))
    assert response.status_code == 200
    counts = {t.slug: t.question_count for t in response.context["topics"]}
    assert counts["serialization"] == 2
    assert counts["hub-risks"] == 1
    assert "Serialization and safe formats" in response.content.decode()


@pytest.mark.parametrize("name", ["core:home", "bank:resources", "bank:topics"])
def test_public_pages_never_show_an_answer_key(client, small_bank, name):
    html = client.get(reverse(name)).content.decode()
    for choice in Choice.objects.all():
        assert choice.text not in html
        if choice.misconception:
            assert choice.misconception not in html


def test_resources_keep_the_registry_order(client, small_bank):
    response = client.get(reverse("bank:resources"))
    slugs = [r.slug for r in response.context["resources"]]
    assert slugs[:3] == ["owasp-ml-top10", "hf-security-docs", "trail-of-bits"]
