"""Backup and restore of the whole school: every record and every uploaded file in one
.zip (``manage.py backup FILE``, ``manage.py restore FILE``).

The records are read in one transaction (REPEATABLE READ on PostgreSQL, a single read
transaction on SQLite), so the snapshot is consistent even while people keep working. The
archive holds ``manifest.json`` (format, date, record counts per model, every file with its
size and SHA-256), ``data.json`` (Django's serialisation with natural keys for content types
and permissions, which each database numbers its own way) and ``media/`` (the uploads).

A restore goes into an empty database (migrated, with no user yet): it checks the archive
against its manifest first, then replaces the rows the migrations made with the backup's,
loads every record and writes the files, all or nothing for the records.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "daotao-backup-1"
# Rebuilt by Django itself, or not worth keeping: content types and permissions are created
# by migrate (the data refers to them by natural key), sessions and the cache table are
# throwaway.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


class BackupError(Exception):
    """A backup or restore that cannot go on, with the reason in the user's language."""


@dataclass
class Summary:
    records: int
    files: int
    counts: dict[str, int]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def _models():
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    excluded_models = {label for label in EXCLUDED if "." in label}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in excluded_apps or label in excluded_models:
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        yield model


def _snapshot(using: str) -> tuple[str, dict[str, int]]:
    """Every record, read in one consistent transaction."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        models = list(_models())
        counts = {model._meta.label_lower: model._default_manager.using(using).count() for model in models}
        objects = (obj for model in models for obj in model._default_manager.using(using).order_by("pk").iterator())
        data = serializers.serialize(
            "json", objects, use_natural_foreign_keys=True, use_natural_primary_keys=False, indent=None
        )
    return data, counts


def backup(path: str | Path, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write the archive to ``path`` (written beside it first, then renamed: never a half
    archive under the final name)."""
    path = Path(path)
    data, counts = _snapshot(using)
    root = Path(settings.MEDIA_ROOT)
    files = []
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", data)
        for file in _media_files():
            content = file.read_bytes()
            name = file.relative_to(root).as_posix()
            archive.writestr(f"media/{name}", content)
            files.append({"name": name, "size": len(content), "sha256": _sha256(content)})
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": connections[using].vendor,
            "data_sha256": _sha256(data.encode()),
            "counts": counts,
            "files": files,
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    partial.replace(path)
    return Summary(records=sum(counts.values()), files=len(files), counts=counts)


def _read(path: Path) -> tuple[dict, bytes, dict[str, bytes]]:
    """The manifest, the data and the files, checked against the manifest."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        raise BackupError(_("%(file)s is not a DaoTao backup (not a readable .zip file).") % {"file": path}) from None
    with archive:
        names = set(archive.namelist())
        if not {"manifest.json", "data.json"} <= names:
            raise BackupError(_("%(file)s is not a DaoTao backup (no manifest or data).") % {"file": path})
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except ValueError:
            raise BackupError(_("The manifest of %(file)s cannot be read.") % {"file": path}) from None
        if manifest.get("format") != FORMAT:
            raise BackupError(
                _("%(file)s has format %(format)s; this DaoTao restores %(expected)s.")
                % {"file": path, "format": manifest.get("format"), "expected": FORMAT}
            )
        data = archive.read("data.json")
        if _sha256(data) != manifest.get("data_sha256"):
            raise BackupError(_("The records in %(file)s are damaged (checksum differs).") % {"file": path})
        files = {}
        for entry in manifest.get("files", []):
            name = entry["name"]
            if name.startswith("/") or ".." in Path(name).parts:
                raise BackupError(
                    _("%(file)s names a file outside the uploads: %(name)s.") % {"file": path, "name": name}
                )
            member = f"media/{name}"
            if member not in names:
                raise BackupError(_("%(file)s lacks the file %(name)s.") % {"file": path, "name": name})
            content = archive.read(member)
            if _sha256(content) != entry["sha256"]:
                raise BackupError(_("The file %(name)s in %(file)s is damaged.") % {"file": path, "name": name})
            files[name] = content
    return manifest, data, files


def restore(path: str | Path, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Load the archive into an empty database and write its files."""
    path = Path(path)
    manifest, data, files = _read(path)
    from daotao.accounts.models import User

    if User.objects.using(using).exists():
        raise BackupError(
            _("The database already holds records (users): restore only into an empty database, after migrate.")
        )
    with transaction.atomic(using=using):
        # The rows the migrations created (groups, presets, report templates) come back from
        # the backup with the ids the data refers to.
        call_command("flush", database=using, interactive=False, verbosity=0)
        objects = list(serializers.deserialize("json", data, using=using, handle_forward_references=True))
        with connections[using].constraint_checks_disabled():
            for obj in objects:
                obj.save(using=using)
            deferred = [obj for obj in objects if obj.deferred_fields]
            for obj in deferred:
                obj.save_deferred_fields(using=using)
        connections[using].check_constraints()
        _reset_sequences(using)
        counts = {model._meta.label_lower: model._default_manager.using(using).count() for model in _models()}
        expected = manifest.get("counts", {})
        wrong = {label: (count, counts.get(label)) for label, count in expected.items() if counts.get(label) != count}
        if wrong:
            raise BackupError(_("The restored records do not match the manifest: %(models)s.") % {"models": wrong})
    root = Path(settings.MEDIA_ROOT)
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return Summary(records=sum(counts.values()), files=len(files), counts=counts)


def _reset_sequences(using: str) -> None:
    """After loading explicit ids, PostgreSQL's sequences must move past them."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), list(_models()))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
