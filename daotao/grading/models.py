"""Grades, the grading rules of each program, discipline, graduation decisions and the
register of diplomas, certificates and confirmations.

The rules themselves (rounding, weighted means, pass mark, retakes, absence limit,
classification) are functions in ``grading.rules``; ``GradingRules`` only holds a
program's settings for them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Enrollment
from daotao.grading.rules import (
    DEFAULT_BANDS,
    DEFAULT_RULES,
    Classification,  # noqa: F401 (imported from here by other apps)
    bands_from_json,
    bands_to_json,
    check_bands,
    classification_name,
)
from daotao.lib.vietnamese import format_date

SCORE = {"max_digits": 3, "decimal_places": 1}
AVERAGE = {"max_digits": 4, "decimal_places": 2}


def score_between_0_and_10(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": 10}), name=name
    )


def default_bands() -> list[dict]:
    """Today's bands (``grading.rules.DEFAULT_BANDS``) as a new row stores them."""
    return bands_to_json(DEFAULT_BANDS)


class GradingRules(models.Model):
    """A program's grading settings; a program without a row uses the defaults, which a new
    row starts from (``grading.rules.DEFAULT_RULES``)."""

    program = models.OneToOneField(
        "programs.Program", models.CASCADE, related_name="grading_rules", verbose_name=_("program")
    )
    pass_mark = models.DecimalField(_("pass mark"), default=DEFAULT_RULES.pass_mark, **SCORE)
    score_decimals = models.PositiveSmallIntegerField(
        _("decimals of scores"),
        default=DEFAULT_RULES.score_decimals,
        help_text=_("Component and module results are rounded half up to this."),
    )
    average_decimals = models.PositiveSmallIntegerField(
        _("decimals of the program average"), default=DEFAULT_RULES.average_decimals
    )
    max_retakes = models.PositiveSmallIntegerField(_("retakes allowed per exam"), default=DEFAULT_RULES.max_retakes)
    retake_cap = models.DecimalField(
        _("highest module result after a retake"),
        null=True,
        blank=True,
        **SCORE,
        help_text=_("Leave empty for no cap."),
    )
    max_absence_percent = models.PositiveSmallIntegerField(
        _("absence limit (percentage of periods)"),
        default=DEFAULT_RULES.max_absence_percent,
        help_text=_("A student who missed more than this share of a module's periods may not sit its exam."),
    )
    bands = models.JSONField(
        _("classification bands"),
        default=default_bands,
        help_text=_("From the best down: each band's code, its name as printed and the average it starts from."),
    )
    downgrade_after_retake = models.BooleanField(
        _("one step lower after a retake"), default=DEFAULT_RULES.downgrade_after_retake
    )
    downgrade_for_discipline = models.BooleanField(
        _("one step lower after a disciplinary measure"), default=DEFAULT_RULES.downgrade_for_discipline
    )
    essay_max_gap = models.DecimalField(
        _("largest gap between the two essay marks"),
        default=DEFAULT_RULES.essay_max_gap,
        **SCORE,
        help_text=_("Marks further apart than this are reconciled by the faculty instead of averaged."),
    )
    certificate_min_score = models.DecimalField(
        _("lowest test score for a certificate"), default=DEFAULT_RULES.certificate_min_score, **SCORE
    )

    class Meta:
        verbose_name = _("grading rules")
        verbose_name_plural = _("grading rules")

    def __str__(self) -> str:
        return str(self.program)

    def clean(self):
        """The bands must be well formed (``grading.rules.check_bands``)."""
        super().clean()
        try:
            bands = bands_from_json(self.bands)
        except ValueError as error:
            raise ValidationError({"bands": str(error)}) from None
        pass_mark = self.pass_mark if self.pass_mark is not None else DEFAULT_RULES.pass_mark
        problems = check_bands(bands, pass_mark)
        if problems:
            raise ValidationError({"bands": problems})


class Grade(models.Model):
    """A student's result in one assessment component; ``attempt`` 2 is the retake of the
    exam. A student who missed the exam has ``absent`` set and no score."""

    enrollment = models.ForeignKey(
        "cohorts.Enrollment", models.CASCADE, related_name="grades", verbose_name=_("student")
    )
    assessment = models.ForeignKey(
        "programs.Assessment", models.PROTECT, related_name="grades", verbose_name=_("assessment")
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    score = models.DecimalField(_("score"), null=True, blank=True, **SCORE)
    absent = models.BooleanField(_("absent from the exam"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "assessment", "attempt"], name="grade_once_per_attempt"),
            score_between_0_and_10("score", "grade_score_0_10"),
            models.CheckConstraint(condition=Q(attempt__gte=1), name="grade_attempt_from_1"),
            models.CheckConstraint(condition=Q(absent=False) | Q(score__isnull=True), name="grade_absent_has_no_score"),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} – {self.assessment}: {self.score}"


class DisciplineMeasure(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    EXPULSION = "expulsion", _("Expulsion from the class")


class Discipline(models.Model):
    """A disciplinary measure taken against a student during the course."""

    enrollment = models.ForeignKey(
        "cohorts.Enrollment", models.CASCADE, related_name="disciplines", verbose_name=_("student")
    )
    measure = models.CharField(_("measure"), max_length=16, choices=DisciplineMeasure.choices)
    date = models.DateField(_("date"))
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("disciplinary measure")
        verbose_name_plural = _("disciplinary measures")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.enrollment}: {self.get_measure_display()}"


class GraduationDecision(models.Model):
    """The decision recognising who graduates (or completes a fostering course) in a cohort."""

    cohort = models.ForeignKey(
        "cohorts.Cohort", models.PROTECT, related_name="graduation_decisions", verbose_name=_("class")
    )
    number = models.CharField(_("decision number"), max_length=64)
    date = models.DateField(_("decision date"))
    signed_by = models.CharField(_("signed by"), max_length=128, blank=True)
    signer_lines = models.CharField(
        _("signer's title"),
        max_length=160,
        blank=True,
        editable=False,
        help_text=_("The title above the signature as it was when the decision was made, one line each."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("graduation decision")
        verbose_name_plural = _("graduation decisions")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.number} ({format_date(self.date)})"


class GraduationEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> GraduationEntryQuerySet:
        """The graduates whose enrollment the user may see (``Enrollment.visible_to``); none
        for lecturers, who do not handle graduation."""
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.lecturer_id is not None:
            return self.none()
        return self.filter(enrollment__in=Enrollment.objects.visible_to(user).values("pk"))


class GraduationEntry(models.Model):
    """One student's line in a graduation decision."""

    decision = models.ForeignKey(GraduationDecision, models.CASCADE, related_name="entries", verbose_name=_("decision"))
    enrollment = models.OneToOneField(
        "cohorts.Enrollment", models.PROTECT, related_name="graduation", verbose_name=_("student")
    )
    average = models.DecimalField(_("program average"), null=True, blank=True, **AVERAGE)
    # The code of a band of the program's rules (``grading.rules.Band``), empty for none.
    classification = models.CharField(_("classification"), max_length=16, blank=True)
    downgraded = models.BooleanField(_("downgraded one step"), default=False)

    objects = GraduationEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("graduate")
        verbose_name_plural = _("graduates")
        constraints = [score_between_0_and_10("average", "graduation_average_0_10")]

    def __str__(self) -> str:
        return f"{self.enrollment}: {classification_name(self.classification)}"


# --- registers ----------------------------------------------------------------------------------

# The register book a numbered record (a credential, a blank form, a receipt) belongs to: empty
# for this school's own, where every number is handed out; a school merged into this one keeps
# its numbers, exactly as printed on its papers, in its own register, named by ``register``.
# The same numbers may stand in two registers, never twice in one.
OWN_REGISTER = ""
REGISTER_MAX_LENGTH = 64


def register_field() -> models.CharField:
    """The ``register`` field of every numbered record (also ``finance.Payment``)."""
    return models.CharField(
        _("register"),
        max_length=REGISTER_MAX_LENGTH,
        blank=True,
        default=OWN_REGISTER,
        help_text=_(
            "Empty: this school's own register. A school merged into this one keeps its numbers in its own "
            "register, named here."
        ),
    )


def register_note(register: str) -> str:
    """ "Sổ: Trường Chính trị tỉnh Bình Phước" beside a number of another school's register;
    empty for the school's own."""
    if not register:
        return ""
    return gettext("Register: %(name)s") % {"name": register}


class InRegister:
    """What a numbered record (with a ``register`` field) says of its register."""

    register: str

    @property
    def is_own_register(self) -> bool:
        return self.register == OWN_REGISTER

    @property
    def register_note(self) -> str:
        return register_note(self.register)


class CredentialKind(models.TextChoices):
    DIPLOMA = "diploma", _("Diploma")
    CERTIFICATE = "certificate", _("Certificate")
    CONFIRMATION = "confirmation", _("Confirmation of completion")


class CredentialStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REPLACED = "replaced", _("Replaced")
    VOIDED = "voided", _("Voided")


class RegisterCounter(models.Model):
    """The last number handed out in one register of the school's own (e.g. diplomas of
    2026); numbers only ever go up, so a number is never given twice, even after a voided
    credential. A merged school's register (``Credential.register``) has no counter: it is
    given no new number."""

    kind = models.CharField(_("kind"), max_length=16, choices=CredentialKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("register counter")
        verbose_name_plural = _("register counters")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="register_counter_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.last_number}"


# Verification codes: Crockford's base 32 (no I, L, O, U: nothing to misread), 10 characters
# (50 random bits), shown as two groups of five ("K7QX3-MZP9T").
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10


def new_verification_code() -> str:
    """A random code for a new credential: it says nothing of the row, its order or its date."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class CredentialQuerySet(models.QuerySet):
    def visible_to(self, user) -> CredentialQuerySet:
        """The register for school staff; a locality's or agency's students' credentials for
        them; a student's own; none for lecturers."""
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.lecturer_id is not None:
            return self.none()
        return self.filter(enrollment__in=Enrollment.objects.visible_to(user).values("pk"))


class Credential(InRegister, models.Model):
    """A diploma (training), certificate (fostering) or confirmation of completion (given
    instead of a lost certificate) in the school's register, or (``register``) in the register
    of a school merged into this one, its numbers as that school printed them. Serial and
    register numbers are unique in their register and never reused; a reissue is a new
    credential that replaces the old one."""

    kind = models.CharField(_("kind"), max_length=16, choices=CredentialKind.choices)
    enrollment = models.ForeignKey(
        "cohorts.Enrollment", models.PROTECT, related_name="credentials", verbose_name=_("student")
    )
    graduation = models.ForeignKey(
        GraduationEntry, models.PROTECT, null=True, blank=True, related_name="credentials", verbose_name=_("graduation")
    )
    year = models.PositiveSmallIntegerField(_("register year"))
    sequence = models.PositiveIntegerField(_("number in the register year"))
    register_number = models.CharField(_("register number"), max_length=32)
    serial_number = models.CharField(_("serial number"), max_length=32)
    register = register_field()
    issued_on = models.DateField(_("issued on"))
    status = models.CharField(
        _("status"), max_length=16, choices=CredentialStatus.choices, default=CredentialStatus.VALID
    )
    replaces = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="replaced_by", verbose_name=_("replaces")
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True, help_text=_("Why it was reissued or voided."))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("issued by")
    )
    verification_code = models.CharField(
        _("verification code"),
        max_length=CODE_LENGTH,
        unique=True,
        default=new_verification_code,
        editable=False,
        help_text=_("Printed with its QR code on the credential; opens the public verification page."),
    )

    objects = CredentialQuerySet.as_manager()

    class Meta:
        verbose_name = _("diploma or certificate")
        verbose_name_plural = _("register of diplomas and certificates")
        ordering = ["kind", "year", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["register", "kind", "year", "sequence"], name="credential_sequence_unique"),
            models.UniqueConstraint(fields=["register", "register_number"], name="credential_register_number_unique"),
            models.UniqueConstraint(fields=["register", "serial_number"], name="credential_serial_number_unique"),
            # A certificate or diploma is issued once: one valid credential of a kind per student and class.
            models.UniqueConstraint(
                fields=["enrollment", "kind"], condition=Q(status="valid"), name="credential_one_valid_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.register_number}"


# --- blank forms (phôi) -------------------------------------------------------------------------

# The numbers pre-printed on blank forms: at least six digits shown ("TC 000123"), seven at most.
BLANK_FORM_MAX_NUMBER = 9_999_999
# The series of the serials the register numbers itself where a kind's forms are not tracked
# (``register.serial_number``): each is its kind's, so no batch of another kind may use it
# (``blank_forms.batch_receive``).
SERIAL_PREFIX = {CredentialKind.DIPLOMA: "TC", CredentialKind.CERTIFICATE: "BD", CredentialKind.CONFIRMATION: "XN"}


def format_serial(prefix: str, number: int) -> str:
    """ "TC 000123": a series and a number, as printed on a form and written in the register."""
    return f"{prefix} {number:06d}"


class BlankFormBatch(InRegister, models.Model):
    """Blank forms of one kind received together, pre-printed with the serials ``prefix``
    ``first_number`` to ``last_number``, for one program or (no program) any program of the
    kind. A form has no row of its own until it is used, spoiled or voided (``BlankForm``):
    a batch of 10.000 forms is one row. Ranges of one series never overlap in a register
    (``blank_forms.batch_receive``); a merged school's batches are in its own (``register``)."""

    kind = models.CharField(_("kind"), max_length=16, choices=CredentialKind.choices)
    program = models.ForeignKey(
        "programs.Program",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="blank_form_batches",
        verbose_name=_("program"),
        help_text=_("Leave empty for any program of the kind."),
    )
    prefix = models.CharField(_("series"), max_length=8)
    first_number = models.PositiveIntegerField(_("first number"))
    last_number = models.PositiveIntegerField(_("last number"))
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("delivery note"), max_length=128, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    register = register_field()
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("batch of blank forms")
        verbose_name_plural = _("batches of blank forms")
        ordering = ["kind", "prefix", "first_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_number__gte=1) & Q(last_number__gte=F("first_number")),
                name="blank_form_batch_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial(self.first_number)} – {self.serial(self.last_number)}"

    @property
    def size(self) -> int:
        return self.last_number - self.first_number + 1

    def serial(self, number: int) -> str:
        return format_serial(self.prefix, number)


class BlankFormState(models.TextChoices):
    USED = "used", _("Used")
    SPOILED = "spoiled", _("Spoiled in printing")
    VOIDED = "voided", _("Voided (lost or damaged)")


class BlankForm(InRegister, models.Model):
    """One blank form out of its batch's stock: printed with a credential (used), misprinted
    (spoiled; it keeps the credential whose print failed) or lost or damaged before use
    (voided). Rows are only added, and a used form only ever becomes spoiled. Its
    ``register`` is its batch's."""

    batch = models.ForeignKey(BlankFormBatch, models.PROTECT, related_name="forms", verbose_name=_("batch"))
    number = models.PositiveIntegerField(_("number"))
    serial = models.CharField(_("serial number"), max_length=32)
    register = register_field()
    state = models.CharField(_("state"), max_length=16, choices=BlankFormState.choices)
    credential = models.ForeignKey(
        Credential, models.PROTECT, null=True, blank=True, related_name="blank_forms", verbose_name=_("credential")
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )

    class Meta:
        verbose_name = _("blank form")
        verbose_name_plural = _("blank forms used, spoiled or voided")
        ordering = ["batch_id", "number"]  # by the column: no join (nor a lock) of the batch
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="blank_form_once"),
            models.UniqueConstraint(fields=["register", "serial"], name="blank_form_serial_unique"),
            models.UniqueConstraint(
                fields=["credential"], condition=Q(state="used"), name="blank_form_one_used_per_credential"
            ),
            models.CheckConstraint(
                condition=~Q(state="used") | Q(credential__isnull=False), name="blank_form_used_has_credential"
            ),
            models.CheckConstraint(condition=Q(state="used") | ~Q(reason=""), name="blank_form_discarded_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.serial} ({self.get_state_display().lower()})"
