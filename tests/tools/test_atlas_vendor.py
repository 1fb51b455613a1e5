"""tools/atlas_vendor.py: the vendored ATLAS list is extracted from a release, with its origin."""

from __future__ import annotations

import json
import subprocess

from tools import atlas_vendor

ATLAS_YAML = """\
id: ATLAS
name: Adversarial Threat Landscape for AI Systems
version: 9.1.0
matrices:
- id: ATLAS
  tactics:
  - id: AML.TA0004
    name: Initial Access
  techniques:
  - id: AML.T0010
    name: AI Supply Chain Compromise
  - id: AML.T0010.003
    name: Model
    subtechnique-of: AML.T0010
  mitigations:
  - id: AML.M0014
    name: Verify AI Artifacts
case-studies:
- id: AML.CS0031
  name: Malicious Models on Hugging Face
"""


def _repo(tmp_path, text=ATLAS_YAML, tag="v9.1.0"):
    repo = tmp_path / "atlas-data"
    (repo / "dist").mkdir(parents=True)
    (repo / "dist" / "ATLAS.yaml").write_text(text)

    def git(*args):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "release")
    git("tag", tag)
    return repo


def test_it_extracts_techniques_sub_techniques_mitigations_and_case_studies():
    import yaml

    ids = atlas_vendor.extract(yaml.safe_load(ATLAS_YAML))
    assert ids == {
        "AML.CS0031": {"kind": "case-study", "name": "Malicious Models on Hugging Face"},
        "AML.M0014": {"kind": "mitigation", "name": "Verify AI Artifacts"},
        "AML.T0010": {"kind": "technique", "name": "AI Supply Chain Compromise"},
        "AML.T0010.003": {"kind": "sub-technique", "name": "AI Supply Chain Compromise: Model"},
    }  # tactics are not question subjects, so they are left out


def test_it_records_the_release_tag_commit_and_digest(tmp_path, capsys):
    repo = _repo(tmp_path)
    out = tmp_path / "atlas.json"
    assert atlas_vendor.main([str(repo), "--output", str(out)]) == 0
    data = json.loads(out.read_text())
    commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True,
                            text=True, check=True).stdout.strip()
    assert (data["release"], data["tag"], data["commit"]) == ("9.1.0", "v9.1.0", commit)
    assert len(data["sha256"]) == 64 and len(data["ids"]) == 4
    assert "ATLAS 9.1.0 (v9.1.0" in capsys.readouterr().out


def test_an_upgrade_lists_removed_and_renamed_ids_for_review(tmp_path, capsys):
    out = tmp_path / "atlas.json"
    atlas_vendor.main([str(_repo(tmp_path / "old")), "--output", str(out)])
    newer = ATLAS_YAML.replace("name: Verify AI Artifacts", "name: Verify AI Artefacts").replace(
        "- id: AML.CS0031\n  name: Malicious Models on Hugging Face\n", "[]\n").replace(
        "case-studies:\n[]", "case-studies: []")
    capsys.readouterr()
    atlas_vendor.main([str(_repo(tmp_path / "new", newer, "v9.2.0")), "--output", str(out)])
    printed = capsys.readouterr().out
    assert "removed (1): AML.CS0031" in printed
    assert "renamed (1): AML.M0014" in printed
    assert "must be re-checked" in printed


def test_the_vendored_list_parses_and_names_the_release_it_came_from():
    data = json.loads(atlas_vendor.OUTPUT.read_text())
    assert data["source"] == "https://github.com/mitre-atlas/atlas-data"
    assert len(data["commit"]) == 40 and data["release"]
    assert data["ids"]["AML.T0010.003"]["name"] == "AI Supply Chain Compromise: Model"
