from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from apps.packs.signing import public_key_b64


def new_key() -> tuple[str, str]:
    """(private, public) as base64 of the raw 32 bytes, the settings' format."""
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(raw).decode(), public_key_b64(key)


@pytest.fixture
def site_key(settings):
    private, public = new_key()
    settings.PACK_SIGNING_KEY = private
    settings.PACK_TRUSTED_KEYS = [public]
    return private, public
