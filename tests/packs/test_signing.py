"""Signed packs: verified only against the site's trusted keys."""

from __future__ import annotations

import base64
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from apps.packs import signing
from tests.packs.conftest import new_key

pytestmark = pytest.mark.django_db


def _pack(private: str) -> bytes:
    return signing.pack_build(files={"topics.yaml": "- slug: a\n", "q.yaml": "[]\n"},
                              key=signing.private_key(private), created="2026-01-01T00:00:00")


def _rezip(data: bytes, change) -> bytes:
    members = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            members[name] = archive.read(name)
    change(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_it_verifies_a_pack_signed_by_a_trusted_key():
    private, public = new_key()
    result = signing.pack_verify(data=_pack(private), trusted_keys=[new_key()[1], public])
    assert result.ok and result.errors == [] and result.key == public
    assert result.files == {"topics.yaml": "- slug: a\n", "q.yaml": "[]\n"}


def test_it_refuses_a_tampered_file():
    private, public = new_key()

    def tamper(members):
        members["bank/q.yaml"] = b"- id: evil\n"

    result = signing.pack_verify(data=_rezip(_pack(private), tamper), trusted_keys=[public])
    assert not result.ok
    assert result.errors == ["bank/q.yaml: SHA-256 does not match the manifest (tampered)"]


def test_it_refuses_a_file_added_or_removed_after_signing():
    private, public = new_key()

    def add(members):
        members["bank/extra.yaml"] = b"[]\n"

    def remove(members):
        del members["bank/q.yaml"]

    added = signing.pack_verify(data=_rezip(_pack(private), add), trusted_keys=[public])
    assert added.errors == ["bank/extra.yaml: in the pack but not in the signed manifest"]
    removed = signing.pack_verify(data=_rezip(_pack(private), remove), trusted_keys=[public])
    assert removed.errors == ["bank/q.yaml: listed in the manifest but missing from the pack"]


def test_it_refuses_a_pack_signed_by_an_untrusted_key():
    private, _ = new_key()
    result = signing.pack_verify(data=_pack(private), trusted_keys=[new_key()[1]])
    assert result.errors == ["the signature does not verify under any trusted key"]


def test_it_refuses_an_unsigned_pack():
    private, public = new_key()

    def strip(members):
        del members["manifest.sig"]

    result = signing.pack_verify(data=_rezip(_pack(private), strip), trusted_keys=[public])
    assert result.errors == ["unsigned pack: manifest.json and manifest.sig are required"]


def test_it_ignores_the_key_carried_in_the_pack():
    """An attacker re-signs a tampered pack with their own key and names it as the signer."""
    private, public = new_key()
    attacker, attacker_public = new_key()

    def resign(members):
        members["bank/q.yaml"] = b"- id: evil\n"
        doc = json.loads(signing.manifest_bytes(
            {k: v for k, v in members.items() if k.startswith("bank/")}, "2026"))
        doc["signer"] = attacker_public
        manifest = json.dumps(doc).encode()
        members["manifest.json"] = manifest
        members["manifest.sig"] = base64.b64encode(signing.private_key(attacker).sign(manifest))

    forged = _rezip(_pack(private), resign)
    assert signing.pack_verify(data=forged, trusted_keys=[public]).errors == [
        "the signature does not verify under any trusted key"]
    # and with no trusted keys nothing verifies, even though the pack names a key
    assert not signing.pack_verify(data=forged, trusted_keys=[]).ok


def test_it_refuses_unsafe_paths_and_garbage():
    private, public = new_key()

    def escape(members):
        members["../evil.yaml"] = b"x"

    assert signing.pack_verify(data=_rezip(_pack(private), escape),
                               trusted_keys=[public]).errors == ["../evil.yaml: unsafe path in "
                                                                 "the pack"]
    assert signing.pack_verify(data=b"not a zip", trusted_keys=[public]).errors == [
        "not a zip archive"]


def test_it_refuses_a_zip_bomb_member(monkeypatch):
    private, public = new_key()
    monkeypatch.setattr(signing, "MAX_MEMBER_BYTES", 1000)

    def bomb(members):
        members["bank/q.yaml"] = b"0" * 100_000

    result = signing.pack_verify(data=_rezip(_pack(private), bomb), trusted_keys=[public])
    assert result.errors == ["bank/q.yaml: the pack is larger than allowed"]


def test_it_refuses_keys_that_are_not_32_raw_bytes():
    with pytest.raises(signing.PackKeyError, match="32 raw bytes"):
        signing.private_key(base64.b64encode(b"short").decode())
    with pytest.raises(signing.PackKeyError, match="base64"):
        signing.public_key("not base64!")


def test_it_exports_and_verifies_from_the_command_line(tmp_path, small_bank, site_key,
                                                       settings):
    path = tmp_path / "pack.zip"
    call_command("exportpack", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("verifypack", str(path), stdout=out)
    assert "verified" in out.getvalue() and site_key[1] in out.getvalue()
    with zipfile.ZipFile(path) as archive:
        assert "bank/questions.yaml" in archive.namelist()

    settings.PACK_TRUSTED_KEYS = [new_key()[1]]
    err = io.StringIO()
    with pytest.raises(CommandError, match="NOT verified"):
        call_command("verifypack", str(path), stdout=io.StringIO(), stderr=err)
    assert "does not verify under any trusted key" in err.getvalue()


def test_it_refuses_to_export_a_pack_without_a_signing_key(tmp_path, small_bank, settings):
    settings.PACK_SIGNING_KEY = ""
    with pytest.raises(CommandError, match="No signing key"):
        call_command("exportpack", str(tmp_path / "p.zip"), stdout=io.StringIO())
    assert not (tmp_path / "p.zip").exists()


def test_it_reports_a_missing_file(tmp_path, settings):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("verifypack", str(tmp_path / "nope.zip"), stdout=io.StringIO())
