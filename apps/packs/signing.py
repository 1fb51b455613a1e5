"""Signed question packs: a zip with the bank's YAML files under bank/, a manifest of their
SHA-256 digests, and an Ed25519 signature over the manifest's exact bytes.

A pack is trusted only if the signature verifies under one of the public keys the *site* was
configured to trust (PACK_TRUSTED_KEYS). A key carried inside the pack (manifest `signer`) is a
label for humans and is never used to verify: anyone can sign a pack with their own key.
Pure Python plus `cryptography`: no Django.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PACK_FORMAT = "asc-question-pack/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MAX_MEMBERS = 200
MAX_MEMBER_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 20 * 1024 * 1024


class PackKeyError(ValueError):
    """A configured key is not base64 of 32 raw bytes."""


def _raw(value: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise PackKeyError(f"{what} is not valid base64") from None
    if len(raw) != 32:
        raise PackKeyError(f"{what} must be 32 raw bytes (base64), got {len(raw)}")
    return raw


def private_key(value: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_raw(value, "PACK_SIGNING_KEY"))


def public_key(value: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_raw(value, "a PACK_TRUSTED_KEYS entry"))


def public_key_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def manifest_bytes(files: dict[str, bytes], created: str) -> bytes:
    return json.dumps({
        "format": PACK_FORMAT,
        "created": created,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }, indent=2, sort_keys=True).encode() + b"\n"


def pack_build(*, files: dict[str, str], key: Ed25519PrivateKey, created: str) -> bytes:
    """Zip `files` (name -> text) under bank/ with a signed manifest."""
    members = {f"bank/{name}": text.encode("utf-8") for name, text in files.items()}
    manifest = manifest_bytes(members, created)
    # The signer's public key rides along only as a label (see the module docstring).
    manifest_doc = json.loads(manifest)
    manifest_doc["signer"] = public_key_b64(key)
    manifest = json.dumps(manifest_doc, indent=2, sort_keys=True).encode() + b"\n"
    signature = base64.b64encode(key.sign(manifest)) + b"\n"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(members.items()):
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
        archive.writestr(zipfile.ZipInfo(MANIFEST, date_time=(1980, 1, 1, 0, 0, 0)), manifest)
        archive.writestr(zipfile.ZipInfo(SIGNATURE, date_time=(1980, 1, 1, 0, 0, 0)), signature)
    return out.getvalue()


@dataclass
class Verification:
    ok: bool = False
    errors: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # bank file name -> text, when ok
    key: str = ""  # the trusted key that verified it


def _read_members(data: bytes, result: Verification) -> dict[str, bytes] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        result.errors.append("not a zip archive")
        return None
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        result.errors.append(f"too many files in the pack (more than {MAX_MEMBERS})")
        return None
    members: dict[str, bytes] = {}
    total = 0
    for info in infos:
        name = info.filename
        if info.is_dir():
            continue
        if name.startswith("/") or "\\" in name or ".." in name.split("/"):
            result.errors.append(f"{name}: unsafe path in the pack")
            return None
        if name in members:
            result.errors.append(f"{name}: listed twice in the archive")
            return None
        # Read at most the limit + 1 byte: a zip bomb's declared size may lie.
        try:
            with archive.open(info) as handle:
                content = handle.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as exc:
            result.errors.append(f"{name}: cannot be read ({exc})")
            return None
        total += len(content)
        if len(content) > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            result.errors.append(f"{name}: the pack is larger than allowed")
            return None
        members[name] = content
    return members


def pack_verify(*, data: bytes, trusted_keys: list[str]) -> Verification:
    """Check the signature against the site's trusted keys only, then every file's digest, and
    that the pack holds exactly the files its manifest lists."""
    result = Verification()
    members = _read_members(data, result)
    if members is None:
        return result
    manifest = members.pop(MANIFEST, None)
    signature = members.pop(SIGNATURE, None)
    if manifest is None or signature is None:
        result.errors.append("unsigned pack: manifest.json and manifest.sig are required")
        return result
    if not trusted_keys:
        result.errors.append("no trusted keys are configured (PACK_TRUSTED_KEYS); nothing can "
                             "be verified")
        return result
    try:
        raw_signature = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError):
        result.errors.append("manifest.sig is not base64")
        return result
    for value in trusted_keys:
        try:
            public_key(value).verify(raw_signature, manifest)
        except InvalidSignature:
            continue
        result.key = value
        break
    else:
        result.errors.append("the signature does not verify under any trusted key")
        return result
    try:
        doc = json.loads(manifest)
        listed = doc["files"]
        assert doc.get("format") == PACK_FORMAT and isinstance(listed, dict)
    except (ValueError, KeyError, TypeError, AssertionError):
        result.errors.append("manifest.json is not a pack manifest")
        return result
    for name in sorted(set(listed) | set(members)):
        if name not in members:
            result.errors.append(f"{name}: listed in the manifest but missing from the pack")
        elif name not in listed:
            result.errors.append(f"{name}: in the pack but not in the signed manifest")
        elif hashlib.sha256(members[name]).hexdigest() != listed[name]:
            result.errors.append(f"{name}: SHA-256 does not match the manifest (tampered)")
    if result.errors:
        return result
    for name, content in members.items():
        if not name.startswith("bank/"):
            continue
        try:
            result.files[name.removeprefix("bank/")] = content.decode("utf-8")
        except UnicodeDecodeError:
            result.errors.append(f"{name}: not valid UTF-8")
    result.ok = not result.errors
    return result
