"""The canonical YAML form: exportbank after loadbank reproduces a formatted bank byte for byte."""

from __future__ import annotations

import io
import shutil

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.bank.bankfile import read_bank
from tests.factories import FIXTURE_BANK

pytestmark = pytest.mark.django_db


def _copy_bank(tmp_path):
    folder = tmp_path / "bank"
    shutil.copytree(settings.BANK_DIR, folder, ignore=shutil.ignore_patterns("artifacts"))
    return folder


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.yaml"))}


def test_it_makes_exportbank_reproduce_the_shipped_bank_byte_for_byte(tmp_path):
    folder = _copy_bank(tmp_path)
    before = [q.content() for q in read_bank(folder).questions]
    call_command("formatbank", str(folder), stdout=io.StringIO())
    formatted = _snapshot(folder)
    assert [q.content() for q in read_bank(folder).questions] == before  # data unchanged

    call_command("loadbank", str(folder), stdout=io.StringIO())
    call_command("exportbank", str(folder), stdout=io.StringIO())
    exported = _snapshot(folder)
    # names only: a failing comparison of whole files would make pytest diff megabytes
    assert sorted(exported) == sorted(formatted)
    assert [name for name in formatted if exported[name] != formatted[name]] == []


def test_it_keeps_the_comment_block_at_the_top_of_each_file(tmp_path):
    folder = _copy_bank(tmp_path)
    header = (settings.BANK_DIR / "serialization.yaml").read_text().split("\n- id:")[0]
    call_command("formatbank", str(folder), stdout=io.StringIO())
    assert (folder / "serialization.yaml").read_text().startswith(header.rstrip() + "\n\n- id:")


def test_it_exports_into_an_empty_folder_the_same_data(tmp_path):
    folder = _copy_bank(tmp_path)
    call_command("formatbank", str(folder), stdout=io.StringIO())
    call_command("loadbank", str(folder), stdout=io.StringIO())
    out = tmp_path / "out"
    call_command("exportbank", str(out), stdout=io.StringIO())
    differ = []
    for name, data in _snapshot(out).items():
        without_header = (folder / name).read_text().lstrip()
        while without_header.startswith("#"):
            without_header = without_header.split("\n", 1)[1].lstrip()
        if data.decode() != without_header:
            differ.append(name)
    assert differ == []


def test_it_checks_without_writing_and_fails_on_a_non_canonical_bank(tmp_path):
    folder = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, folder)
    (folder / "questions.yaml").write_text(
        (folder / "questions.yaml").read_text() + "\n\n\n")  # stray blank lines
    before = (folder / "questions.yaml").read_bytes()
    with pytest.raises(CommandError, match="not in the canonical form"):
        call_command("formatbank", str(folder), "--check", stdout=io.StringIO())
    assert (folder / "questions.yaml").read_bytes() == before
    call_command("formatbank", str(folder), stdout=io.StringIO())
    call_command("formatbank", str(folder), "--check", stdout=io.StringIO())  # now passes


def test_it_refuses_to_format_an_invalid_bank(tmp_path):
    folder = _copy_bank(tmp_path)
    (folder / "broken.yaml").write_text("- id: nope\n")
    with pytest.raises(CommandError, match="nothing was formatted"):
        call_command("formatbank", str(folder), stdout=io.StringIO(), stderr=io.StringIO())
