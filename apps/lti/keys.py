"""The tool's signing keys: the current private key (settings or a file) and, during a rotation,
the previous one, whose public half stays in the JWKS until platforms have re-fetched it."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from jwcrypto.jwk import JWK


class LtiNotConfigured(Exception):
    """No tool key is configured: every LTI endpoint answers 503 with what to set."""


def _read(text: str, path: str, name: str) -> str:
    if text:
        return text.replace("\\n", "\n")  # one-line env values carry escaped newlines
    if path:
        try:
            return Path(path).read_text()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {exc}") from None
    return ""


@functools.lru_cache(maxsize=4)
def _load(current: str, current_file: str, previous: str, previous_file: str):
    private_pem = _read(current, current_file, "LTI_PRIVATE_KEY")
    if not private_pem:
        return None
    try:
        private = serialization.load_pem_private_key(private_pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"LTI_PRIVATE_KEY is not a PEM private key: {exc}") from None
    if not isinstance(private, rsa.RSAPrivateKey) or private.key_size < 2048:
        raise ImproperlyConfigured("LTI_PRIVATE_KEY must be an RSA key of 2048 bits or more.")
    publics = [_public_pem(private)]
    previous_pem = _read(previous, previous_file, "LTI_PREVIOUS_KEY")
    if previous_pem:
        publics.append(_public_from_any(previous_pem))
    return private_pem, publics


def _public_pem(private) -> str:
    return private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _public_from_any(pem: str) -> str:
    """The previous key may be given as its private or its public PEM."""
    try:
        if "PRIVATE KEY" in pem:
            return _public_pem(serialization.load_pem_private_key(pem.encode(), password=None))
        key = serialization.load_pem_public_key(pem.encode())
        return key.public_bytes(serialization.Encoding.PEM,
                                serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"LTI_PREVIOUS_KEY is not a PEM key: {exc}") from None


def _keys():
    loaded = _load(settings.LTI_PRIVATE_KEY, settings.LTI_PRIVATE_KEY_FILE,
                   settings.LTI_PREVIOUS_KEY, settings.LTI_PREVIOUS_KEY_FILE)
    if loaded is None:
        raise LtiNotConfigured("Set LTI_PRIVATE_KEY or LTI_PRIVATE_KEY_FILE.")
    return loaded


def private_key_pem() -> str:
    return _keys()[0]


def public_key_pem() -> str:
    """The current key's public half (PyLTI1p3 derives the `kid` it signs with from it)."""
    return _keys()[1][0]


def jwk(public_pem: str) -> dict:
    """Public JWK with `kid` = its RFC 7638 thumbprint, as PyLTI1p3 computes it when signing."""
    key = json.loads(JWK.from_pem(public_pem.encode()).export_public())
    return {**key, "alg": "RS256", "use": "sig"}


def jwks() -> dict:
    """The current key first, then the previous one (rotation)."""
    seen, keys = set(), []
    for pem in _keys()[1]:
        key = jwk(pem)
        if key["kid"] not in seen:
            seen.add(key["kid"])
            keys.append(key)
    return {"keys": keys}


def generate_private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()
