"""The audit of imports, one home for every import (the workbooks of classes, quotas,
nominations, units, people, past records, career events, grade sheets; at the Academy, the
schools' figures packages), from a page or a command.

Each entry point runs its import's service inside ``imported``::

    with imported(ImportKind.COHORTS, user, path, name=upload.name, dry_run=dry_run) as audit:
        result = audit.done(cohorts_import(path, dry_run=dry_run))

- the file is kept first: its SHA-256 checksum and size are computed, and one copy per
  checksum is stored under ``MEDIA_ROOT/imports/<year>/<checksum>.xlsx`` (never served by
  address: ``daotao.audit.views.import_file`` hands it to the training office), unless it is
  over the import limit (refused unread);
- the service runs in a transaction that also writes the ``ImportRecord`` (who, when, the
  file, the target, the rows created, updated and unchanged, ``done``): both, or neither;
- a refused file (``ImportRejected``: nothing written) is recorded afterwards, ``refused``
  with the number of problems, its name, checksum and copy, and no rows; an import that
  failed is recorded ``failed``; the exception goes on to the caller (the job's page, the
  command) as before.

A check only (``dry_run``) is recorded too, with what it would have written.
"""

from __future__ import annotations

import dataclasses
import getpass
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from daotao.audit.models import ImportChannel, ImportKind, ImportOutcome, ImportRecord
from daotao.web.import_results import ImportRejected, Tally
from daotao.web.uploads import upload_limit

logger = logging.getLogger(__name__)

FOLDER = "imports"
_CHUNK = 1 << 16

__all__ = ["ImportChannel", "ImportKind", "imported", "keep", "operator"]


@dataclass(frozen=True)
class Kept:
    """The stored copy of an imported file: its storage name, checksum and size."""

    name: str
    sha256: str
    size: int


def _digest(source) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    if isinstance(source, bytes):
        digest.update(source)
        return digest.hexdigest(), len(source)
    with open(source, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def keep(source, *, suffix: str = ".xlsx", limit: str = "DAOTAO_MAX_IMPORT_BYTES") -> Kept:
    """Store ``source`` (a path or bytes) once per checksum; a file already kept, by an
    earlier import of the same bytes, is not stored again. A file over the import's limit
    (the setting ``limit``, ``DAOTAO_MAX_IMPORT_BYTES`` for a workbook, which refuses it) is
    not stored: its checksum is kept. ``suffix``: the stored copy's (``.json`` for a figures
    package)."""
    sha256, size = _digest(source)
    if size > upload_limit(limit):
        return Kept("", sha256, size)
    for name in ImportRecord.objects.filter(sha256=sha256).exclude(file="").values_list("file", flat=True)[:1]:
        if default_storage.exists(name):
            return Kept(name, sha256, size)
    name = f"{FOLDER}/{timezone.localdate().year}/{sha256}{suffix}"
    if not default_storage.exists(name):
        if isinstance(source, bytes):
            name = default_storage.save(name, ContentFile(source))
        else:
            with open(source, "rb") as stream:
                name = default_storage.save(name, File(stream))
    return Kept(name, sha256, size)


def operator() -> str:
    """Who runs a management command: the system account's name on the server."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for the process's user (a container)
        return ""


def _file_name(name: str, source) -> str:
    """The name the file was sent under (a browser's may hold a Windows path)."""
    if name:
        return PurePath(name.replace("\\", "/")).name
    return "" if isinstance(source, bytes) else Path(source).name


def _who(user, channel: str) -> tuple[object, str]:
    """The account (None for the operator of a command) and the name to keep."""
    if getattr(user, "pk", None):
        return user, user.get_username()
    if channel == ImportChannel.COMMAND:
        name = operator()
        return None, f"system ({name})" if name else "system"
    return None, str(user or "")


def counts_of(result) -> tuple[int, int, int, dict]:
    """(created, updated, unchanged, counts by kind) of an import's result: the sum of its
    ``Tally`` fields, or its own ``created`` / ``updated`` / ``unchanged`` numbers."""
    counts: dict = {}
    tallies: list[Tally] = []
    for field in dataclasses.fields(result) if dataclasses.is_dataclass(result) else ():
        value = getattr(result, field.name)
        if isinstance(value, Tally):
            tallies.append(value)
            counts[field.name] = dataclasses.asdict(value)
        elif isinstance(value, int) and not isinstance(value, bool) and field.name != "year":
            counts[field.name] = value
    if tallies:
        return (
            sum(t.created for t in tallies),
            sum(t.updated for t in tallies),
            sum(t.unchanged for t in tallies),
            counts,
        )
    return counts.get("created", 0), counts.get("updated", 0), counts.get("unchanged", 0), counts


class ImportAudit:
    """What the import inside ``imported`` reports: ``done(result)``, or ``done(created=…,
    updated=…)`` for a service that returns a bare count."""

    def __init__(self):
        self.counted: tuple[int, int, int, dict] | None = None

    def done(self, result=None, *, created: int = 0, updated: int = 0, unchanged: int = 0):
        if result is None or isinstance(result, int):
            self.counted = (created, updated, unchanged, {})
        else:
            self.counted = counts_of(result)
        return result


@contextmanager
def imported(
    kind: str, user, source, *, name: str = "", dry_run: bool = False, target: str = "",
    channel: str = ImportChannel.WEB, suffix: str = ".xlsx", limit: str = "DAOTAO_MAX_IMPORT_BYTES",
) -> Iterator[ImportAudit]:  # fmt: skip
    """Record the import run inside the block (see the module). ``source``: the file's path
    (or bytes); ``name``: the file's name as it was sent (the path's by default);
    ``target``: what it was imported into (a year's plan, a class's grade sheet); ``suffix``
    and ``limit``: the stored copy's suffix and the size limit's setting (``keep``)."""
    kept = keep(source, suffix=suffix, limit=limit)
    account, username = _who(user, channel)
    fields = {
        "kind": kind,
        "user": account,
        "username": username[:150],
        "channel": channel,
        "target": str(target)[:255],
        "dry_run": dry_run,
        "file_name": _file_name(name, source)[:255],
        "file": kept.name,
        "sha256": kept.sha256,
        "size": kept.size,
    }
    audit = ImportAudit()
    try:
        with transaction.atomic():
            yield audit
            if audit.counted is None:
                raise RuntimeError("imported(): the import did not report what it did (audit.done).")
            created, updated, unchanged, counts = audit.counted
            ImportRecord.objects.create(
                **fields,
                outcome=ImportOutcome.DONE,
                created=created,
                updated=updated,
                unchanged=unchanged,
                counts=counts,
            )
    except ImportRejected as rejected:
        # A refused file wrote nothing, and is kept like any other: the record says what was
        # sent. (Removing it here could remove the copy another import of the same bytes,
        # still in its transaction, is about to name.)
        ImportRecord.objects.create(**fields, outcome=ImportOutcome.REFUSED, problems=rejected.total)
        raise
    except Exception:
        try:
            ImportRecord.objects.create(**fields, outcome=ImportOutcome.FAILED)
        except Exception:  # the database itself may be what failed: the import's error matters
            logger.warning("could not record a failed import", exc_info=True)
        raise
