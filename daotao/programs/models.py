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


class ModuleKind(models.TextChoices):
    COURSE = "course", _("Module")
    FIELD_RESEARCH = "field_research", _("Field research")
    GRADUATION = "graduation", _("Graduation exam or essay")


class Module(models.Model):
    """A part of a program (học phần / phần học) with its periods and assessment scheme."""

    program = models.ForeignKey(Program, models.CASCADE, related_name="modules", verbose_name=_("program"))
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=255)
    block = models.CharField(
        _("knowledge block"), max_length=128, blank=True, help_text=_("The part of the program this module belongs to.")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ModuleKind.choices, default=ModuleKind.COURSE)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    periods = models.PositiveSmallIntegerField(_("periods"), help_text=_("Teaching periods (tiết)."))

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["program", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="module_code_unique_in_program"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class AssessmentKind(models.TextChoices):
    TEST = "test", _("Test")
    WRITTEN_EXAM = "written_exam", _("Written exam")
    ORAL_EXAM = "oral_exam", _("Oral exam")
    ESSAY = "essay", _("Essay")


class Assessment(models.Model):
    """One component of a module's assessment scheme, with its weight in the module result.

    The component marked ``is_exam`` is the final exam: absences can bar a student from
    it, and a failed or missed exam may be retaken (grading rules)."""

    module = models.ForeignKey(Module, models.CASCADE, related_name="assessments", verbose_name=_("module"))
    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("kind"), max_length=16, choices=AssessmentKind.choices)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    is_exam = models.BooleanField(_("final exam"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessment scheme")
        ordering = ["module", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=100), name="assessment_weight_1_to_100"
            ),
            models.UniqueConstraint(
                fields=["module"], condition=models.Q(is_exam=True), name="assessment_one_exam_per_module"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module.code}: {self.name} ({self.weight}%)"
