"""Nominations (Application), their dossier, the eligibility rules of each program, and
the admission decision (DESIGN.md glossary: ``Application``).

A locality or an agency nominates a candidate for a program in a plan year; the
candidate's personal and career data are stored on the application as nominated. The
dossier checklist and the program's eligibility rules are checked on every change and
their outcome is stored (``status``, ``checks``, ``missing_documents``) so that lists and
the quota page count in SQL. The training office then admits or rejects, and places the
admitted in a class: admission creates (or links, by national ID) the ``Student``, placing
creates the ``Enrollment``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Funding, Mode
from daotao.lib.vietnamese import fold
from daotao.people.models import Gender, NamedPerson, PersonQuerySet, national_id_problem


class PartyStatus(models.TextChoices):
    NONE = "none", _("Not a Party member")
    PROBATIONARY = "probationary", _("Probationary Party member")
    FULL = "full", _("Full Party member")


PARTY_RANK = {PartyStatus.NONE: 0, PartyStatus.PROBATIONARY: 1, PartyStatus.FULL: 2}


class EducationLevel(models.IntegerChoices):
    LOWER_SECONDARY = 1, _("Lower secondary")
    UPPER_SECONDARY = 2, _("Upper secondary")
    VOCATIONAL = 3, _("Vocational secondary (trung cấp)")
    COLLEGE = 4, _("College")
    UNIVERSITY = 5, _("University")
    MASTER = 6, _("Master")
    DOCTORATE = 7, _("Doctorate")


class TheoryLevel(models.IntegerChoices):
    NONE = 0, _("None")
    ELEMENTARY = 1, _("Elementary (sơ cấp)")
    INTERMEDIATE = 2, _("Intermediate (trung cấp)")
    ADVANCED = 3, _("Advanced (cao cấp, cử nhân)")


class Rating(models.IntegerChoices):
    """A year's performance rating of a cadre."""

    NOT_COMPLETED = 1, _("Did not complete duties")
    COMPLETED = 2, _("Completed duties")
    GOOD = 3, _("Completed duties well")
    EXCELLENT = 4, _("Completed duties excellently")


class CivilServiceGrade(models.TextChoices):
    """Civil-service grades (ngạch) and the public-employee ranks (hạng) treated as equal."""

    NONE = "", _("None")
    STAFF = "staff", _("Staff (nhân viên)")
    OFFICER = "officer", _("Officer (cán sự)")
    SPECIALIST = "specialist", _("Specialist (chuyên viên)")
    PRINCIPAL = "principal", _("Principal specialist (chuyên viên chính)")
    SENIOR = "senior", _("Senior specialist (chuyên viên cao cấp)")
    RANK_IV = "rank_iv", _("Public employee, rank IV")
    RANK_III = "rank_iii", _("Public employee, rank III")
    RANK_II = "rank_ii", _("Public employee, rank II")
    RANK_I = "rank_i", _("Public employee, rank I")


class CodedName(models.Model):
    """A short list the training office keeps: a code (used in imports) and a name."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PositionCategory(CodedName):
    """A kind of position the regulations name (e.g. head of a commune-level department)."""

    class Meta(CodedName.Meta):
        verbose_name = _("position category")
        verbose_name_plural = _("position categories")


# --- dossier ---------------------------------------------------------------------------------


class DocumentType(CodedName):
    class Meta(CodedName.Meta):
        verbose_name = _("document type")
        verbose_name_plural = _("document types")


class ProgramDocument(models.Model):
    """A document the dossier of a program's candidate holds."""

    program = models.ForeignKey(
        "programs.Program", models.CASCADE, related_name="dossier_documents", verbose_name=_("program")
    )
    document_type = models.ForeignKey(DocumentType, models.PROTECT, related_name="+", verbose_name=_("document"))
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier checklist")
        ordering = ["program", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "document_type"], name="program_document_once"),
        ]

    def __str__(self) -> str:
        return f"{self.program.code} · {self.document_type}"


# --- eligibility rules -----------------------------------------------------------------------


class RuleKind(models.TextChoices):
    AGE = "age", _("Age on the reference date")
    PARTY = "party", _("Party membership")
    EDUCATION = "education", _("Education level")
    PERFORMANCE = "performance", _("Performance rating in the previous years")
    POSITION = "position", _("Position, or in the planning pool for one")
    PLANNING_POOL = "planning_pool", _("In the cadre planning pool")
    GRADE = "grade", _("Civil-service grade")


class EligibilityRule(models.Model):
    """One standard a candidate of a program must meet; which fields apply depends on ``kind``."""

    program = models.ForeignKey(
        "programs.Program", models.CASCADE, related_name="eligibility_rules", verbose_name=_("program")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    mode = models.CharField(
        _("applies to mode"),
        max_length=20,
        choices=Mode.choices,
        blank=True,
        help_text=_("Empty: every mode of study."),
    )
    source = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("The regulation the rule comes from.")
    )
    # age
    min_age_male = models.PositiveSmallIntegerField(_("minimum age, men"), null=True, blank=True)
    min_age_female = models.PositiveSmallIntegerField(_("minimum age, women"), null=True, blank=True)
    max_age_male = models.PositiveSmallIntegerField(_("maximum age, men"), null=True, blank=True)
    max_age_female = models.PositiveSmallIntegerField(_("maximum age, women"), null=True, blank=True)
    reference_date = models.DateField(
        _("reference date"),
        null=True,
        blank=True,
        help_text=_("Age is computed on this date; empty: 1 January of the plan year."),
    )
    # party
    party_status = models.CharField(
        _("at least"),
        max_length=16,
        choices=[c for c in PartyStatus.choices if c[0] != PartyStatus.NONE],
        blank=True,
    )
    # education
    education_min = models.PositiveSmallIntegerField(
        _("minimum education level"), choices=EducationLevel.choices, null=True, blank=True
    )
    minority_education_min = models.PositiveSmallIntegerField(
        _("minimum for ethnic-minority cadres"),
        choices=EducationLevel.choices,
        null=True,
        blank=True,
        help_text=_("Empty: the same as for everyone."),
    )
    # performance
    rating_min = models.PositiveSmallIntegerField(_("minimum rating"), choices=Rating.choices, null=True, blank=True)
    rating_years = models.PositiveSmallIntegerField(
        _("years rated"), default=2, help_text=_("How many years before the plan year must meet the minimum (1 or 2).")
    )
    # position
    positions = models.ManyToManyField(PositionCategory, blank=True, related_name="+", verbose_name=_("positions"))
    accept_planning_pool = models.BooleanField(_("or in the planning pool for one of them"), default=True)
    # grade
    grades = models.JSONField(
        _("civil-service grades"), default=list, blank=True, help_text=_("Codes of the accepted grades and ranks.")
    )

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["program", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(rating_years__gte=1) & Q(rating_years__lte=2), name="rule_rating_years"),
        ]

    def __str__(self) -> str:
        return f"{self.program.code} · {self.get_kind_display()}"

    def clean(self):
        errors = {}
        if self.kind == RuleKind.AGE and not any(
            v is not None for v in (self.min_age_male, self.min_age_female, self.max_age_male, self.max_age_female)
        ):
            errors["min_age_male"] = _("Give at least one age limit.")
        for low, high in (("min_age_male", "max_age_male"), ("min_age_female", "max_age_female")):
            a, b = getattr(self, low), getattr(self, high)
            if a is not None and b is not None and a > b:
                errors[high] = _("The maximum age cannot be below the minimum age.")
        if self.kind == RuleKind.PARTY and not self.party_status:
            errors["party_status"] = _("Choose the membership required.")
        if self.kind == RuleKind.EDUCATION and self.education_min is None:
            errors["education_min"] = _("Choose the minimum education level.")
        if self.kind == RuleKind.PERFORMANCE and self.rating_min is None:
            errors["rating_min"] = _("Choose the minimum rating.")
        if self.kind == RuleKind.GRADE:
            valid = set(CivilServiceGrade.values) - {""}
            if not self.grades or not isinstance(self.grades, list) or not set(self.grades) <= valid:
                errors["grades"] = _("List the accepted grades by code: %(codes)s.") % {
                    "codes": ", ".join(sorted(valid))
                }
        if errors:
            raise ValidationError(errors)


# --- applications ----------------------------------------------------------------------------


class Status(models.TextChoices):
    """Where an application stands; the first three are computed, the last two decided."""

    INCOMPLETE = "incomplete", _("Dossier incomplete")
    INELIGIBLE = "ineligible", _("Not eligible")
    ELIGIBLE = "eligible", _("Eligible")
    ADMITTED = "admitted", _("Admitted")
    REJECTED = "rejected", _("Rejected")


# Counted as "eligible" on the quota page: meets the standards, whether decided yet or not.
ELIGIBLE_STATUSES = (Status.ELIGIBLE, Status.ADMITTED)


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    ADMITTED = "admitted", _("Admitted")
    REJECTED = "rejected", _("Rejected")


def _from_plan_year(day):
    """For ``Scope.unit_q``: nominations of the succession's plan year and later."""
    return Q(plan__year__gte=day.year)


class ApplicationQuerySet(PersonQuerySet):
    def visible_to(self, user) -> ApplicationQuerySet:
        """Applications a user may see: all for the school; for a locality coordinator those
        of their locality and below; for a sending agency those of its own staff."""
        scope = scope_of(user)
        if scope.everything:
            return self
        # A unit that took over another answers for its nominations from the succession's
        # plan year on, not for the years before it (as for quotas).
        since = _from_plan_year
        if scope.agency_path is not None:
            return self.filter(scope.unit_q("agency", since=since))
        if scope.unit_path is not None:
            return self.filter(scope.unit_q("locality", since=since))
        return self.none()


class Application(NamedPerson):
    """A nominated candidate (hồ sơ tuyển sinh) for a program in a plan year."""

    plan = models.ForeignKey("planning.AnnualPlan", models.PROTECT, related_name="applications", verbose_name=_("plan"))
    program = models.ForeignKey(
        "programs.Program", models.PROTECT, related_name="applications", verbose_name=_("program")
    )
    mode = models.CharField(_("mode of study"), max_length=20, choices=Mode.choices)
    funding = models.CharField(_("funding"), max_length=16, choices=Funding.choices)
    locality = models.ForeignKey(
        "org.Unit", models.PROTECT, related_name="applications", verbose_name=_("nominating locality")
    )
    agency = models.ForeignKey(
        "org.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="agency_applications",
        verbose_name=_("sending agency"),
    )
    # The candidate, as nominated.
    national_id = models.CharField(_("national ID"), max_length=12)
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=32, default="Kinh")
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    party_status = models.CharField(
        _("Party membership"), max_length=16, choices=PartyStatus.choices, default=PartyStatus.NONE
    )
    party_joined_on = models.DateField(_("joined the Party on"), null=True, blank=True)
    education_level = models.PositiveSmallIntegerField(
        _("education level"), choices=EducationLevel.choices, null=True, blank=True
    )
    theory_level = models.PositiveSmallIntegerField(
        _("political-theory level"), choices=TheoryLevel.choices, default=TheoryLevel.NONE
    )
    position = models.CharField(_("current position"), max_length=255, blank=True)
    position_category = models.ForeignKey(
        PositionCategory, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("position category")
    )
    workplace = models.CharField(_("workplace"), max_length=255, blank=True)
    grade = models.CharField(_("civil-service grade"), max_length=16, choices=CivilServiceGrade.choices, blank=True)
    in_planning_pool = models.BooleanField(_("in the cadre planning pool"), default=False)
    planned_position = models.ForeignKey(
        PositionCategory,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned for the position"),
    )
    rating_last_year = models.PositiveSmallIntegerField(
        _("rating, last year"), choices=Rating.choices, null=True, blank=True
    )
    rating_year_before = models.PositiveSmallIntegerField(
        _("rating, the year before"), choices=Rating.choices, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    # Who submitted it.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The outcome of the checks (``daotao.admissions.checks``), stored for lists and counts.
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.INCOMPLETE, db_index=True
    )
    checks = models.JSONField(_("eligibility checks"), default=list, editable=False)
    missing_documents = models.JSONField(_("missing documents"), default=list, editable=False)
    flags = models.JSONField(_("flags"), default=list, editable=False)
    # The decision of the training office.
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    student = models.ForeignKey(
        "people.Student", models.PROTECT, null=True, blank=True, related_name="applications", verbose_name=_("student")
    )
    enrollment = models.OneToOneField(
        "cohorts.Enrollment",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("placed in"),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta(NamedPerson.Meta):
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "program", "national_id"], name="application_once_per_program_and_year"
            ),
            models.CheckConstraint(
                condition=Exact(Length("national_id"), 12), name="application_national_id_12_digits"
            ),
        ]
        indexes = [models.Index(fields=["plan", "program", "locality", "status"], name="application_quota_count")]

    @property
    def year(self) -> int:
        return self.plan.year

    @property
    def is_ethnic_minority(self) -> bool:
        return bool(self.ethnicity) and fold(self.ethnicity) != "kinh"

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def clean(self):
        super().clean()
        errors = {}
        if self.national_id:
            problem = national_id_problem(self.national_id, self.date_of_birth, self.gender or None)
            if problem:
                errors["national_id"] = problem
        if self.party_status == PartyStatus.NONE and self.party_joined_on:
            errors["party_joined_on"] = _("A candidate who is not a Party member has no date of joining.")
        if self.party_joined_on and self.date_of_birth and self.party_joined_on <= self.date_of_birth:
            errors["party_joined_on"] = _("The date of joining the Party must be after the date of birth.")
        if self.planned_position_id and not self.in_planning_pool:
            errors["planned_position"] = _("A planned position is given only for a candidate in the planning pool.")
        if errors:
            raise ValidationError(errors)


def dossier_path(instance, filename: str) -> str:
    """A scan is stored under an unguessable folder; it is served only through the
    application's page, to those who may see the application (``admissions:document-file``)."""
    return f"dossiers/{secrets.token_hex(16)}/{Path(filename).name}"


class ApplicationDocument(models.Model):
    """One document of the dossier: received or not, with an optional scan."""

    application = models.ForeignKey(
        Application, models.CASCADE, related_name="documents", verbose_name=_("application")
    )
    document_type = models.ForeignKey(DocumentType, models.PROTECT, related_name="+", verbose_name=_("document"))
    received = models.BooleanField(_("received"), default=False)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=dossier_path, blank=True)

    class Meta:
        verbose_name = _("document received")
        verbose_name_plural = _("documents received")
        constraints = [
            models.UniqueConstraint(fields=["application", "document_type"], name="application_document_once"),
        ]

    def __str__(self) -> str:
        return str(self.document_type)


class RuleException(models.Model):
    """A standard waived for one candidate by the competent level, recorded with who decided."""

    application = models.ForeignKey(
        Application, models.CASCADE, related_name="exceptions", verbose_name=_("application")
    )
    rule = models.ForeignKey(EligibilityRule, models.CASCADE, related_name="exceptions", verbose_name=_("rule"))
    decided_by = models.CharField(
        _("decided by"), max_length=255, help_text=_("The competent level that allowed the exception.")
    )
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decided_on = models.DateField(_("decided on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("exception to a rule")
        verbose_name_plural = _("exceptions to rules")
        constraints = [models.UniqueConstraint(fields=["application", "rule"], name="rule_exception_once")]

    def __str__(self) -> str:
        return f"{self.application} · {self.rule}"

    def clean(self):
        if self.application_id and self.rule_id and self.rule.program_id != self.application.program_id:
            raise ValidationError({"rule": _("The rule belongs to another program.")})
