"""Absence warnings (cảnh báo vắng học): when a student's absences in a module reach a share
of the absence limit that the training office chose (``AbsenceThreshold``: 50%, 80% and
100% by default), DaoTao emails the student and the locality and agency that sent them, once
per threshold (``AbsenceWarning``).

The limit itself is the grading rule's (``grading.rules.absence_limit``, the program's
``max_absence_percent`` of the module's periods); the absences are counted where a class's
results count them (``grading.results.module_periods``). ``alerts.risk`` reads both for
many classes at once, ``alerts.sending`` finds the new crossings and mails them.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Enrollment
from daotao.lib.vietnamese import format_local_datetime
from daotao.people.privacy import mask_email

# The thresholds a new installation starts with (percent of the absence limit).
DEFAULT_THRESHOLDS = (50, 80, 100)


class AbsenceThresholdQuerySet(models.QuerySet):
    def percents(self) -> list[int]:
        """The active thresholds, lowest first."""
        return list(self.filter(is_active=True).order_by("percent").values_list("percent", flat=True))


class AbsenceThreshold(models.Model):
    """A share of the absence limit at which a student is warned (100 = the limit reached)."""

    percent = models.PositiveSmallIntegerField(
        _("percentage of the absence limit"),
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "A student is warned when their absences in a module reach this share of the limit "
            "the program's grading rules allow; 100 means the limit is reached."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = AbsenceThresholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("absence warning threshold")
        verbose_name_plural = _("absence warning thresholds")
        ordering = ["percent"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=1, percent__lte=100), name="absence_threshold_percent_1_to_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.percent}%"


class Party(models.TextChoices):
    """Who a warning is written to."""

    STUDENT = "student", _("the student")
    LOCALITY = "locality", _("the locality")
    AGENCY = "agency", _("the sending agency")


class WarningStatus(models.TextChoices):
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not sent; tried again on the next run")
    UNREACHABLE = "unreachable", _("Nobody could be emailed")


class AbsenceWarningQuerySet(models.QuerySet):
    def visible_to(self, user) -> AbsenceWarningQuerySet:
        """The warnings of the enrollments the user may see (``Enrollment.visible_to``):
        school staff all, a coordinator or an agency their own students, a lecturer the
        classes they teach, a student their own."""
        if scope_of(user).everything:
            return self
        return self.filter(enrollment__in=Enrollment.objects.visible_to(user).values("pk"))

    def standing(self) -> AbsenceWarningQuerySet:
        """The warnings not withdrawn after a correction of the attendance."""
        return self.filter(withdrawn_at__isnull=True)


class AbsenceWarning(models.Model):
    """One threshold crossed by one student in one module, and the email about it.

    A threshold is warned once per student and module: the database refuses a second
    standing warning (two runs at once cannot both send it). A warning whose absences were
    later corrected below its threshold is withdrawn (``withdrawn_at``); if the student
    crosses it again, that is a new warning, and a new email."""

    enrollment = models.ForeignKey(
        "cohorts.Enrollment", models.CASCADE, related_name="absence_warnings", verbose_name=_("student")
    )
    module = models.ForeignKey("programs.Module", models.PROTECT, related_name="+", verbose_name=_("module"))
    threshold = models.PositiveSmallIntegerField(
        _("threshold (percentage of the limit)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    absences = models.PositiveIntegerField(_("periods missed"))
    module_periods = models.PositiveIntegerField(_("periods of the module"))
    limit_percent = models.PositiveSmallIntegerField(_("absence limit (percentage of periods)"))
    limit = models.DecimalField(_("absence limit (periods)"), max_digits=8, decimal_places=2)
    as_of = models.DateField(_("attendance counted up to"))
    found_at = models.DateTimeField(_("found at"))
    status = models.CharField(_("status"), max_length=16, choices=WarningStatus.choices, default=WarningStatus.SENDING)
    # The threshold of the email that told of this crossing: several thresholds crossed at
    # once are told in one email, of the highest.
    mail_threshold = models.PositiveSmallIntegerField(_("told in the email of the threshold"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    recipients = models.CharField(_("email addresses"), max_length=1000, blank=True)
    unreachable = models.JSONField(
        _("without an email address"), default=list, blank=True, help_text=_("Codes of Party.")
    )
    error = models.CharField(_("last error"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("being sent since"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"),
        null=True,
        blank=True,
        help_text=_("The attendance was corrected below the threshold after the warning."),
    )

    objects = AbsenceWarningQuerySet.as_manager()

    class Meta:
        verbose_name = _("absence warning")
        verbose_name_plural = _("absence warnings")
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "module", "threshold"],
                condition=Q(withdrawn_at__isnull=True),
                name="absence_warning_once_per_threshold",
            ),
            models.CheckConstraint(
                condition=Q(threshold__gte=1, threshold__lte=100), name="absence_warning_threshold_1_to_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.module_id} {self.threshold}% ({format_local_datetime(self.found_at)})"

    @property
    def recipient_list(self) -> list[str]:
        return [address for address in self.recipients.split(", ") if address]

    def recipients_shown(self, full: bool) -> str:
        """The addresses, the student's own (listed first when they had one) masked unless
        ``full`` (``people.privacy``: the viewer sees the student's personal data)."""
        addresses = self.recipient_list
        if not full and addresses and Party.STUDENT not in self.unreachable:
            addresses[0] = mask_email(addresses[0])
        return ", ".join(addresses)

    @property
    def unreachable_labels(self) -> list[str]:
        """Who could not be emailed, in words."""
        return [str(Party(code).label) for code in self.unreachable if code in Party.values]
