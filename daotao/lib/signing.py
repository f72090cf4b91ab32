"""Signing a document with a school's key, and checking it with the public key the
receiver registered (Ed25519, through ``cryptography``; no Django import).

A school's figures package (docs/figures-format.md) is signed by the school with its
private key and checked by the Academy against the public key the school registered there:
unlike the backup's HMAC, the Academy holds nothing that could sign in a school's name.

What is signed is the document's canonical JSON (``canonical``): keys sorted, no spaces,
UTF-8, integers and strings only (no floats, which two encoders may write differently).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "Ed25519"
PUBLIC_PREFIX = "ed25519:"


class SigningError(ValueError):
    """A key or a signature cannot be used; the message says why (set by the caller's
    language: these messages are in English for the caller to translate its own), and
    ``reason`` names the case for a caller that words it itself: ``unreadable`` (the key
    file cannot be read, ``detail`` holds the system's reason), ``not_pem``,
    ``not_ed25519``, ``float``, ``public_key``, ``unreadable_signature``, ``mismatch``."""

    def __init__(self, message: str, reason: str = "", detail: str = ""):
        super().__init__(message)
        self.reason = reason
        self.detail = detail


def canonical(document) -> bytes:
    """The bytes that are signed: sorted keys, no spaces, UTF-8; floats refused."""

    def refuse_float(value):
        raise SigningError(f"a signed document holds integers and strings only, not {type(value).__name__}", "float")

    def check(value):
        if isinstance(value, float):
            refuse_float(value)
        if isinstance(value, dict):
            for item in value.values():
                check(item)
        elif isinstance(value, list):
            for item in value:
                check(item)

    check(document)
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def write_private_key(key: Ed25519PrivateKey, path: Path) -> None:
    """Write the key to a new file readable by its owner only (never over an existing one)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(private_key_pem(key))


def load_private_key(path: str | Path) -> Ed25519PrivateKey:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise SigningError(
            f"the key file {path} cannot be read ({error.strerror})", "unreadable", error.strerror or ""
        ) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise SigningError(f"{path} does not hold a private key in PEM", "not_pem") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(f"{path} holds a key that is not Ed25519", "not_ed25519")
    return key


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """``ed25519:`` and the raw public key in base64: what a school registers elsewhere."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return PUBLIC_PREFIX + base64.b64encode(raw).decode("ascii")


def parse_public_key(text: str) -> Ed25519PublicKey:
    """A public key as ``public_key_text`` writes it (spaces around it ignored)."""
    text = (text or "").strip()
    if not text.startswith(PUBLIC_PREFIX):
        raise SigningError(f"a public key starts with {PUBLIC_PREFIX}", "public_key")
    try:
        raw = base64.b64decode(text[len(PUBLIC_PREFIX) :], validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise SigningError("the public key is not 32 bytes in base64", "public_key") from None


def key_id(key: Ed25519PrivateKey | Ed25519PublicKey | str) -> str:
    """A short fingerprint of a public key (16 hexadecimal digits), the same for the
    private key it belongs to: printed by both sides so that people can compare."""
    text = key if isinstance(key, str) else public_key_text(key)
    return hashlib.sha256(parse_public_key(text).public_bytes_raw()).hexdigest()[:16]


def sign(key: Ed25519PrivateKey, document) -> dict:
    """The signature of ``document`` (its canonical JSON)."""
    return {
        "algorithm": ALGORITHM,
        "key_id": key_id(key),
        "value": base64.b64encode(key.sign(canonical(document))).decode("ascii"),
    }


def verify(public_key: str, document, signature) -> None:
    """Raise ``SigningError`` unless ``signature`` (as ``sign`` makes it) is the signature
    of ``document`` by the private key of ``public_key``."""
    if not isinstance(signature, dict) or signature.get("algorithm") != ALGORITHM:
        raise SigningError(f"the signature is not an {ALGORITHM} signature", "unreadable_signature")
    value = signature.get("value")
    try:
        raw = base64.b64decode(value, validate=True) if isinstance(value, str) else b""
    except binascii.Error:
        raw = b""
    if len(raw) != 64:
        raise SigningError("the signature cannot be read", "unreadable_signature")
    try:
        parse_public_key(public_key).verify(raw, canonical(document))
    except InvalidSignature:
        raise SigningError(
            "the signature does not match: the document was changed or signed with another key", "mismatch"
        ) from None
