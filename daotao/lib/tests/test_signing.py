"""Signing a document's canonical JSON with Ed25519 and checking it with the public key."""

import copy
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from daotao.lib import signing

DOCUMENT = {"format": "daotao-figures/1", "lines": [{"program": "TC-LLCT-HC", "classes": 13, "students": 1040}],
            "school": {"name": "Trường Chính trị tỉnh Bình An"}, "mode": None, "closed": False}  # fmt: skip


@pytest.fixture(scope="module")
def key():
    return signing.new_private_key()


def test_canonical_sorts_keys_without_spaces_in_utf8():
    assert signing.canonical({"b": 1, "a": ["Bình An", None, True]}) == '{"a":["Bình An",null,true],"b":1}'.encode()


def test_canonical_refuses_floats_anywhere():
    for document in (1.5, {"ratio": 0.9875}, {"lines": [{"share": 1.0}]}, [[2.0]]):
        with pytest.raises(signing.SigningError) as raised:
            signing.canonical(document)
        assert raised.value.reason == "float"


def test_sign_and_verify_round_trip(key):
    signature = signing.sign(key, DOCUMENT)
    assert signature["algorithm"] == "Ed25519"
    assert signature["key_id"] == signing.key_id(key) == signing.key_id(signing.public_key_text(key))
    assert len(signature["key_id"]) == 16
    signing.verify(signing.public_key_text(key), DOCUMENT, signature)
    # Key order and spacing do not matter: the canonical form is signed.
    signing.verify(signing.public_key_text(key), dict(reversed(list(DOCUMENT.items()))), signature)


def test_another_key_does_not_verify(key):
    signature = signing.sign(key, DOCUMENT)
    other = signing.public_key_text(signing.new_private_key())
    with pytest.raises(signing.SigningError) as raised:
        signing.verify(other, DOCUMENT, signature)
    assert raised.value.reason == "mismatch"


def test_a_changed_value_does_not_verify(key):
    signature = signing.sign(key, DOCUMENT)
    for change in (
        lambda d: d["lines"][0].update(students=1041),
        lambda d: d["school"].update(name="Trường khác"),
        lambda d: d.update(closed=True),
        lambda d: d.update(extra=1),
    ):
        tampered = copy.deepcopy(DOCUMENT)
        change(tampered)
        with pytest.raises(signing.SigningError) as raised:
            signing.verify(signing.public_key_text(key), tampered, signature)
        assert raised.value.reason == "mismatch"


def test_a_signature_that_cannot_be_read(key):
    public = signing.public_key_text(key)
    good = signing.sign(key, DOCUMENT)
    for signature in (None, {}, good | {"algorithm": "RSA"}, good | {"value": "not base64!"}, good | {"value": "AAAA"}):
        with pytest.raises(signing.SigningError) as raised:
            signing.verify(public, DOCUMENT, signature)
        assert raised.value.reason == "unreadable_signature"


def test_public_keys_as_written(key):
    text = signing.public_key_text(key)
    assert text.startswith("ed25519:")
    assert signing.key_id(f"  {text}\n") == signing.key_id(key)
    for wrong in ("", "ssh-ed25519 AAAA", "ed25519:AAAA", "ed25519:%%%"):
        with pytest.raises(signing.SigningError) as raised:
            signing.parse_public_key(wrong)
        assert raised.value.reason == "public_key"


def test_key_files(tmp_path, key):
    path = tmp_path / "key.pem"
    signing.write_private_key(key, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert signing.key_id(signing.load_private_key(path)) == signing.key_id(key)
    with pytest.raises(FileExistsError):
        signing.write_private_key(signing.new_private_key(), path)
    assert signing.key_id(signing.load_private_key(str(path))) == signing.key_id(key)


def test_key_files_that_cannot_be_used(tmp_path):
    missing = tmp_path / "missing.pem"
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a key")
    other = tmp_path / "ec.pem"
    other.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    for path, reason in (
        (missing, "unreadable"),
        (tmp_path, "unreadable"),
        (garbage, "not_pem"),
        (other, "not_ed25519"),
    ):
        with pytest.raises(signing.SigningError) as raised:
            signing.load_private_key(path)
        assert raised.value.reason == reason, path
    with pytest.raises(signing.SigningError) as raised:
        signing.load_private_key(missing)
    assert raised.value.detail  # the system's reason, e.g. "No such file or directory"
