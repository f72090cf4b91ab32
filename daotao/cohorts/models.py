"""Classes (Cohort) and the students enrolled in them."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

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

    A correlated ``COUNT(*)`` answered from the (cohort, status) index alone; it is
    evaluated once per cohort, where a join to the enrollments would carry every
    enrollment row through the query (docs/performance.md). The cohort's own status is
    read from the outer row, so the subquery needs no join back to it.
    """
    per_cohort = (
        Enrollment.objects.filter(status__in=COUNTED_ENROLLMENT_STATUSES, cohort=OuterRef("pk"))
        .order_by()
        .values("cohort")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Case(
        When(status__in=COUNTED_COHORT_STATUSES, then=Coalesce(Subquery(per_cohort), 0)),
        default=Value(0),
        output_field=models.IntegerField(),
    )


def _assigned_cohorts(lecturer_id: int):
    """The ids of the cohorts a lecturer is assigned to teach, as a subquery."""
    from daotao.teaching.models import TeachingAssignment

    return TeachingAssignment.objects.filter(lecturer_id=lecturer_id).values("cohort_id")


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user) -> CohortQuerySet:
        """Classes a user may see: all for school staff; for a locality coordinator those
        held in their unit or any unit below it; for a lecturer those they are assigned to
        teach; for a student their own."""
        from daotao.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.lecturer_id is not None:
            return self.filter(pk__in=_assigned_cohorts(scope.lecturer_id))
        if scope.student_id is not None:
            return self.filter(pk__in=Enrollment.objects.filter(student_id=scope.student_id).values("cohort_id"))
        if scope.unit_path is None:
            return self.none()
        return self.filter(host_locality__path__startswith=scope.unit_path)

    def seen_whole_by(self, user) -> CohortQuerySet:
        """Classes in which the user sees every student: those of Cohort.visible_to, except
        for a student, who sees their own class but only themself in it."""
        from daotao.accounts.scope import scope_of

        if scope_of(user).student_id is not None:
            return self.none()
        return self.visible_to(user)

    def reachable_by(self, user) -> CohortQuerySet:
        """Classes the user may open (``cohort_in_scope``): those of Cohort.visible_to, and
        those held elsewhere in which they may see a student (Enrollment.visible_to)."""
        from daotao.accounts.scope import scope_of

        if scope_of(user).everything:
            return self
        return self.filter(
            Q(pk__in=Cohort.objects.visible_to(user).values("pk"))
            | Q(pk__in=Enrollment.objects.visible_to(user).values("cohort_id"))
        )

    def with_students_seen_by(self, user) -> CohortQuerySet:
        """Each class with ``student_count``, its counted students that the user may see
        (every one, for a class they see whole: DESIGN.md section 4), and ``whole``."""
        from daotao.accounts.scope import scope_of

        if scope_of(user).everything:
            return self.annotate(student_count=counted_students(), whole=Value(True))
        seen = (
            Enrollment.objects.visible_to(user)
            .counted()
            .filter(cohort=OuterRef("pk"))
            .order_by()
            .values("cohort")
            .annotate(n=Count("*"))
            .values("n")
        )
        return self.annotate(
            student_count=Coalesce(Subquery(seen), 0),
            whole=Exists(Cohort.objects.seen_whole_by(user).filter(pk=OuterRef("pk"))),
        )

    def students_seen_by(self, user) -> int:
        """The counted students of these classes that the user may see."""
        from daotao.accounts.scope import scope_of

        if scope_of(user).everything:
            return self.aggregate(n=Sum(counted_students()))["n"] or 0
        return Enrollment.objects.visible_to(user).counted().filter(cohort__in=self.values("pk")).count()

    def counted(self) -> CohortQuerySet:
        """Cohorts that reports count: every one that was not cancelled."""
        return self.filter(status__in=COUNTED_COHORT_STATUSES)


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
        _("plan year"), null=True, blank=True, help_text=_("The annual plan whose quota this class fills.")
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

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self):
        self.code = normalize_space(self.code).upper()
        if self.closing_date and self.opening_date and self.closing_date < self.opening_date:
            raise ValidationError({"closing_date": _("The closing date cannot be before the opening date.")})


class EnrollmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> EnrollmentQuerySet:
        """Enrollments a user may see: all for school staff; for a locality coordinator
        those in classes held in their unit's subtree or of students from it; for a sending
        agency those of its own staff."""
        from daotao.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.lecturer_id is not None:
            return self.filter(cohort__in=_assigned_cohorts(scope.lecturer_id))
        if scope.student_id is not None:
            return self.filter(student_id=scope.student_id)
        if scope.agency_path is not None:
            return self.filter(student__agency__path__startswith=scope.agency_path)
        if scope.unit_path is None:
            return self.none()
        return self.filter(
            Q(cohort__host_locality__path__startswith=scope.unit_path)
            | Q(student__locality__path__startswith=scope.unit_path)
        )

    def counted(self) -> EnrollmentQuerySet:
        """Enrollments that count as students: not cancelled, in a cohort that was not
        cancelled (DESIGN.md section 4)."""
        return self.filter(counted_enrollments_q())

    def in_class_order(self) -> EnrollmentQuerySet:
        return self.order_by("student__sort_key", "student_id")


class Enrollment(models.Model):
    cohort = models.ForeignKey(Cohort, models.CASCADE, related_name="enrollments", verbose_name=_("class"))
    student = models.ForeignKey("people.Student", models.PROTECT, related_name="enrollments", verbose_name=_("student"))
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
        indexes = [models.Index(fields=["cohort", "status"], name="enrollment_cohort_status")]

    def __str__(self) -> str:
        return f"{self.student} – {self.cohort.code}"


@dataclass(frozen=True)
class CohortInScope:
    """A class as one user may open it, with the enrollments they may see in it.

    ``enrollments`` is always what Enrollment.visible_to allows in the class; ``whole``
    says that this is every enrollment of the class (school staff, the lecturers who
    teach it, the coordinator of where it is held). Otherwise the user sees only some
    students: a coordinator's students or an agency's staff who study in a class held by
    another locality, or a student themselves."""

    cohort: Cohort
    whole: bool
    enrollments: EnrollmentQuerySet


def cohort_in_scope(user, cohorts: CohortQuerySet | None = None, **lookup) -> CohortInScope | None:
    """The one rule for opening a class (its page, its grade pages, the API): a class the
    user sees whole (``seen_whole_by``), else one they may reach (``reachable_by``: a
    class of a student's own, or one held elsewhere with a coordinator's or agency's
    students), with only the enrollments they may see; None when neither.

    ``cohorts`` may carry select_related/annotations; ``lookup`` picks the class
    (``pk=...`` or ``code=...``). One query for a class seen whole, two otherwise (one
    for a student); ``enrollments`` is left unevaluated."""
    cohorts = Cohort.objects.all() if cohorts is None else cohorts
    whole = True
    cohort = cohorts.seen_whole_by(user).filter(**lookup).first()
    if cohort is None:
        whole = False
        cohort = cohorts.reachable_by(user).filter(**lookup).first()
        if cohort is None:
            return None
    return CohortInScope(cohort, whole, Enrollment.objects.visible_to(user).filter(cohort=cohort))
