"""apps.bank.selectors: what learners may be served, narrowed by a focus."""

from __future__ import annotations

import pytest

from apps.bank.models import Question
from apps.bank.selectors import atlas_ids_in_use, published_versions
from tests.factories import load_small_bank_with_atlas

pytestmark = pytest.mark.django_db

ATLAS = {"serialization-fixture-reduce": ["AML.T0010.003", "AML.M0014"],
         "hub-risks-fixture-defences": ["AML.T0010"],
         "signing-attestation-fixture-rekor": ["AML.M0013"]}


def slugs(qs) -> set[str]:
    return set(qs.values_list("question__slug", flat=True))


def test_a_technique_focus_includes_its_sub_techniques(tmp_path):
    load_small_bank_with_atlas(tmp_path, ATLAS)
    assert slugs(published_versions(atlas="AML.T0010")) == {"serialization-fixture-reduce",
                                                            "hub-risks-fixture-defences"}
    assert slugs(published_versions(atlas="AML.T0010.003")) == {"serialization-fixture-reduce"}
    assert slugs(published_versions(atlas="AML.M0014")) == {"serialization-fixture-reduce"}
    assert slugs(published_versions(atlas="AML.M001")) == set()  # no prefix match on mitigations


def test_the_ids_in_use_come_from_published_questions_with_their_parent_technique(tmp_path):
    load_small_bank_with_atlas(tmp_path, ATLAS)
    assert atlas_ids_in_use() == ["AML.M0013", "AML.M0014", "AML.T0010", "AML.T0010.003"]
    Question.objects.filter(slug="signing-attestation-fixture-rekor").update(status="retired")
    assert "AML.M0013" not in atlas_ids_in_use()
