"""apps.bank.atlas: the vendored ATLAS list, its names and its links."""

from __future__ import annotations

from apps.bank import atlas


def test_it_links_each_kind_of_id_to_its_atlas_page():
    by_id = {e.id: e for e in atlas.entries_for(
        ["AML.T0010", "AML.T0010.003", "AML.M0014", "AML.CS0031"])}
    assert by_id["AML.T0010"].url == "https://atlas.mitre.org/techniques/AML.T0010"
    assert by_id["AML.T0010.003"].url == "https://atlas.mitre.org/techniques/AML.T0010.003"
    assert by_id["AML.M0014"].url == "https://atlas.mitre.org/mitigations/AML.M0014"
    assert by_id["AML.CS0031"].url == "https://atlas.mitre.org/studies/AML.CS0031"
    assert by_id["AML.M0014"].name == "Verify AI Artifacts"


def test_it_keeps_an_id_a_later_release_removed_without_inventing_a_name():
    [entry] = atlas.entries_for(["AML.T9999.001"])
    assert entry.kind == "sub-technique"
    assert entry.name == "(not in the vendored list)"


def test_it_states_the_release_it_validates_against():
    assert atlas.catalogue().version.startswith("ATLAS 5.6.0 (v5.6.1, commit 8ee2c689a7d3")
