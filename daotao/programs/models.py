"""Training and fostering programs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramKind(models.TextChoices):
    TRAINING = "training", _("Training (diploma)")
    FOSTERING = "fostering", _("Fostering (certificate)")


class ReportCategory(models.TextChoices):
    """Groups of programs that reports count together (``--category``)."""

    POLITICAL_THEORY = "political_theory", _("Political theory (Trung cấp)")
    CIVIL_SERVICE_GRADE = "civil_service_grade", _("Fostering by civil-service grade")
    LEADERSHIP = "leadership", _("Fostering of leaders and managers")
    GRASSROOTS = "grassroots", _("Fostering of commune-level cadres")
    OTHER = "other", _("Other")


class Program(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=ProgramKind.choices)
    category = models.CharField(_("report category"), max_length=32, choices=ReportCategory.choices)
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration (weeks)"), null=True, blank=True, help_text=_("Typical length of one class.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def gives_diploma(self) -> bool:
        return self.kind == ProgramKind.TRAINING
