"""Classes (Cohort) and the students enrolled in them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from daotao.accounts.scope import running_since, scope_of
from daotao.lib.vietnamese import normalize_space


class Mode(models.TextChoices):
    CONCENTRATED = "concentrated", _("Concentrated")
    NON_CONCENTRATED = "non_concentrated", _("Non-concentrated")


class Funding(models.TextChoices):
    SUPPORTED = "supported", _("Training costs supported")
    SELF_FUNDED = "self_funded", _("Self-funded")


class CohortStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Studying")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class EnrollmentStatus(models.TextChoices):
    STUDYING = "studying", _("Studying")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DEFERRED = "deferred", _("Deferred")
    TRANSFERRED = "transferred", _("Transferred")
    CANCELLED = "cancelled", _("Cancelled")


# What reports count (DESIGN.md section 4): cohorts that were not cancelled, and their
# enrollments that were not cancelled (withdrawn and deferred students still count).
COUNTED_COHORT_STATUSES = tuple(s for s in CohortStatus.values if s != CohortStatus.CANCELLED)
COUNTED_ENROLLMENT_STATUSES = tuple(s for s in EnrollmentStatus.values if s != EnrollmentStatus.CANCELLED)
# A class that takes no more changes from lecturers or placements.
CLOSED_COHORT_STATUSES = (CohortStatus.CLOSED, CohortStatus.CANCELLED)
# Students who no longer belong to the class are not asked about it in surveys; a deferred
# student still belongs to it.
NOT_ASKED_STATUSES = (EnrollmentStatus.WITHDRAWN, EnrollmentStatus.TRANSFERRED, EnrollmentStatus.CANCELLED)


def counted_enrollments_q(prefix: str = "") -> Q:
    """The condition for counted enrollments - not cancelled, in a cohort that was not
    cancelled - written positively so that it can filter across a multi-valued relation:
    ``prefix`` is the path to the enrollment from the queried model."""
    return Q(**{f"{prefix}status__in": COUNTED_ENROLLMENT_STATUSES}) & Q(
        **{f"{prefix}cohort__status__in": COUNTED_COHORT_STATUSES}
    )


def counted_students() -> Case:
    """One cohort's counted students, as an expression on a Cohort queryset: none for a
    cancelled cohort, else its enrollments that were not cancelled.

    It reads the class's stored count (``Cohort.counted_enrollments``, kept true by
    database triggers: ``cohorts/counts.py``), so a report reads one column per class
    instead of counting its enrollments (docs/performance.md).
    """
    return Case(
        When(status__in=COUNTED_COHORT_STATUSES, then=F("counted_enrollments")),
        default=Value(0),
        output_field=models.IntegerField(),
    )


def _assigned_cohorts(lecturer_id: int):
    """The ids of the cohorts a lecturer is assigned to teach, as a subquery (through the
    teaching assignments, ``teaching.TeachingAssignment``, that point at the cohort)."""
    return Cohort.objects.filter(assignments__lecturer_id=lecturer_id).values("pk")


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user) -> CohortQuerySet:
        """Classes a user may see: all for school staff; for a locality coordinator those
        held in their unit or any unit below it, and those of a unit their unit took over
        that still ran on the day it did; for a lecturer those they are assigned to teach;
        for a student their own."""
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.lecturer_id is not None:
            return self.filter(pk__in=_assigned_cohorts(scope.lecturer_id))
        if scope.student_id is not None:
            return self.filter(pk__in=Enrollment.objects.filter(student_id=scope.student_id).values("cohort_id"))
        if scope.unit_path is None:
            return self.none()
        return self.filter(scope.unit_q("host_locality", since=running_since()))

    def counted(self) -> CohortQuerySet:
        """Cohorts that reports count: every one that was not cancelled."""
        return self.filter(status__in=COUNTED_COHORT_STATUSES)

    def not_closed(self) -> CohortQuerySet:
        """Classes that still take changes: ``Cohort.is_closed`` is false."""
        return self.exclude(status__in=CLOSED_COHORT_STATUSES)


class Cohort(models.Model):
    """A class (lớp): one program, one venue, its dates, funding and host locality."""

    code = models.CharField(_("class code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    program = models.ForeignKey("programs.Program", models.PROTECT, related_name="cohorts", verbose_name=_("program"))
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    funding = models.CharField(_("funding"), max_length=16, choices=Funding.choices)
    host_locality = models.ForeignKey(
        "org.Unit",
        models.PROTECT,
        related_name="hosted_cohorts",
        verbose_name=_("host locality"),
        help_text=_("Where the class is held: a locality, or the school itself for concentrated classes."),
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    opening_date = models.DateField(_("opening date"), db_index=True)
    closing_date = models.DateField(_("closing date"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=CohortStatus.choices, default=CohortStatus.OPEN)
    plan_year = models.PositiveSmallIntegerField(
        _("plan year"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The annual plan whose quota this class fills."),
    )
    homeroom_lecturer = models.ForeignKey(
        "org.Lecturer",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="homeroom_cohorts",
        verbose_name=_("homeroom lecturer"),
    )
    notes = models.TextField(_("notes"), blank=True)
    # Written only by the database's triggers (cohorts/counts.py), never from Python.
    counted_enrollments = models.PositiveIntegerField(
        _("counted students"),
        default=0,
        db_default=0,
        editable=False,
        help_text=_("Enrollments that were not cancelled; kept by the database."),
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["-opening_date", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closing_date__isnull=True) | Q(closing_date__gte=F("opening_date")),
                name="cohort_closing_not_before_opening",
            ),
        ]
        # On PostgreSQL the counting statement reads the classes of a period from a covering
        # index (``cohort_counting``, migration 0004, PostgreSQL only) rather than from the
        # table: keep the columns it includes in step with what the engine reads.

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        """Save every field but the stored count, which the database keeps: an instance
        read before a student was enrolled would otherwise write its old count back."""
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "counted_enrollments" and field.attname not in deferred
            ]
        super().save(*args, **kwargs)

    def clean(self):
        self.code = normalize_space(self.code).upper()
        if self.closing_date and self.opening_date and self.closing_date < self.opening_date:
            raise ValidationError({"closing_date": _("The closing date cannot be before the opening date.")})

    @property
    def is_closed(self) -> bool:
        """Closed or cancelled: only the training office still changes its records."""
        return self.status in CLOSED_COHORT_STATUSES

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` falls within the class's dates (an open end runs on)."""
        return self.opening_date <= day and (self.closing_date is None or day <= self.closing_date)


class EnrollmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> EnrollmentQuerySet:
        """Enrollments a user may see: all for school staff; for a locality coordinator
        those in classes held in their unit's subtree or of students from it (and, for a
        unit their unit took over, those in classes that still ran on the day it did); for
        a sending agency those of its own staff (the same for an agency it took over)."""
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.lecturer_id is not None:
            return self.filter(cohort__in=_assigned_cohorts(scope.lecturer_id))
        if scope.student_id is not None:
            return self.filter(student_id=scope.student_id)
        if scope.agency_path is not None:
            return self.filter(scope.unit_q("student__agency", since=running_since("cohort__")))
        if scope.unit_path is None:
            return self.none()
        running = running_since("cohort__")
        return self.filter(
            scope.unit_q("cohort__host_locality", since=running) | scope.unit_q("student__locality", since=running)
        )

    def on_roll(self) -> EnrollmentQuerySet:
        """Enrollments that were not cancelled: the students a class list, a register or a
        grade sheet shows (withdrawn and deferred students included)."""
        return self.filter(status__in=COUNTED_ENROLLMENT_STATUSES)

    def askable(self) -> EnrollmentQuerySet:
        """Enrollments whose students a survey asks about their class: not those who have
        left it (``NOT_ASKED_STATUSES``)."""
        return self.exclude(status__in=NOT_ASKED_STATUSES)

    def not_askable(self) -> EnrollmentQuerySet:
        """The enrollments ``askable`` leaves out."""
        return self.filter(status__in=NOT_ASKED_STATUSES)

    def counted(self) -> EnrollmentQuerySet:
        """Enrollments that count as students: not cancelled, in a cohort that was not
        cancelled (DESIGN.md section 4)."""
        return self.filter(counted_enrollments_q())

    def in_class_order(self) -> EnrollmentQuerySet:
        return self.order_by("student__sort_key", "student_id")


class Enrollment(models.Model):
    cohort = models.ForeignKey(Cohort, models.CASCADE, related_name="enrollments", verbose_name=_("class"))
    # No index of its own: the unique constraint's index (student, class) serves a
    # student's enrollments, and on PostgreSQL a covering one (``enrollment_by_student``,
    # migration 0004) serves the transfer rule's look-ups.
    student = models.ForeignKey(
        "people.Student", models.PROTECT, related_name="enrollments", verbose_name=_("student"), db_index=False
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EnrollmentStatus.choices, default=EnrollmentStatus.STUDYING
    )
    notes = models.CharField(_("notes"), max_length=255, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(fields=["student", "cohort"], name="enrollment_one_per_student_per_cohort"),
        ]
        indexes = [
            models.Index(fields=["cohort", "status"], name="enrollment_cohort_status"),
            # The few transferred enrollments, which the reports' transfer rule looks up
            # (docs/counting.md): without it PostgreSQL reads every enrollment to find them.
            models.Index(
                fields=["cohort", "student", "id"],
                condition=Q(status="transferred"),
                name="enrollment_transferred",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} – {self.cohort.code}"
