"""Each student's absences per module against the absence limit, for many classes at once.

The absences are counted where a class's results count them (``grading.results.
module_periods``), the limit is the grading rule's (``grading.rules.absence_limit``: the
program's ``max_absence_percent`` of the module's periods). While a module is being taught
the limit is taken of its periods in the class's timetable (every lesson, held or not),
which are the periods held once the module is over: so a warning tells the student how
many periods they may miss in the whole module, and at the end the list and the warnings
say what the results say (``exam_allowed``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef

from daotao.cohorts.models import Enrollment, EnrollmentStatus
from daotao.grading.results import module_periods
from daotao.grading.rules import Rules, absence_limit, absence_reaches, exam_allowed, rules_for
from daotao.programs.models import Module
from daotao.teaching.models import MISSED_STATUSES, Attendance


@dataclass(frozen=True)
class ModuleAbsence:
    """One student's absences in one module."""

    enrollment: Enrollment
    module: Module
    missed: int
    periods: int
    rules: Rules
    # The periods of the lessons whose attendance was taken: what the class's results and
    # the exam's roll divide by (``grading.results``); the planned ``periods`` once all held.
    held: int | None = None

    @property
    def key(self) -> tuple[int, int]:
        return self.enrollment.pk, self.module.pk

    @property
    def limit(self) -> Decimal:
        """The periods the student may miss in the module (``absence_limit``)."""
        return absence_limit(self.periods, self.rules)

    @property
    def share(self) -> Decimal | None:
        """The absences as a fraction of the limit (1 = the limit reached); None without a
        limit (no periods, or a limit of 0%)."""
        limit = self.limit
        return None if not limit else Decimal(self.missed) / limit

    @property
    def over(self) -> bool:
        """Past the limit: the exam is barred (``exam_allowed``), as the class's results and
        the exam's roll say, of the periods held so far."""
        held = self.periods if self.held is None else self.held
        return not exam_allowed(self.missed, held, self.rules)

    @property
    def not_all_held(self) -> bool:
        return self.held is not None and self.held < self.periods

    @property
    def at_limit(self) -> bool:
        """The limit reached (100% of it), or past it."""
        return self.reaches(100)

    def reaches(self, percent: int) -> bool:
        return absence_reaches(self.missed, self.periods, percent, self.rules)

    def reached(self, percents) -> list[int]:
        """Of ``percents`` (thresholds), those the absences reach, lowest first."""
        return sorted(percent for percent in percents if self.reaches(percent))


def absences(cohorts, *, enrollments=None, until: dt.date | None = None) -> list[ModuleAbsence]:
    """Every studying student's absences in each module in which they missed a period, of
    the classes ``cohorts`` (a Cohort queryset), counting lessons held up to ``until``;
    only ``enrollments`` (an Enrollment queryset: those a user may see) when given. In class,
    student and module order. Four queries whatever the number of classes and students."""
    periods = module_periods(cohorts, until=until)
    if not periods.missed:
        return []
    missed = Attendance.objects.filter(
        enrollment=OuterRef("pk"), lesson__attendance_taken_at__isnull=False, status__in=MISSED_STATUSES
    )
    enrollments = Enrollment.objects.all() if enrollments is None else enrollments
    students = list(
        enrollments.filter(cohort__in=cohorts, status=EnrollmentStatus.STUDYING)
        .filter(Exists(missed))
        .select_related("student__locality", "student__agency", "cohort__program__grading_rules")
        .order_by("cohort__code", "student__sort_key", "student_id")
    )
    modules = {
        module.pk: module
        for module in Module.objects.filter(pk__in={module_id for _enrollment, module_id in periods.missed})
    }
    by_enrollment: dict[int, list[tuple[Module, int]]] = defaultdict(list)
    for (enrollment_id, module_id), count in periods.missed.items():
        if module_id in modules:
            by_enrollment[enrollment_id].append((modules[module_id], count))
    rules: dict[int, Rules] = {}
    found = []
    for enrollment in students:
        cohort = enrollment.cohort
        if cohort.pk not in rules:
            rules[cohort.pk] = rules_for(cohort.program)
        for module, count in sorted(by_enrollment[enrollment.pk], key=lambda item: (item[0].order, item[0].code)):
            total = periods.planned.get((cohort.pk, module.pk), 0)
            held = periods.held.get((cohort.pk, module.pk), 0)
            found.append(ModuleAbsence(enrollment, module, count, total, rules[cohort.pk], held))
    return found
