"""The school's figures key (``DAOTAO_FIGURES_KEY_FILE``) and the signed figures file:
``lib.signing`` with messages in the user's language.

The key is an Ed25519 private key in a PEM file that ``manage.py figures_key`` makes; the
school registers its public key (``ed25519:…``) at the Academy, which checks every package
against it (docs/deploy.md, "The figures key").
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.utils.translation import gettext as _

from daotao.lib import signing
from daotao.national.package import figures_package


class FiguresError(Exception):
    """A figures file cannot be made, signed or written: the key is missing or unusable, or a
    file cannot be written; the message says why and what to do."""


def _message(error: signing.SigningError, path: str) -> str:
    if error.reason == "unreadable":
        return _("The figures key file %(path)s cannot be read (%(reason)s).") % {
            "path": path,
            "reason": error.detail or _("unknown reason"),
        }
    if error.reason == "not_ed25519":
        return _("The figures key file %(path)s holds a key that is not an Ed25519 key.") % {"path": path}
    return _("The figures key file %(path)s does not hold a private key in PEM form.") % {"path": path}


def school_key() -> Ed25519PrivateKey:
    """The school's private key, from ``DAOTAO_FIGURES_KEY_FILE``; ``FiguresError``
    when it is not set, cannot be read or is not an Ed25519 private key."""
    path = (settings.DAOTAO_FIGURES_KEY_FILE or "").strip()
    if not path:
        raise FiguresError(
            _(
                "The school's figures key is not set. Make one with “manage.py figures_key --output PATH”, "
                "set DAOTAO_FIGURES_KEY_FILE to that path and register the public key it prints at the "
                "Academy (docs/deploy.md)."
            )
        )
    try:
        return signing.load_private_key(path)
    except signing.SigningError as error:
        raise FiguresError(_message(error, path)) from None


def key_create(path: Path) -> Ed25519PrivateKey:
    """A new key written to ``path``, readable by its owner only; never over an existing
    file (``FiguresError``)."""
    key = signing.new_private_key()
    try:
        signing.write_private_key(key, path)
    except FileExistsError:
        raise FiguresError(
            _("%(path)s already exists: a key file is never overwritten. Choose another path.") % {"path": path}
        ) from None
    except OSError as error:
        raise FiguresError(
            _("The key file %(path)s cannot be written (%(reason)s).")
            % {"path": path, "reason": error.strerror or _("unknown reason")}
        ) from None
    return key


def figures_file(start: dt.date, end: dt.date, key: Ed25519PrivateKey | None = None) -> dict:
    """The figures file of the period: ``{"package": ..., "signature": ...}``, signed with
    ``key`` (the school's key by default)."""
    key = key if key is not None else school_key()
    package = figures_package(start, end, key_id=signing.key_id(key))
    return {"package": package, "signature": signing.sign(key, package)}


def file_bytes(document: dict) -> bytes:
    """The file as written: JSON in UTF-8, indented by one space."""
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_file(document: dict, path: Path) -> None:
    """Write the file whole or not at all: to ``path.partial``, then renamed to ``path``."""
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_bytes(file_bytes(document))
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise FiguresError(
            _("The file %(path)s cannot be written (%(reason)s).")
            % {"path": path, "reason": error.strerror or _("unknown reason")}
        ) from None
