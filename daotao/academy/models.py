"""What the Academy keeps: the schools and the public keys they registered, the figures
packages they sent (docs/figures-format.md), and the packages' numbers in rows that the
national totals are read from.

A package's rows are written once, when it is imported (``importing.package_import``), and
replaced whole when the school sends the same period again; nothing edits them. A line's
filters that a package gives as ``null`` ("every value") are stored as ``format.ALL`` (an
empty string, which no value of the format is), so that "every mode" stays distinct from
each mode and can be matched by an index.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from daotao.academy.format import ALL
from daotao.lib import signing
from daotao.lib.vietnamese import format_date

CODE_PATTERN = r"^[A-Z0-9][A-Z0-9_-]*$"


class RegisteredSchool(models.Model):
    """A provincial Political School whose packages the Academy accepts: its packages are
    found by the id of the key that signs them, and checked against its public key."""

    code = models.CharField(
        _("code"),
        max_length=16,
        unique=True,
        validators=[RegexValidator(CODE_PATTERN, _("Capital letters, digits, - and _ only, e.g. DNA."))],
        help_text=_("A short code of the school, e.g. DNA."),
    )
    name = models.CharField(_("name"), max_length=255)
    province = models.CharField(_("province"), max_length=255)
    public_key = models.CharField(
        _("public key"),
        max_length=100,
        help_text=_("As the school's export_figures prints it: ed25519: followed by 44 characters."),
    )
    # The key's fingerprint (lib.signing.key_id), derived from the public key on save.
    key_id = models.CharField(_("key id"), max_length=16, unique=True, editable=False)
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("A package is expected from the school: a period it has not sent lists it as missing."),
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registered school")
        verbose_name_plural = _("registered schools")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self) -> None:
        self.public_key = (self.public_key or "").strip()
        try:
            self.key_id = signing.key_id(self.public_key)
        except signing.SigningError:
            raise ValidationError(
                {"public_key": _("Not a public key: it starts with ed25519: followed by 44 characters in base64.")}
            ) from None
        clash = RegisteredSchool.objects.filter(key_id=self.key_id).exclude(pk=self.pk).first()
        if clash is not None:
            raise ValidationError(
                {"public_key": _("This key is already registered for %(school)s.") % {"school": clash}}
            )

    def save(self, *args, **kwargs):
        self.key_id = signing.key_id(self.public_key)
        super().save(*args, **kwargs)


class FiguresPackage(models.Model):
    """One school's package for one period, as imported: the file whole (``content``: the
    signed package and its signature) and when and by whom it came in. One per school and
    period: a package sent again replaces the earlier one."""

    school = models.ForeignKey(RegisteredSchool, models.PROTECT, related_name="packages", verbose_name=_("school"))
    period_from = models.DateField(_("first day of the period"))
    period_to = models.DateField(_("last day of the period"))
    # The year when the period is a whole calendar year (the trend over years reads these).
    calendar_year = models.PositiveSmallIntegerField(_("calendar year"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("made at the school"))
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    key_id = models.CharField(_("signed with key"), max_length=16)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    content = models.JSONField(_("the package as sent"))

    class Meta:
        verbose_name = _("figures package")
        verbose_name_plural = _("figures packages")
        ordering = ["-period_to", "-period_from", "school_id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "period_from", "period_to"], name="academy_package_per_period"),
            models.CheckConstraint(condition=Q(period_from__lte=F("period_to")), name="academy_package_period"),
        ]
        indexes = [models.Index(fields=["period_from", "period_to"], name="academy_package_by_period")]

    def __str__(self) -> str:
        return f"{self.school.code} {format_date(self.period_from)}–{format_date(self.period_to)}"


def calendar_year(start: dt.date, end: dt.date) -> int | None:
    """The year when ``start``–``end`` is 1 January to 31 December of it."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return start.year
    return None


class FigureLine(models.Model):
    """One line of a package's ``lines``: the classes and students of one relation and
    program, by mode, funding and host locality, each ``ALL`` or a value."""

    package = models.ForeignKey(FiguresPackage, models.CASCADE, related_name="lines")
    relation = models.CharField(_("relation"), max_length=24)
    program = models.CharField(_("program"), max_length=32)
    program_kind = models.CharField(_("kind of program"), max_length=16)
    mode = models.CharField(_("mode"), max_length=20, blank=True, default=ALL)
    funding = models.CharField(_("funding"), max_length=16, blank=True, default=ALL)
    locality = models.CharField(_("host locality"), max_length=32, blank=True, default=ALL)
    classes = models.PositiveIntegerField(_("classes"))
    students = models.PositiveIntegerField(_("students"))

    class Meta:
        verbose_name = _("figure line")
        verbose_name_plural = _("figure lines")
        constraints = [
            models.UniqueConstraint(
                fields=["package", "relation", "program", "mode", "funding", "locality"], name="academy_line_once"
            )
        ]
        # The programs' totals (mode, funding and locality "every value"), which the dashboard
        # and most questions read, have their own partial index by package and relation,
        # covering on PostgreSQL: migrations/0003_line_totals_index.py.

    def __str__(self) -> str:
        filters = "/".join(value or "*" for value in (self.mode, self.funding, self.locality))
        return f"{self.relation} {self.program} {filters}: {self.classes}, {self.students}"


class QuotaLine(models.Model):
    """A quota line of a plan year in the period (locality × program × funding) with what
    achieved it, as the school's ``planning/achievement.py`` counted."""

    package = models.ForeignKey(FiguresPackage, models.CASCADE, related_name="quota_lines")
    year = models.PositiveSmallIntegerField(_("plan year"))
    locality = models.CharField(_("locality"), max_length=32)
    locality_name = models.CharField(_("locality name"), max_length=255)
    program = models.CharField(_("program"), max_length=32)
    funding = models.CharField(_("funding"), max_length=16)
    planned = models.PositiveIntegerField(_("planned"))
    achieved = models.PositiveIntegerField(_("achieved"))

    class Meta:
        verbose_name = _("quota line")
        verbose_name_plural = _("quota lines")
        constraints = [
            models.UniqueConstraint(
                fields=["package", "year", "locality", "program", "funding"], name="academy_quota_line_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.locality} {self.program} {self.funding}: {self.achieved}/{self.planned}"


class ProgramGraduates(models.Model):
    """The graduates of a program in the period (at least the sum of its bands: those
    recorded without a classification, a fostering program's all, are in none)."""

    package = models.ForeignKey(FiguresPackage, models.CASCADE, related_name="program_graduates")
    program = models.CharField(_("program"), max_length=32)
    graduates = models.PositiveIntegerField(_("graduates"))

    class Meta:
        verbose_name = _("graduates of a program")
        verbose_name_plural = _("graduates by program")
        constraints = [models.UniqueConstraint(fields=["package", "program"], name="academy_graduates_once")]

    def __str__(self) -> str:
        return f"{self.program}: {self.graduates}"


class GraduationBand(models.Model):
    """The graduates of a program in the period in one classification band."""

    package = models.ForeignKey(FiguresPackage, models.CASCADE, related_name="graduation_bands")
    program = models.CharField(_("program"), max_length=32)
    band = models.CharField(_("band"), max_length=32)
    label = models.CharField(_("label"), max_length=255)
    count = models.PositiveIntegerField(_("graduates"))

    class Meta:
        verbose_name = _("graduates in a band")
        verbose_name_plural = _("graduates by band")
        constraints = [models.UniqueConstraint(fields=["package", "program", "band"], name="academy_band_once")]

    def __str__(self) -> str:
        return f"{self.program} {self.band}: {self.count}"


class EvaluationYear(models.Model):
    """A year's evaluation coverage: the year's classes, those evaluated, and the other
    counts the package gives (``counts``, whole numbers by name)."""

    package = models.ForeignKey(FiguresPackage, models.CASCADE, related_name="evaluation_years")
    year = models.PositiveSmallIntegerField(_("year"))
    classes = models.PositiveIntegerField(_("classes"))
    evaluated = models.PositiveIntegerField(_("classes evaluated"))
    counts = models.JSONField(_("other counts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("evaluation year")
        verbose_name_plural = _("evaluation years")
        constraints = [models.UniqueConstraint(fields=["package", "year"], name="academy_evaluation_year_once")]

    def __str__(self) -> str:
        return f"{self.year}: {self.evaluated}/{self.classes}"


class CareerCount(models.Model):
    """How many career events of one kind (appointments, awards…) in the period."""

    package = models.ForeignKey(FiguresPackage, models.CASCADE, related_name="career_counts")
    kind = models.CharField(_("kind"), max_length=32)
    label = models.CharField(_("label"), max_length=255)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("career events of a kind")
        verbose_name_plural = _("career events by kind")
        constraints = [models.UniqueConstraint(fields=["package", "kind"], name="academy_career_kind_once")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.count}"
