"""The audit trail: who changed a grade, an admission decision, an approved plan or a
diploma number, when, and the values before and after (DESIGN.md section 5).

Entries are only ever added (``record``); the admin shows them read-only.
"""

from __future__ import annotations

import datetime as dt
import decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from daotao.lib.vietnamese import format_local_datetime


class AuditEntry(models.Model):
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("user")
    )
    # The name as it was, so the entry stays readable after the account is removed.
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64)
    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+", verbose_name=_("record type"))
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=255)
    changes = models.JSONField(_("changes"), default=dict, help_text=_("Field: [before, after]."))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_record")]

    def __str__(self) -> str:
        return f"{format_local_datetime(self.at)} {self.username or '-'} {self.action} {self.object_repr}"


def _plain(value):
    """A field value as JSON can hold it."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields) -> dict:
    """The values of ``fields`` (foreign keys by id) to compare before and after a change."""
    return {name: _plain(getattr(instance, instance._meta.get_field(name).attname)) for name in fields}


def record(user, instance: models.Model, action: str, before: dict | None = None, after: dict | None = None, note=""):
    """Add one entry for ``instance``; only the fields whose value changed are kept (a
    record created has an empty ``before``). Returns the entry, or None when nothing
    changed and there is no note."""
    before, after = before or {}, after or {}
    changes = {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }
    if not changes and not note:
        return None
    real_user = user if getattr(user, "pk", None) else None
    return AuditEntry.objects.create(
        user=real_user,
        username=getattr(user, "get_username", lambda: str(user))() if user is not None else "",
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        changes=changes,
        note=note,
    )


def history(instance: models.Model):
    """The entries of one record, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    ).select_related("user")


class ImportKind(models.TextChoices):
    """Every import DaoTao has (workbooks, and at the Academy the schools' figures packages),
    each recorded as an ``ImportRecord``."""

    COHORTS = "cohorts", _("Classes and students")
    QUOTAS = "quotas", _("Quota lines of a plan")
    NOMINATIONS = "nominations", _("Nominations")
    UNITS = "units", _("Units")
    PEOPLE = "people", _("Lecturers and accounts")
    HISTORY = "history", _("Past records")
    CAREER_EVENTS = "career_events", _("Career events")
    GRADES = "grades", _("Grade sheet")
    FIGURES = "figures", _("A school's figures package")


class ImportOutcome(models.TextChoices):
    DONE = "done", _("Imported")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Failed")


class ImportChannel(models.TextChoices):
    WEB = "web", _("Web page")
    COMMAND = "command", _("Management command")


class ImportRecord(models.Model):
    """One workbook import, whatever its outcome: who sent which file (kept, with its
    SHA-256 checksum), when, into what, and the records it created and updated. Written by
    ``daotao.audit.imports.imported`` in the import's own transaction; never changed."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("user")
    )
    # The name as it was (or the operator's, for a command), readable after the account goes.
    username = models.CharField(_("username"), max_length=150, blank=True)
    kind = models.CharField(_("kind of import"), max_length=32, choices=ImportKind.choices)
    channel = models.CharField(_("sent through"), max_length=16, choices=ImportChannel.choices)
    target = models.CharField(_("imported into"), max_length=255, blank=True)
    dry_run = models.BooleanField(_("check only"), default=False)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ImportOutcome.choices)
    problems = models.PositiveIntegerField(_("problems found"), default=0)
    file_name = models.CharField(_("file name"), max_length=255)
    # Under MEDIA_ROOT/imports/, never served by address: downloaded through a view that
    # checks who asks (daotao.audit.views). One copy per checksum, shared by its records.
    file = models.FileField(_("stored file"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    created = models.PositiveIntegerField(_("rows created"), default=0)
    updated = models.PositiveIntegerField(_("rows updated"), default=0)
    unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)
    counts = models.JSONField(_("counts by kind of record"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import record")
        verbose_name_plural = _("import records")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{format_local_datetime(self.at)} {self.username or '-'} {self.kind} {self.file_name}"
