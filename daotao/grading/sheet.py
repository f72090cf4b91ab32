"""The data of a grade sheet (one cohort × one module) and of a cohort's overview, built
from ``cohort_results`` and one more query, whatever the number of students and modules."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404

from daotao.cohorts.access import cohort_for_user
from daotao.grading.models import Grade
from daotao.grading.results import cohort_results
from daotao.grading.rules import ModuleOutcome
from daotao.lib.vietnamese import format_decimal


@dataclass(frozen=True)
class Column:
    assessment: object
    attempt: int

    @property
    def key(self) -> str:
        return f"{self.assessment.pk}-{self.attempt}"


@dataclass
class Cell:
    column: Column
    enrollment_id: int
    grade: Grade | None = None
    value: str = ""
    error: str = ""

    @property
    def shown(self) -> str:
        if self.error:
            return self.value
        if self.grade is None:
            return ""
        if self.grade.absent:
            return "v"
        if self.grade.score is None:
            return ""
        return format_decimal(self.grade.score, 1)


@dataclass
class Row:
    number: int
    enrollment: object
    outcome: ModuleOutcome
    cells: list[Cell] = field(default_factory=list)


def cohort_for(user, cohort_id: int):
    """(cohort, enrollments) the user may see: every student of a class they may see
    (enrollments None), or, for the coordinator of a student's locality or agency, only
    their own students in another locality's class (``cohorts.access.cohort_for_user``).
    Http404 when they see none."""
    opened = cohort_for_user(user, pk=cohort_id)
    if opened.whole:
        return opened.cohort, None
    enrollments = opened.enrollments.on_roll().select_related("student")
    enrollments = list(enrollments.in_class_order())
    if not enrollments:  # only a cancelled enrollment of theirs: no row to show
        raise Http404
    return opened.cohort, enrollments


def columns_of(module) -> list[Column]:
    """The module's assessments in order, and a retake column after the exam."""
    columns = []
    for assessment in module.assessments.all():
        columns.append(Column(assessment, 1))
        if assessment.is_exam:
            columns.append(Column(assessment, 2))
    return columns


def module_sheet(cohort, module, enrollments=None):
    """(columns, rows, results) of one module's sheet."""
    results = cohort_results(cohort, enrollments)
    module = next(m for m in results.modules if m.pk == module.pk)
    columns = columns_of(module)
    ids = list(results.keys())
    grades = {
        (g.enrollment_id, g.assessment_id, g.attempt): g
        for g in Grade.objects.filter(enrollment_id__in=ids, assessment__module=module)
    }
    rows = []
    for number, result in enumerate(results.values(), start=1):
        row = Row(number, result.enrollment, result.modules[module.pk])
        for column in columns:
            grade = grades.get((result.enrollment.pk, column.assessment.pk, column.attempt))
            row.cells.append(Cell(column, result.enrollment.pk, grade))
        rows.append(row)
    return module, columns, rows, results
