"""The results of a cohort's students, computed from the records by ``grading.rules``:
each module's outcome (with absences and retakes), the program average, the classification
and whether the student may graduate (training) or receive a certificate (fostering).

``cohort_results`` reads everything in a constant number of queries, whatever the number
of students and modules, so the grade sheets, graduation and the reports can all use it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from daotao.cohorts.models import Enrollment, EnrollmentStatus
from daotao.grading import rules as grading_rules
from daotao.grading.models import Discipline, Grade
from daotao.grading.rules import ABSENT, ModuleOutcome, ModuleStatus, Part, Rules
from daotao.programs.models import Module, ModuleKind, ProgramKind
from daotao.teaching.models import MISSED_STATUSES, Attendance, Lesson

# Enrollments that cannot finish the course, whatever their grades.
LEFT_STATUSES = (EnrollmentStatus.WITHDRAWN, EnrollmentStatus.DEFERRED, EnrollmentStatus.TRANSFERRED)


@dataclass
class StudentResult:
    enrollment: Enrollment
    modules: dict[int, ModuleOutcome] = field(default_factory=dict)
    average: Decimal | None = None
    classification: str | None = None
    downgraded: bool = False
    retaken: bool = False
    disciplined: bool = False
    complete: bool = False
    problems: list[str] = field(default_factory=list)
    # Every component's mark that counts (the last attempt of an exam), for certificates.
    scores: list[Decimal | None] = field(default_factory=list)

    @property
    def module_list(self) -> list[ModuleOutcome]:
        """The module outcomes in the program's order (for tables)."""
        return list(self.modules.values())

    @property
    def missed_periods(self) -> int:
        return sum(outcome.missed_periods for outcome in self.modules.values())

    @property
    def total_periods(self) -> int:
        return sum(outcome.total_periods for outcome in self.modules.values())


@dataclass
class CohortResults:
    """Every student's result, in class order, with the modules and rules used."""

    cohort: object
    rules: Rules
    modules: list[Module]
    students: dict[int, StudentResult]
    # Only some modules' results (``only``): no average, classification or conclusion,
    # which sum up every module.
    partial: bool = False

    def only(self, module_ids) -> CohortResults:
        """The same results for the modules ``module_ids`` alone, without what sums up the
        others (``grading.access.result_modules``)."""
        module_ids = set(module_ids)
        students = {
            pk: StudentResult(
                result.enrollment, {m: outcome for m, outcome in result.modules.items() if m in module_ids}
            )
            for pk, result in self.students.items()
        }
        modules = [module for module in self.modules if module.pk in module_ids]
        return CohortResults(self.cohort, self.rules, modules, students, partial=True)

    def __iter__(self):
        return iter(self.students.values())

    def __getitem__(self, enrollment_id: int) -> StudentResult:
        return self.students[enrollment_id]

    def __len__(self) -> int:
        return len(self.students)

    def get(self, enrollment_id: int, default=None):
        return self.students.get(enrollment_id, default)

    def items(self):
        return self.students.items()

    def values(self):
        return self.students.values()

    def keys(self):
        return self.students.keys()


def _marks(cohort, enrollment_ids) -> dict:
    """{(enrollment_id, assessment_id): {attempt: Decimal | ABSENT}}."""
    marks: dict = defaultdict(dict)
    rows = Grade.objects.filter(enrollment__cohort=cohort).values_list(
        "enrollment_id", "assessment_id", "attempt", "score", "absent"
    )
    for enrollment_id, assessment_id, attempt, score, absent in rows:
        if enrollment_id in enrollment_ids:
            marks[enrollment_id, assessment_id][attempt] = ABSENT if absent else score
    return marks


def _essay_scores(cohort) -> dict[int, Decimal]:
    """{enrollment_id: the score of its graduation essay}, for the essays scored. An essay
    (``essays.Essay``, the app above grading) is reached as its enrollment's ``essay``."""
    return dict(Enrollment.objects.filter(cohort=cohort, essay__score__isnull=False).values_list("pk", "essay__score"))


@dataclass(frozen=True)
class ModulePeriods:
    """The periods of each module of some classes, as the absence rule reads them
    (``rules.exam_allowed``): ``held`` per (cohort id, module id), the lessons whose
    attendance was taken; ``planned`` per (cohort id, module id), every lesson of the
    timetable, held or not; ``missed`` per (enrollment id, module id), the periods of held
    lessons at which the student was absent (``MISSED_STATUSES``; late counts as present)."""

    held: dict[tuple[int, int], int]
    planned: dict[tuple[int, int], int]
    missed: dict[tuple[int, int], int]


def module_periods(cohorts, *, until: dt.date | None = None) -> ModulePeriods:
    """The periods held, planned and missed per module in ``cohorts`` (a Cohort queryset or
    ids), counting only lessons dated on or before ``until`` as held when it is given. Two
    queries whatever the number of classes: the one count of absences behind a class's
    results and the absence warnings (``alerts``)."""
    held_q = Q(attendance_taken_at__isnull=False)
    missed_q = Q(lesson__attendance_taken_at__isnull=False, status__in=MISSED_STATUSES)
    if until is not None:
        held_q &= Q(date__lte=until)
        missed_q &= Q(lesson__date__lte=until)
    lesson_rows = (
        Lesson.objects.filter(cohort__in=cohorts)
        .values("cohort_id", "module_id")
        .order_by()
        .annotate(held=Sum("periods", filter=held_q), planned=Sum("periods"))
        .values_list("cohort_id", "module_id", "held", "planned")
    )
    held, planned = {}, {}
    for cohort_id, module_id, held_periods, planned_periods in lesson_rows:
        planned[cohort_id, module_id] = planned_periods
        if held_periods:
            held[cohort_id, module_id] = held_periods
    missed_rows = (
        Attendance.objects.filter(missed_q, lesson__cohort__in=cohorts)
        .values("enrollment_id", "lesson__module_id")
        .order_by()
        .annotate(periods=Sum("lesson__periods"))
        .values_list("enrollment_id", "lesson__module_id", "periods")
    )
    missed = {(enrollment_id, module_id): periods for enrollment_id, module_id, periods in missed_rows}
    return ModulePeriods(held, planned, missed)


def cohort_results(cohort, enrollments=None) -> CohortResults:
    """The results of ``enrollments`` (default: every enrollment of the cohort that was not
    cancelled, in class order). Nine queries whatever the size of the class; eight when the
    cohort was read with ``select_related("program__grading_rules")``."""
    program = cohort.program
    rules = grading_rules.rules_for(program)
    modules = list(Module.objects.filter(program=program).prefetch_related("assessments").order_by("order", "code"))
    if enrollments is None:
        enrollments = Enrollment.objects.filter(cohort=cohort).on_roll().select_related("student").in_class_order()
    enrollments = list(enrollments)
    ids = {enrollment.pk for enrollment in enrollments}
    marks = _marks(cohort, ids)
    essays = _essay_scores(cohort)
    periods = module_periods([cohort.pk])
    held = {module_id: count for (_cohort, module_id), count in periods.held.items()}
    missed = periods.missed
    disciplined = set(
        Discipline.objects.filter(enrollment__cohort=cohort).order_by().values_list("enrollment_id", flat=True)
    )
    training = program.kind == ProgramKind.TRAINING

    students = {}
    for enrollment in enrollments:
        result = StudentResult(enrollment, disciplined=enrollment.pk in disciplined)
        for module in modules:
            parts = []
            for assessment in module.assessments.all():
                by_attempt = marks.get((enrollment.pk, assessment.pk), {})
                if module.kind == ModuleKind.GRADUATION and assessment.is_exam and enrollment.pk in essays:
                    # A graduation essay, once scored, stands in place of the graduation exam.
                    by_attempt = {1: essays[enrollment.pk]}
                attempts = tuple(by_attempt.get(number) for number in range(1, max(by_attempt, default=1) + 1))
                parts.append(Part(assessment.weight, assessment.is_exam, attempts))
                counted = [mark for mark in attempts if mark is not None]
                result.scores.append(None if not counted else Decimal(0) if counted[-1] == ABSENT else counted[-1])
            result.modules[module.pk] = grading_rules.module_outcome(
                parts,
                missed_periods=missed.get((enrollment.pk, module.pk), 0),
                total_periods=held.get(module.pk, 0),
                rules=rules,
            )
        _conclude(result, modules, rules, training)
        students[enrollment.pk] = result
    return CohortResults(cohort, rules, modules, students)


def _conclude(result: StudentResult, modules, rules: Rules, training: bool) -> None:
    """Average, classification, completeness and the reasons a student cannot finish."""
    outcomes = result.modules
    result.retaken = any(outcome.retaken for outcome in outcomes.values())
    for module in modules:
        outcome = outcomes[module.pk]
        if outcome.status == ModuleStatus.BARRED:
            result.problems.append(
                _("%(module)s: missed %(missed)s of %(total)s periods, may not sit the exam.")
                % {"module": module.name, "missed": outcome.missed_periods, "total": outcome.total_periods}
            )
        elif outcome.status == ModuleStatus.PENDING:
            result.problems.append(_("%(module)s: no result yet.") % {"module": module.name})
        elif not outcome.passed:
            result.problems.append(_("%(module)s: not passed.") % {"module": module.name})
    if result.enrollment.status in LEFT_STATUSES:
        result.problems.insert(
            0, _("Enrollment status: %(status)s.") % {"status": result.enrollment.get_status_display()}
        )
    if not modules:
        result.problems.append(_("The program has no modules."))
    if training:
        if all(outcome.result is not None for outcome in outcomes.values()):
            result.average = grading_rules.program_average(
                [(module.periods, outcomes[module.pk].result) for module in modules], rules
            )
        result.complete = not result.problems
        if result.complete:
            result.classification, result.downgraded = grading_rules.classify(
                result.average, retaken=result.retaken, disciplined=result.disciplined, rules=rules
            )
            if result.classification is None:
                result.complete = False
                result.problems.append(_("The program average is below the pass mark."))
    else:
        certificate = grading_rules.certificate_problems(
            missed_periods=result.missed_periods, scores=result.scores, disciplined=result.disciplined, rules=rules
        )
        result.problems.extend(problem for problem in certificate if problem not in result.problems)
        result.complete = not result.problems
