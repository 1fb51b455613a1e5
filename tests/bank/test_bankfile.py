"""The bank format's validation: every refusal names the file and line."""

from __future__ import annotations

import pytest

from apps.bank.bankfile import BankError, read_bank
from tests.factories import FIXTURE_BANK, write_bank

VALID = """\
- id: serialization-sample-question
  type: single
  style: concept
  difficulty: 2
  topics: [serialization]
  resources:
    - slug: safetensors
      locator: README
  stem: What does the header hold?
  choices:
    - text: Tensor names, dtypes, shapes and offsets
      correct: true
    - text: Python code to rebuild the model
      misconception: Thinks the header is executable.
  explanation: The header is JSON metadata.
"""


def errors_for(tmp_path, text: str) -> list[str]:
    write_bank(tmp_path, text)
    with pytest.raises(BankError) as exc:
        read_bank(tmp_path)
    return exc.value.errors


def test_it_reads_the_fixture_bank():
    bank = read_bank(FIXTURE_BANK)
    assert [q.id for q in bank.questions][:3] == [
        "serialization-fixture-reduce", "serialization-fixture-safetensors-code",
        "hub-risks-fixture-defences",
    ]
    assert len(bank.questions) == 6
    assert bank.questions[2].choices[0].correct is True
    assert bank.questions[2].artifact_kind == "log"


def test_it_accepts_a_valid_question(tmp_path):
    write_bank(tmp_path, VALID)
    assert len(read_bank(tmp_path).questions) == 1


@pytest.mark.parametrize(
    ("old", "new", "message", "line"),
    [
        ("slug: safetensors", "slug: no-such-resource", "unknown resource 'no-such-resource'", 7),
        ("topics: [serialization]", "topics: [serialization, nope]", "unknown topic 'nope'", 5),
        ("type: single", "type: essay", "type must be one of", 2),
        ("difficulty: 2", "difficulty: 5", "difficulty must be 1, 2 or 3", 4),
        ("      correct: true\n", "", "no choice is marked correct", 11),
        ("      misconception: Thinks the header is executable.\n", "",
         "needs a misconception", 11),
        ("id: serialization-sample-question", "id: hub-risks-sample", "must start with its main "
         "topic", 1),
        ("id: serialization-sample-question", "id: Serialization_1", "id must be lowercase", 1),
        ("      correct: true", "      corect: true", "unknown key 'corect'", 11),
        ("explanation: The header is JSON metadata.",
         "explanation: !!python/object/apply:os.system [ls]", "YAML tag", 15),
    ],
)
def test_it_refuses_a_broken_question_with_file_and_line(tmp_path, old, new, message, line):
    assert old in VALID
    errors = errors_for(tmp_path, VALID.replace(old, new))
    assert any(message in e for e in errors), errors
    assert any(e.startswith(f"{tmp_path / 'questions.yaml'}:{line}:") for e in errors), errors


def test_it_refuses_duplicate_ids_across_files(tmp_path):
    write_bank(tmp_path, VALID)
    (tmp_path / "more.yaml").write_text(VALID)
    with pytest.raises(BankError) as exc:
        read_bank(tmp_path)
    assert any("duplicate id 'serialization-sample-question'" in e for e in exc.value.errors)


def test_it_refuses_two_correct_choices_in_a_single_question(tmp_path):
    text = VALID.replace("      misconception: Thinks the header is executable.",
                         "      correct: true")
    assert any("exactly one correct choice" in e for e in errors_for(tmp_path, text))


def test_it_refuses_a_true_false_question_without_true_and_false(tmp_path):
    text = VALID.replace("type: single", "type: true_false")
    assert any("exactly the choices True and False" in e for e in errors_for(tmp_path, text))


def test_it_reports_invalid_yaml_with_its_line(tmp_path):
    errors = errors_for(tmp_path, VALID + "  stem: [unclosed\n")
    assert any("invalid YAML" in e for e in errors)


def test_it_refuses_a_file_that_is_not_a_list(tmp_path):
    errors = errors_for(tmp_path, "id: x\n")
    assert any("must be a YAML list" in e for e in errors)


def test_it_refuses_non_utf8_files(tmp_path):
    write_bank(tmp_path, VALID)
    (tmp_path / "latin.yaml").write_bytes("- id: caf\xe9\n".encode("latin-1"))
    with pytest.raises(BankError) as exc:
        read_bank(tmp_path)
    assert any("not valid UTF-8" in e for e in exc.value.errors)


def test_it_refuses_duplicate_keys_instead_of_keeping_the_last(tmp_path):
    text = VALID.replace("  difficulty: 2\n", "  difficulty: 2\n  difficulty: 3\n")
    assert any("duplicate key 'difficulty'" in e for e in errors_for(tmp_path, text))


def test_it_reads_atlas_ids_and_when_the_facts_were_checked(tmp_path):
    write_bank(tmp_path, VALID + "  atlas: [AML.T0010.003, AML.M0014, AML.CS0031]\n"
               "  checked: '2026-12'\n  checked_against: safetensors v0.5.3 README\n")
    question = read_bank(tmp_path).questions[0]
    assert question.atlas == ("AML.T0010.003", "AML.M0014", "AML.CS0031")
    assert question.checked == "2026-12"
    assert question.content()["checked_against"] == "safetensors v0.5.3 README"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("  atlas: [T0010]\n", "'T0010' is not an ATLAS id"),
        ("  atlas: AML.T0010\n", "atlas must be a list"),
        ("  atlas: [AML.M0014, AML.M0014]\n", "listed twice"),
        ("  checked: 2026-13\n", "checked must be a year and month"),
        ("  checked: december\n", "checked must be a year and month"),
        ("  checked_against: v1.0\n", "checked_against needs checked"),
        ("  checked: '2026-12'\n  checked_against: " + "x" * 501 + "\n", "the limit is 500"),
    ],
)
def test_it_refuses_a_malformed_atlas_or_checked_field(tmp_path, extra, message):
    errors = errors_for(tmp_path, VALID + extra)
    assert any(message in e for e in errors), errors


def test_it_refuses_an_atlas_id_missing_from_the_vendored_list_with_file_and_line(tmp_path):
    errors = errors_for(tmp_path, VALID + "  atlas: [AML.T0010.003, AML.T9999]\n")
    assert len(errors) == 1
    assert errors[0].startswith(f"{tmp_path / 'questions.yaml'}:16: ")
    assert "'AML.T9999' is not in the vendored MITRE ATLAS list (ATLAS 5.6.0" in errors[0]


def _mark_superseded(folder, line: str) -> None:
    resources = (folder / "resources.yaml").read_text()
    marker = "- slug: safetensors\n"
    head, tail = resources.split(marker, 1)
    entry, rest = tail.split("\n- ", 1)
    (folder / "resources.yaml").write_text(head + marker + entry + f"\n{line}\n- " + rest)


def test_it_reads_a_superseded_resource(tmp_path):
    write_bank(tmp_path, VALID)
    _mark_superseded(tmp_path, '  superseded: "README removed in PR #579; cite commit abc123"')
    resource = {r.slug: r for r in read_bank(tmp_path).resources}["safetensors"]
    assert resource.superseded == "README removed in PR #579; cite commit abc123"


@pytest.mark.parametrize(("line", "message"), [
    ("  superseded: ''", "superseded must say why and what replaces it"),
    ("  superseded: [a, b]", "superseded must say why and what replaces it"),
    ("  superseded: " + "x" * 301, "superseded is 301 characters long; the limit is 300"),
])
def test_it_refuses_a_malformed_superseded_note(tmp_path, line, message):
    write_bank(tmp_path, VALID)
    _mark_superseded(tmp_path, line)
    with pytest.raises(BankError) as exc:
        read_bank(tmp_path)
    assert any("resources.yaml:" in e and message in e for e in exc.value.errors), exc.value.errors
