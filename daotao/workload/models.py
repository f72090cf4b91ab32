"""The coefficients that turn what a lecturer did into standard hours (giờ chuẩn), and each
lecturer's yearly norm (định mức). The training office keeps them in the admin.

A school changes its coefficients by decision: ``WorkloadRules`` rows are valid from their
year until the next row's year, so a year's report uses the values in force that year
(``WorkloadRulesQuerySet.in_force``). The computation itself is ``hours.py``."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from daotao.lib.dates import MAX_YEAR, MIN_YEAR

# A coefficient: 0 to 99,999 with three decimals (0,125 hour per script).
COEFFICIENT = {"max_digits": 5, "decimal_places": 3, "validators": [MinValueValidator(Decimal(0))]}
HOURS = {"max_digits": 7, "decimal_places": 1}
YEAR_VALIDATORS = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]

# The shipped defaults (the admin changes them; a school's decision overrides them).
DEFAULT_NORM = Decimal(270)


def in_force(rules_by_year, year: int) -> WorkloadRules:
    """Of ``rules_by_year`` (in the order of their years), the rules valid in ``year``: the
    latest from that year or before; before the first, the first; with none at all, the
    shipped defaults (not saved)."""
    chosen = None
    for rules in rules_by_year:
        if rules.year <= year:
            chosen = rules
        elif chosen is None:
            chosen = rules
            break
    return chosen or WorkloadRules(year=year)


class WorkloadRulesQuerySet(models.QuerySet):
    def in_force(self, year: int) -> WorkloadRules:
        return in_force(self.order_by("year"), year)


class WorkloadRules(models.Model):
    """The coefficients of one decision, valid from ``year`` until the next decision."""

    year = models.PositiveSmallIntegerField(_("valid from year"), unique=True, validators=YEAR_VALIDATORS)
    decision = models.CharField(
        _("decision"), max_length=255, blank=True, help_text=_("Number and date of the decision.")
    )
    lecture = models.DecimalField(_("lecture (per period)"), default=Decimal("1.000"), **COEFFICIENT)
    seminar = models.DecimalField(_("seminar or discussion (per period)"), default=Decimal("0.700"), **COEFFICIENT)
    field_trip = models.DecimalField(_("field trip (per period)"), default=Decimal("0.500"), **COEFFICIENT)
    exam_script = models.DecimalField(_("exam script graded (per script)"), default=Decimal("0.150"), **COEFFICIENT)
    essay_grading = models.DecimalField(_("essay graded (per essay)"), default=Decimal("0.500"), **COEFFICIENT)
    essay_supervision = models.DecimalField(_("essay supervised (per essay)"), default=Decimal("3.000"), **COEFFICIENT)
    norm = models.DecimalField(
        _("yearly norm (standard hours)"),
        default=DEFAULT_NORM,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Each lecturer's norm unless set for them; visiting lecturers have none."),
        **HOURS,
    )

    objects = WorkloadRulesQuerySet.as_manager()

    class Meta:
        verbose_name = _("workload coefficients")
        verbose_name_plural = _("workload coefficients")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lecture__gte=0, seminar__gte=0, field_trip__gte=0)
                & Q(exam_script__gte=0, essay_grading__gte=0, essay_supervision__gte=0, norm__gte=0),
                name="workload_rules_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Workload coefficients from %(year)s") % {"year": self.year})

    def program_coefficient(self, program_id: int) -> Decimal:
        """The program's coefficient (1 when the rules name none); reads the prefetched rows."""
        if self.pk is None:
            return Decimal(1)
        for row in self.programs.all():
            if row.program_id == program_id:
                return row.coefficient
        return Decimal(1)

    def size_coefficient(self, students: int) -> Decimal:
        """The coefficient of the highest band a class of ``students`` is above (1 below all)."""
        bands = DEFAULT_BANDS if self.pk is None else [(b.more_than, b.coefficient) for b in self.size_bands.all()]
        chosen = Decimal(1)
        for more_than, coefficient in sorted(bands):
            if students > more_than:
                chosen = coefficient
        return chosen


# Larger classes weigh more: over 60 students ×1,1, over 100 ×1,2.
DEFAULT_BANDS = [(60, Decimal("1.1")), (100, Decimal("1.2"))]


class ProgramCoefficient(models.Model):
    """A program's teaching weighs more or less (periods × this); 1 when not set."""

    rules = models.ForeignKey(WorkloadRules, models.CASCADE, related_name="programs", verbose_name=_("coefficients"))
    program = models.ForeignKey("programs.Program", models.CASCADE, related_name="+", verbose_name=_("program"))
    coefficient = models.DecimalField(_("coefficient"), **COEFFICIENT)

    class Meta:
        verbose_name = _("program coefficient")
        verbose_name_plural = _("program coefficients")
        constraints = [
            models.UniqueConstraint(fields=["rules", "program"], name="workload_program_once"),
            models.CheckConstraint(condition=Q(coefficient__gte=0), name="workload_program_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.coefficient}"


class ClassSizeBand(models.Model):
    """A class of more than ``more_than`` counted students weighs ``coefficient`` (the
    highest band the class is above applies)."""

    rules = models.ForeignKey(WorkloadRules, models.CASCADE, related_name="size_bands", verbose_name=_("coefficients"))
    more_than = models.PositiveIntegerField(_("more than (students)"))
    coefficient = models.DecimalField(_("coefficient"), **COEFFICIENT)

    class Meta:
        verbose_name = _("class size band")
        verbose_name_plural = _("class size bands")
        ordering = ["more_than"]
        constraints = [
            models.UniqueConstraint(fields=["rules", "more_than"], name="workload_band_once"),
            models.CheckConstraint(condition=Q(coefficient__gte=0), name="workload_band_not_negative"),
        ]

    def __str__(self) -> str:
        return f"> {self.more_than}: {self.coefficient}"


class LecturerNorm(models.Model):
    """A lecturer's own norm for a year (reduced for a leader, a new lecturer, leave …),
    instead of the year's rules' norm."""

    lecturer = models.ForeignKey("org.Lecturer", models.CASCADE, related_name="norms", verbose_name=_("lecturer"))
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    norm = models.DecimalField(_("norm (standard hours)"), validators=[MinValueValidator(Decimal(0))], **HOURS)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("lecturer's norm")
        verbose_name_plural = _("lecturers' norms")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["lecturer", "year"], name="workload_norm_once_a_year"),
            models.CheckConstraint(condition=Q(norm__gte=0), name="workload_norm_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.lecturer} {self.year}: {self.norm}"
