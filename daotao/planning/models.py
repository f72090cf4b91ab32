"""Yearly plans and the quotas they give each locality."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Funding


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class AnnualPlan(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title or str(_("Plan for %(year)s") % {"year": self.year})


class QuotaQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuotaQuerySet:
        """Quotas a user may see: all for school staff, their unit's subtree for a coordinator,
        and the quotas of a unit their unit took over from the year of the succession on."""
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.unit_path is None:
            return self.none()
        return self.filter(scope.unit_q("locality", since=lambda day: Q(plan__year__gte=day.year)))


class Quota(models.Model):
    """How many classes and students of a program a locality is to open in a plan year."""

    plan = models.ForeignKey(AnnualPlan, models.CASCADE, related_name="quotas", verbose_name=_("plan"))
    program = models.ForeignKey("programs.Program", models.PROTECT, related_name="quotas", verbose_name=_("program"))
    locality = models.ForeignKey("org.Unit", models.PROTECT, related_name="quotas", verbose_name=_("locality"))
    funding = models.CharField(_("funding"), max_length=16, choices=Funding.choices)
    classes = models.PositiveSmallIntegerField(_("classes"), default=0)
    students = models.PositiveIntegerField(_("students"), default=0)

    objects = QuotaQuerySet.as_manager()

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["plan", "locality__sort_key", "program__code", "funding"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "program", "locality", "funding"], name="quota_unique_per_plan_line"
            ),
            models.CheckConstraint(condition=Q(classes__gte=0) & Q(students__gte=0), name="quota_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.year} · {self.program.code} · {self.locality} · {self.get_funding_display()}"
