"""Backup and restore of the whole school: every record and every uploaded file in one
.zip (``manage.py backup FILE``, ``manage.py restore FILE``).

The records are read in one transaction (REPEATABLE READ on PostgreSQL, a single read
transaction on SQLite), so the snapshot is consistent even while people keep working. The
archive (``daotao.web.backup_archive``) holds the manifest, the records in Django's
serialisation (natural keys for content types and permissions, which each database numbers
its own way), the uploads, and the manifest's signature with the backup key.

A restore goes into an empty database (migrated, with no user yet), all or nothing:

1. before anything changes, the archive is checked (bounds, names, checksums) and so is its
   signature: an archive not signed with this server's key, or changed since, is refused
   unless the operator trusts it (``--trust-unsigned``), and is then described first (the
   users with administrator rights it creates, its records by kind);
2. the files are extracted into a staging folder beside MEDIA_ROOT and checked there;
3. in one transaction, the rows the migrations made are replaced with the backup's, every
   record passes its model's field checks (``clean_fields``, where an article's body is
   sanitised as on save) and is loaded, the counts are compared with the manifest, and the
   files are moved into MEDIA_ROOT. Any failure rolls the records back and takes the moved
   files out again, so a second try starts from the same empty state.

The records of a signed archive are otherwise kept as they are, password hashes included:
the key's holder made them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from daotao.lib.vietnamese import format_int
from daotao.web.backup_archive import (
    DATA,
    FORMAT,
    MANIFEST,
    MEDIA,
    SIGNATURE,
    BackupError,
    backup_key,
    key_id,
    open_archive,
    plan_placement,
    printable,
    signature,
    staging_folder,
)
from daotao.web.signals import restored

__all__ = ["FORMAT", "BackupError", "Summary", "backup", "restore"]

# Rebuilt by Django itself, or not worth keeping: content types and permissions are created
# by migrate (the data refers to them by natural key), sessions and the cache table are
# throwaway.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


@dataclass
class Summary:
    records: int
    files: int
    counts: dict[str, int]
    # The id of the key that signed the archive; empty for an archive restored on trust.
    key_id: str = ""


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
            "json",
            objects,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=False,
            indent=None,
            cls=_ExactJSONEncoder,
        )
    return data, counts


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder keeps milliseconds only, and a restore
    would then reorder records made within one millisecond (audit entries, answers)."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time) and o.microsecond:
            value = o.isoformat()
            return value.removesuffix("+00:00") + "Z" if value.endswith("+00:00") else value
        return super().default(o)


def backup(path: str | Path, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write the archive to ``path``, signed with the backup key (written beside it first,
    then renamed: never a half archive under the final name)."""
    key = backup_key()
    if key is None:
        raise BackupError(
            _(
                "DAOTAO_BACKUP_KEY is not set. DaoTao signs every backup with this key so that a restore can "
                "tell its own backups from edited ones. Create a key with: python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(32))', put it in the environment (docs/deploy.md, section 7) "
                "and keep a copy away from this server."
            )
        )
    path = Path(path)
    data, counts = _snapshot(using)
    encoded = data.encode()
    root = Path(settings.MEDIA_ROOT)
    files = []
    partial = path.with_name(path.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(DATA, encoded)
            for file in _media_files():
                content = file.read_bytes()
                name = file.relative_to(root).as_posix()
                archive.writestr(MEDIA + name, content)
                files.append({"name": name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()})
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database": connections[using].vendor,
                "data_size": len(encoded),
                "data_sha256": hashlib.sha256(encoded).hexdigest(),
                "counts": counts,
                "files": files,
            }
            manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            archive.writestr(MANIFEST, manifest_bytes)
            archive.writestr(SIGNATURE, signature(key, manifest_bytes))
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    return Summary(records=sum(counts.values()), files=len(files), counts=counts, key_id=key_id(key))


def restore(
    path: str | Path,
    *,
    trust_unsigned: bool = False,
    announce: Callable[[str], object] = print,
    using: str = DEFAULT_DB_ALIAS,
) -> Summary:
    """Load the archive into an empty database and its files into MEDIA_ROOT, all or nothing.

    An archive that is not signed with this server's key is refused, or with
    ``trust_unsigned`` described through ``announce`` (one line a call) and then restored."""
    path = Path(path)
    if get_user_model().objects.using(using).exists():
        raise BackupError(
            _("The database already holds records (users): restore only into an empty database, after migrate.")
        )
    key = backup_key()
    root = Path(settings.MEDIA_ROOT)
    with open_archive(path) as archive:
        problem = archive.authentication_problem(key)
        if problem and not trust_unsigned:
            raise BackupError(
                _(
                    "%(file)s is refused: %(problem)s. Restore it only if you know where it comes from, with "
                    "--trust-unsigned: the command then lists the users with administrator rights and the "
                    "records it brings before loading them."
                )
                % {"file": path, "problem": problem}
            )
        records = read_records(path, archive.read_data())
        if problem:
            announce(_("%(file)s is not authenticated: %(problem)s.") % {"file": path, "problem": problem})
            announce(_("Restoring it anyway, as --trust-unsigned asks. It brings:"))
            for line in describe(records):
                announce(line)
        staging = staging_folder(root)
        try:
            extracted = archive.extract_files(staging)
            placement = plan_placement(archive, extracted, root)
            try:
                with transaction.atomic(using=using):
                    counts = _load(path, records, archive.manifest, using)
                    placement.move()
            except BaseException:
                placement.undo()
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return Summary(
        records=sum(counts.values()),
        files=len(archive.files),
        counts=counts,
        key_id="" if problem else key_id(key),
    )


def read_records(path: Path, data: bytes) -> list[dict]:
    """The records of ``data.json``, each of a model a backup holds."""
    try:
        records = json.loads(data)
    except (ValueError, RecursionError):
        records = None
    if not isinstance(records, list) or not all(
        isinstance(record, dict) and isinstance(record.get("model"), str) and isinstance(record.get("fields"), dict)
        for record in records
    ):
        raise BackupError(_("The records in %(file)s cannot be read.") % {"file": path})
    backed_up = {model._meta.label_lower for model in _models()}
    foreign = sorted({record["model"] for record in records} - backed_up)
    if foreign:
        raise BackupError(
            _("%(file)s holds records of %(model)s, which no backup holds.")
            % {"file": path, "model": printable(foreign[0][:100])}
        )
    return records


def _load(path: Path, records: list[dict], manifest: dict, using: str) -> dict[str, int]:
    """Replace every row with the records (inside the caller's transaction); the counts."""
    # The rows the migrations created (groups, presets, report templates) come back from
    # the backup with the ids the data refers to.
    call_command("flush", database=using, interactive=False, verbosity=0)
    try:
        objects = list(serializers.deserialize("python", records, using=using, handle_forward_references=True))
        for obj in objects:
            check_record(path, obj.object)
        with connections[using].constraint_checks_disabled():
            for obj in objects:
                obj.save(using=using)
            deferred = [obj for obj in objects if obj.deferred_fields]
            for obj in deferred:
                obj.save_deferred_fields(using=using)
        connections[using].check_constraints()
        restored.send(sender=restore, using=using)
    except (DeserializationError, FieldDoesNotExist, ValidationError, DatabaseError, LookupError, TypeError) as error:
        raise BackupError(
            _("The records in %(file)s cannot be loaded: %(error)s") % {"file": path, "error": printable(str(error))}
        ) from error
    _reset_sequences(using)
    counts = {model._meta.label_lower: model._default_manager.using(using).count() for model in _models()}
    expected = manifest.get("counts", {})
    wrong = {label: (count, counts.get(label)) for label, count in expected.items() if counts.get(label) != count}
    if wrong:
        raise BackupError(_("The restored records do not match the manifest: %(models)s.") % {"models": wrong})
    return counts


def check_record(path: Path, instance) -> None:
    """A record checked as a form checks each value it is given: lengths, choices, validators
    (a banner's link cannot be ``javascript:``), with the model's own normalising in
    ``clean_fields`` (an article's body is sanitised there, as on save).

    Empty values are left alone (the database says whether a column may be empty: records
    made by services and imports, not forms, may hold an empty value a form would ask for),
    and so are relations, checked by the database's constraints once every record is in. The
    model's ``clean()`` is not run: it reads related records (a query each) and applies rules
    for new input that a record made years ago, under other rules, need not meet."""
    exclude = [
        field.name
        for field in instance._meta.fields
        if field.is_relation or getattr(instance, field.attname) in field.empty_values
    ]
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        raise BackupError(
            _("The record %(record)s in %(file)s is not valid: %(problems)s")
            % {"record": f"{instance._meta.label_lower} {instance.pk}", "file": path, "problems": printable(problems)}
        ) from None


def describe(records: list[dict]) -> list[str]:
    """What an archive brings, for an operator deciding whether to trust it: the users with
    administrator rights, the groups with their permissions, the records by kind."""
    flag = get_user_model()._meta.get_field("is_superuser")
    members: Counter[str] = Counter()
    admins = []
    for record in records:
        if record["model"] != "accounts.user":
            continue
        fields = record["fields"]
        groups = [_natural_name(group) for group in _as_list(fields.get("groups"))]
        members.update(groups)
        rights = [
            label
            for name, label in (
                ("is_superuser", pgettext("user rights", "superuser")),
                ("is_staff", pgettext("user rights", "staff")),
            )
            if _true(flag, fields.get(name))
        ]
        permissions = len(_as_list(fields.get("user_permissions")))
        if permissions:
            rights.append(_("%(count)s own permissions") % {"count": format_int(permissions)})
        if not rights:
            continue
        if not _true(flag, fields.get("is_active", True)):
            rights.append(pgettext("user rights", "inactive"))
        admins.append(
            _("%(username)s: %(rights)s; groups: %(groups)s")
            % {
                "username": printable(str(fields.get("username"))),
                "rights": ", ".join(rights),
                "groups": ", ".join(groups) or "-",
            }
        )
    lines = [_("Users with administrator rights it creates:")] if admins else [_("No user with administrator rights.")]
    lines.extend(f"  {line}" for line in sorted(admins))
    groups = [record["fields"] for record in records if record["model"] == "auth.group"]
    if groups:
        lines.append(_("Groups:"))
    for fields in groups:
        name = printable(str(fields.get("name")))
        line = _("%(name)s: %(permissions)s permissions, %(members)s members") % {
            "name": name,
            "permissions": format_int(len(_as_list(fields.get("permissions")))),
            "members": format_int(members[name]),
        }
        lines.append(f"  {line}")
    lines.append(_("Records by kind:"))
    for label, count in sorted(Counter(record["model"] for record in records).items()):
        model = apps.get_model(label)
        lines.append(f"  {label} ({model._meta.verbose_name_plural}): {format_int(count)}")
    return lines


def _as_list(value) -> list:
    return value if isinstance(value, list) else []


def _natural_name(value) -> str:
    """A group as a user record refers to it: by natural key (its name) or by id."""
    return printable(str(value[0] if isinstance(value, list) and value else value))


def _true(field, value) -> bool:
    """A flag read as the loader will read it; one it cannot read counts as set (to be shown)."""
    try:
        return bool(field.to_python(value))
    except ValidationError:
        return True


def _reset_sequences(using: str) -> None:
    """After loading explicit ids, PostgreSQL's sequences must move past them."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), list(_models()))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
