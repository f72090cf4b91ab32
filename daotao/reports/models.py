"""Report templates: an ordered list of lines, each a label, a filter and a relation.

New reports are data, not code: the training office composes them in the admin.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from daotao.cohorts.models import Funding, Mode
from daotao.programs.models import Program, ReportCategory
from daotao.reports import engine


class Relation(models.TextChoices):
    OPENED = engine.OPENED, _("Opened in the period")
    CARRIED_OVER = engine.CARRIED_OVER, _("Carried over into the period")
    ACTIVE = engine.ACTIVE, _("Running in the period")
    CLOSED = engine.CLOSED, _("Closed in the period")
    CARRIED_OVER_RUNNING = engine.CARRIED_OVER_RUNNING, _("Carried over into the period and still running at its end")


class ReportTemplate(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    title = models.CharField(
        _("document title"),
        max_length=255,
        help_text=_("May use {year}, {period}, {from} and {to}, e.g. “Báo cáo ... năm {year}”."),
    )
    summary = models.TextField(
        _("summary paragraph"),
        blank=True,
        help_text=_(
            "Text with placeholders: {year} (the year the period ends in), {prev_year}, {period} "
            "(“từ 01/03/2026 đến 30/04/2026”, or “năm 2026” for a calendar year), {from}, {to}, "
            "{KEY.classes} and {KEY.students} for each line key, {quota.unmet_count} and {quota.unmet_names}."
        ),
    )
    is_builtin = models.BooleanField(_("built in"), default=False, editable=False)

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        ordering = ["-is_builtin", "name"]

    def __str__(self) -> str:
        return self.name

    # The title and summary are checked against the keys of the lines being saved with them,
    # which only the admin's line formset knows (reports.admin.ReportLineFormSet).


class ReportLine(models.Model):
    template = models.ForeignKey(ReportTemplate, models.CASCADE, related_name="lines", verbose_name=_("template"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.SlugField(
        _("key"), max_length=40, help_text=_("Short name used in the summary paragraph, e.g. tc_opened.")
    )
    label = models.CharField(
        _("label"), max_length=255, help_text=_("May use {year}, {prev_year}, {period}, {from} and {to}.")
    )
    level = models.PositiveSmallIntegerField(
        _("indent level"), default=0, help_text=_("0 for a main line, 1 for an “of which” line.")
    )
    relation = models.CharField(_("relation"), max_length=24, choices=Relation.choices)
    program_codes = models.CharField(
        _("program codes"), max_length=255, blank=True, help_text=_("Comma-separated, e.g. BD-CV, BD-CVC.")
    )
    category = models.CharField(_("program category"), max_length=32, choices=ReportCategory.choices, blank=True)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, blank=True)
    funding = models.CharField(_("funding"), max_length=16, choices=Funding.choices, blank=True)
    locality = models.ForeignKey(
        "org.Unit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("host locality")
    )
    show_students = models.BooleanField(_("show students"), default=True)

    class Meta:
        verbose_name = _("report line")
        verbose_name_plural = _("report lines")
        ordering = ["template", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="report_line_key_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def programs(self) -> tuple[str, ...]:
        return engine.parse_program_codes([self.program_codes], field="program_codes")

    def cohort_filter(self) -> engine.CohortFilter:
        return engine.CohortFilter(
            programs=self.programs,
            category=self.category,
            mode=self.mode,
            funding=self.funding,
            locality=self.locality.code if self.locality_id else "",
        )

    def clean(self):
        try:
            codes = set(self.programs)
        except engine.ReportInputError as error:
            raise ValidationError({"program_codes": error.message}) from None
        known = set(Program.objects.filter(code__in=codes).values_list("code", flat=True))
        if codes - known:
            raise ValidationError(
                {"program_codes": _("Unknown program code: %(codes)s.") % {"codes": ", ".join(sorted(codes - known))}}
            )
        self.program_codes = ", ".join(self.programs)
