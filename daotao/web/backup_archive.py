"""The archive of a backup, read without trusting it (``daotao.web.backup`` uses this).

A backup is a .zip with ``manifest.json`` (format, date, record counts, the size and SHA-256
of the records and of every file), ``data.json`` (the records), ``media/<name>`` (the
uploads) and ``signature.json``: an HMAC-SHA256 of the manifest's exact bytes with the
backup key (setting ``DAOTAO_BACKUP_KEY``), which the operator keeps apart from the
database and from the archive. Anyone can recompute a SHA-256; only a holder of the key can
sign, so the signature is what tells a backup DaoTao made from an edited or forged one.

Nothing here trusts the archive: it is bounded (entries, sizes: an entry is inflated only up
to the size its manifest gives it, whatever its header claims), every entry must be a plain
file the manifest lists, names cannot leave the uploads folder, and the files are extracted
into a staging folder and checked there before anything is written into MEDIA_ROOT.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from daotao.lib.vietnamese import format_int

FORMAT = "daotao-backup-2"
# Format 1 (before archives were signed) is still read, as an unsigned archive.
READABLE_FORMATS = frozenset({"daotao-backup-1", FORMAT})
MANIFEST = "manifest.json"
DATA = "data.json"
SIGNATURE = "signature.json"
MEDIA = "media/"

MIN_KEY_LENGTH = 32
MiB = 1024 * 1024
# Bounds on what a restore reads: the records go into memory, the files onto a disk whose
# free space is checked against their total before the first one is extracted.
MAX_MEMBERS = 500_000
MAX_MANIFEST_BYTES = 256 * MiB
MAX_DATA_BYTES = 1024 * MiB
MAX_FILE_BYTES = 1024 * MiB
_CHUNK = MiB
_KEY_ID_MESSAGE = b"daotao-backup key id"


class BackupError(Exception):
    """A backup or restore that cannot go on, with the reason in the user's language."""


# --- the key --------------------------------------------------------------------------


def backup_key() -> bytes | None:
    """The backup key from the settings, or None when none is set."""
    key = (getattr(settings, "DAOTAO_BACKUP_KEY", "") or "").strip()
    if not key:
        return None
    if len(key) < MIN_KEY_LENGTH:
        raise BackupError(
            _("DAOTAO_BACKUP_KEY is too short (%(length)s characters, at least %(minimum)s are needed).")
            % {"length": len(key), "minimum": MIN_KEY_LENGTH}
        )
    return key.encode()


def key_id(key: bytes) -> str:
    """A short name of a key, shown by backup and restore so that two servers can be seen to
    hold the same key; it tells nothing about the key itself."""
    return hmac.new(key, _KEY_ID_MESSAGE, hashlib.sha256).hexdigest()[:12]


def signature(key: bytes, manifest: bytes) -> bytes:
    """The ``signature.json`` of a manifest (its exact bytes)."""
    document = {
        "algorithm": "HMAC-SHA256",
        "key_id": key_id(key),
        "manifest_hmac": hmac.new(key, manifest, hashlib.sha256).hexdigest(),
    }
    return json.dumps(document, indent=1).encode()


# --- reading --------------------------------------------------------------------------


@dataclass
class Archive:
    """An opened backup whose entries have been checked against its manifest."""

    path: Path
    opened: zipfile.ZipFile
    manifest: dict
    manifest_bytes: bytes
    members: dict[str, zipfile.ZipInfo]
    files: list[dict] = field(default_factory=list)

    def authentication_problem(self, key: bytes | None) -> str | None:
        """Why the archive is not known to be a backup made with ``key`` unaltered, or None."""
        if SIGNATURE not in self.members:
            return _("it is not signed (made before DaoTao signed its backups, or its signature was removed)")
        try:
            document = json.loads(self._read(self.members[SIGNATURE], 64 * 1024))
            claimed_key, claimed_hmac = str(document["key_id"]), str(document["manifest_hmac"])
        except (ValueError, RecursionError, TypeError, KeyError):
            return _("its signature cannot be read")
        if key is None:
            return _("DAOTAO_BACKUP_KEY is not set on this server, so its signature cannot be checked")
        expected = hmac.new(key, self.manifest_bytes, hashlib.sha256).hexdigest()
        if hmac.compare_digest(expected.encode(), claimed_hmac.encode()):
            return None
        if not hmac.compare_digest(key_id(key).encode(), claimed_key.encode()):
            return _("it was signed with another key (%(archive)s; this server's key is %(server)s)") % {
                "archive": printable(claimed_key[:40]),
                "server": key_id(key),
            }
        return _("it was changed after it was signed (the signature does not match)")

    def read_data(self) -> bytes:
        """The records (``data.json``), checked against the manifest."""
        info = self.members[DATA]
        chunks: list[bytes] = []
        size, sha256 = self._copy(info, chunks.append, MAX_DATA_BYTES)
        expected_size = self.manifest.get("data_size", size)
        if sha256 != self.manifest["data_sha256"] or size != expected_size:
            raise BackupError(_("The records in %(file)s are damaged (checksum differs).") % {"file": self.path})
        return b"".join(chunks)

    def extract_files(self, staging: Path) -> dict[str, Path]:
        """Every file, extracted into ``staging`` and checked against the manifest."""
        needed = sum(entry["size"] for entry in self.files)
        free = shutil.disk_usage(staging).free
        if needed > free:
            raise BackupError(
                _("The files of %(file)s need %(needed)s bytes; %(folder)s has %(free)s free.")
                % {"file": self.path, "needed": format_int(needed), "folder": staging, "free": format_int(free)}
            )
        extracted = {}
        for entry in self.files:
            name = entry["name"]
            target = staging.joinpath(*name.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as out:  # "x": a fresh file, never through an existing link
                size, sha256 = self._copy(self.members[MEDIA + name], out.write, entry["size"])
            if size != entry["size"] or sha256 != entry["sha256"]:
                raise BackupError(_("The file %(name)s in %(file)s is damaged.") % {"file": self.path, "name": name})
            extracted[name] = target
        return extracted

    def _read(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        chunks: list[bytes] = []
        self._copy(info, chunks.append, limit)
        return b"".join(chunks)

    def _copy(self, info: zipfile.ZipInfo, write: Callable[[bytes], object], limit: int) -> tuple[int, str]:
        """Inflate one entry through ``write``, stopping past ``limit`` bytes whatever its
        header claims (a zip bomb stops there); its size and SHA-256."""
        too_large = _("The entry %(name)s of %(file)s is larger than a restore accepts (at most %(limit)s bytes).") % {
            "name": printable(info.filename),
            "file": self.path,
            "limit": format_int(limit),
        }
        if info.file_size > limit:
            raise BackupError(too_large)
        digest = hashlib.sha256()
        size = 0
        try:
            with self.opened.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise BackupError(too_large)
                    digest.update(chunk)
                    write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError):
            raise BackupError(
                _("The entry %(name)s of %(file)s cannot be read (damaged).")
                % {"name": printable(info.filename), "file": self.path}
            ) from None
        return size, digest.hexdigest()


@contextmanager
def open_archive(path: Path) -> Iterator[Archive]:
    """The archive at ``path``, its entries checked against its manifest (not yet its signature)."""
    try:
        opened = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError):
        raise BackupError(_("%(file)s is not a DaoTao backup (not a readable .zip file).") % {"file": path}) from None
    with opened:
        yield _checked(path, opened)


def _checked(path: Path, opened: zipfile.ZipFile) -> Archive:
    infos = opened.infolist()
    if len(infos) > MAX_MEMBERS:
        raise BackupError(
            _("%(file)s has %(count)s entries, more than a restore accepts (%(limit)s).")
            % {"file": path, "count": format_int(len(infos)), "limit": format_int(MAX_MEMBERS)}
        )
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = printable(info.filename)
        if info.filename in members:
            raise BackupError(_("%(file)s holds the entry %(name)s twice.") % {"file": path, "name": name})
        if info.is_dir() or stat.S_ISLNK(info.external_attr >> 16) or info.flag_bits & 0x1:
            raise BackupError(
                _("%(file)s holds an entry that is not a plain file: %(name)s.") % {"file": path, "name": name}
            )
        members[info.filename] = info
    if not {MANIFEST, DATA} <= members.keys():
        raise BackupError(_("%(file)s is not a DaoTao backup (no manifest or data).") % {"file": path})
    archive = Archive(path=path, opened=opened, manifest={}, manifest_bytes=b"", members=members)
    archive.manifest_bytes = archive._read(members[MANIFEST], MAX_MANIFEST_BYTES)
    manifest = _parse_manifest(archive.manifest_bytes)
    if manifest is None:
        raise BackupError(_("The manifest of %(file)s cannot be read.") % {"file": path})
    if manifest.get("format") not in READABLE_FORMATS:
        raise BackupError(
            _("%(file)s has format %(format)s; this DaoTao restores %(expected)s.")
            % {"file": path, "format": printable(str(manifest.get("format"))[:40]), "expected": FORMAT}
        )
    archive.manifest = manifest
    archive.files = manifest["files"]
    _check_names(path, [entry["name"] for entry in archive.files])
    listed = {MANIFEST, DATA, SIGNATURE} | {MEDIA + entry["name"] for entry in archive.files}
    unlisted = sorted(members.keys() - listed)
    if unlisted:
        raise BackupError(
            _("%(file)s holds an entry its manifest does not list: %(name)s.")
            % {"file": path, "name": printable(unlisted[0])}
        )
    for entry in archive.files:
        info = members.get(MEDIA + entry["name"])
        if info is None:
            raise BackupError(_("%(file)s lacks the file %(name)s.") % {"file": path, "name": printable(entry["name"])})
        if entry["size"] > MAX_FILE_BYTES:
            raise BackupError(
                _("The entry %(name)s of %(file)s is larger than a restore accepts (at most %(limit)s bytes).")
                % {"name": printable(info.filename), "file": path, "limit": format_int(MAX_FILE_BYTES)}
            )
        if info.file_size != entry["size"]:
            raise BackupError(
                _("The file %(name)s in %(file)s is damaged.") % {"file": path, "name": printable(entry["name"])}
            )
    return archive


def _is_size(value) -> bool:
    return type(value) is int and value >= 0


def _is_sha256(value) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def _parse_manifest(raw: bytes) -> dict | None:
    """The manifest if it has the shape a backup writes, else None."""
    try:
        manifest = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(manifest, dict):
        return None
    files, counts = manifest.setdefault("files", []), manifest.setdefault("counts", {})
    if not (isinstance(files, list) and isinstance(counts, dict) and _is_sha256(manifest.get("data_sha256"))):
        return None
    if "data_size" in manifest and not _is_size(manifest["data_size"]):
        return None
    if not all(isinstance(label, str) and _is_size(count) for label, count in counts.items()):
        return None
    if not all(
        isinstance(entry, dict)
        and isinstance(entry.get("name"), str)
        and _is_size(entry.get("size"))
        and _is_sha256(entry.get("sha256"))
        for entry in files
    ):
        return None
    return manifest


def _check_names(path: Path, names: list[str]) -> None:
    """Every name a relative path that stays inside the uploads folder, once, and no name
    also the folder of another."""
    seen = set(names)
    if len(seen) != len(names):
        twice = next(name for name in names if names.count(name) > 1)
        raise BackupError(
            _("%(file)s names a file that cannot go into the uploads folder: %(name)s.")
            % {"file": path, "name": printable(twice)}
        )
    for name in names:
        parts = name.split("/")
        unsafe = (
            len(name) > 1000
            or "\\" in name
            or not name.isprintable()
            or any(part in {"", ".", ".."} for part in parts)
            or any("/".join(parts[:depth]) in seen for depth in range(1, len(parts)))
        )
        if unsafe:
            raise BackupError(
                _("%(file)s names a file that cannot go into the uploads folder: %(name)s.")
                % {"file": path, "name": printable(name)}
            )


def printable(text: str) -> str:
    """A name from the archive as it may be printed: control characters escaped, so that a
    crafted name cannot rewrite the operator's terminal."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


# --- placing the files ----------------------------------------------------------------


def staging_folder(root: Path) -> Path:
    """A private folder for the extracted files, beside MEDIA_ROOT when possible (same disk:
    the files are then renamed into place, not copied)."""
    parent = root.parent
    beside = parent.is_dir() and os.access(parent, os.W_OK)
    return Path(tempfile.mkdtemp(prefix=".daotao-restore-", dir=parent if beside else None))


@dataclass
class Placement:
    """Where each extracted file goes, checked before anything is moved; what was moved,
    so that a failure can take it back."""

    root: Path
    moves: list[tuple[Path, Path]] = field(default_factory=list)
    moved: list[Path] = field(default_factory=list)
    created: list[Path] = field(default_factory=list)

    def move(self) -> None:
        for source, target in self.moves:
            missing = []
            folder = target.parent
            while not folder.exists():
                missing.append(folder)
                folder = folder.parent
            for folder in reversed(missing):
                folder.mkdir()
                self.created.append(folder)
            self.moved.append(target)
            shutil.move(source, target)

    def undo(self) -> None:
        """Remove every file moved and every folder made (the uploads folder as before)."""
        for target in self.moved:
            target.unlink(missing_ok=True)
        for folder in reversed(self.created):
            try:
                folder.rmdir()
            except OSError:
                pass


def plan_placement(archive: Archive, extracted: dict[str, Path], root: Path) -> Placement:
    """Where each file goes in MEDIA_ROOT: never outside it (links included), never over a
    different file; a file already there with the same content is left as it is."""
    placement = Placement(root=root)
    real_root = os.path.realpath(root)
    for entry in archive.files:
        name = entry["name"]
        target = root.joinpath(*name.split("/"))
        real_target = os.path.realpath(target)
        if os.path.commonpath([real_root, real_target]) != real_root:
            raise BackupError(
                _("%(file)s names a file that cannot go into the uploads folder: %(name)s.")
                % {"file": archive.path, "name": printable(name)}
            )
        if os.path.lexists(target):
            if not target.is_symlink() and target.is_file() and _file_sha256(target) == entry["sha256"]:
                continue
            raise BackupError(
                _(
                    "The uploads folder already holds %(name)s, different from the backup's: restore into an "
                    "empty uploads folder (MEDIA_ROOT)."
                )
                % {"name": printable(name)}
            )
        placement.moves.append((extracted[name], target))
    return placement


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
