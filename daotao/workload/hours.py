"""Standard hours (giờ chuẩn): the one home of the computation that turns what lecturers did
into hours, used by the workload report, its workbook and the finance of a class.

What counts, each with the coefficients of the rules in force in its year
(``models.WorkloadRules``):

- a lesson held (dated before today, or today once its half day has started, as
  ``Lesson.has_started``): periods × its kind's coefficient (lecture, seminar, field trip)
  × the class's program's coefficient × the class size's coefficient (the class's counted
  students); in the year of its date;
- an exam script graded: each grade with a score of an exam assessment (a retake too),
  shared equally by the lecturers assigned to the module in that class; in the year the
  grade was recorded;
- an essay supervised (once submitted) and an essay graded (each grader once their mark
  is recorded): in the year the essay was submitted.

Each activity's hours are summed over a lecturer and rounded to two decimals; a total is
the sum of the rounded activities. A fixed number of queries whatever the number of
lecturers, classes and lessons."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from daotao.essays.models import Essay
from daotao.grading.models import Grade
from daotao.org.models import Lecturer
from daotao.teaching.models import SESSION_STARTS, LessonKind, TeachingAssignment
from daotao.teaching.models import Lesson as LessonModel
from daotao.workload.models import LecturerNorm, WorkloadRules, in_force

CENT = Decimal("0.01")
KINDS = tuple(LessonKind.values)  # lecture, seminar, field_trip: also the rules' field names
EXAM_SCRIPT, ESSAY_GRADING, ESSAY_SUPERVISION = "exam_script", "essay_grading", "essay_supervision"
ACTIVITIES = (*KINDS, EXAM_SCRIPT, ESSAY_GRADING, ESSAY_SUPERVISION)
ACTIVITY_LABELS = {
    **dict(LessonKind.choices),
    EXAM_SCRIPT: _("Exam scripts graded"),
    ESSAY_GRADING: _("Essays graded"),
    ESSAY_SUPERVISION: _("Essays supervised"),
}


# --- the rules in force --------------------------------------------------------------------


class RulesByYear:
    """Every decision's rules, read once (three queries), and the one in force in a year."""

    def __init__(self):
        self.rows = list(WorkloadRules.objects.prefetch_related("programs", "size_bands").order_by("year"))

    def __call__(self, year: int) -> WorkloadRules:
        return in_force(self.rows, year)


def held_q(now: dt.datetime | None = None) -> Q:
    """Lessons already held at ``now``: the condition of ``Lesson.has_started`` in a query."""
    now = timezone.localtime(now)
    started = [session for session, start in SESSION_STARTS.items() if start <= now.time()]
    return Q(date__lt=now.date()) | Q(date=now.date(), session__in=started)


# --- the tally of one lecturer ------------------------------------------------------------


@dataclass
class _Tally:
    periods: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    hours: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(ACTIVITIES, Decimal(0)))
    scripts: Decimal = Decimal(0)
    essays_graded: int = 0
    essays_supervised: int = 0


def _tally(lessons, grades, essays, rules_for: RulesByYear) -> dict[int, _Tally]:
    """Per lecturer: periods by kind, unrounded hours by activity and the counts, from the
    lessons, exam grades and essays given (already limited to a year or a class)."""
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    rows = (
        lessons.order_by()
        .annotate(year=ExtractYear("date"))
        .values("lecturer_id", "kind", "cohort__program_id", "cohort__counted_enrollments", "year")
        .annotate(periods=Sum("periods"))
    )
    for row in rows:
        rules = rules_for(row["year"])
        tally = tallies[row["lecturer_id"]]
        kind = row["kind"] if row["kind"] in KINDS else LessonKind.LECTURE
        tally.periods[kind] += row["periods"]
        tally.hours[kind] += (
            row["periods"]
            * getattr(rules, kind)
            * rules.program_coefficient(row["cohort__program_id"])
            * rules.size_coefficient(row["cohort__counted_enrollments"] or 0)
        )
    scripts = list(
        grades.order_by()
        .annotate(year=ExtractYear("recorded_at"))
        .values("enrollment__cohort_id", "assessment__module_id", "year")
        .annotate(scripts=Count("pk"))
    )
    graders: dict[tuple[int, int], list[int]] = defaultdict(list)
    assigned = TeachingAssignment.objects.filter(cohort_id__in=grades.order_by().values("enrollment__cohort_id"))
    for cohort_id, module_id, lecturer_id in assigned.order_by("pk").values_list(
        "cohort_id", "module_id", "lecturer_id"
    ):
        graders[cohort_id, module_id].append(lecturer_id)
    for row in scripts:
        lecturers = graders.get((row["enrollment__cohort_id"], row["assessment__module_id"]), [])
        for lecturer_id in lecturers:
            share = Decimal(row["scripts"]) / len(lecturers)
            tally = tallies[lecturer_id]
            tally.scripts += share
            tally.hours[EXAM_SCRIPT] += share * rules_for(row["year"]).exam_script
    essay_rows = (
        essays.order_by()
        .annotate(year=ExtractYear("submitted_at"))
        .values_list("year", "supervisor_id", "first_grader_id", "first_score", "second_grader_id", "second_score")
    )
    for year, supervisor_id, first_id, first_score, second_id, second_score in essay_rows:
        rules = rules_for(year)
        if supervisor_id is not None:
            tallies[supervisor_id].essays_supervised += 1
            tallies[supervisor_id].hours[ESSAY_SUPERVISION] += rules.essay_supervision
        for grader_id, score in ((first_id, first_score), (second_id, second_score)):
            if grader_id is not None and score is not None:
                tallies[grader_id].essays_graded += 1
                tallies[grader_id].hours[ESSAY_GRADING] += rules.essay_grading
    return tallies


def _sources(now: dt.datetime | None = None):
    """The lessons held, the exam scripts graded and the essays submitted (querysets)."""
    lessons = LessonModel.objects.filter(held_q(now))
    grades = Grade.objects.filter(assessment__is_exam=True, score__isnull=False)
    essays = Essay.objects.filter(submitted_at__isnull=False)
    return lessons, grades, essays


def cohort_teaching_hours(cohort, now: dt.datetime | None = None) -> dict[int, Decimal]:
    """{lecturer id: standard hours} of a class: its lessons held, its exam scripts graded and
    its essays, each in its own year's rules; rounded as the workload report rounds."""
    lessons, grades, essays = _sources(now)
    tallies = _tally(
        lessons.filter(cohort=cohort),
        grades.filter(enrollment__cohort=cohort),
        essays.filter(enrollment__cohort=cohort),
        RulesByYear(),
    )
    return {
        lecturer_id: sum((_round(hours) for hours in tally.hours.values()), Decimal(0))
        for lecturer_id, tally in tallies.items()
    }


def _round(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- the yearly report ---------------------------------------------------------------------


@dataclass
class WorkloadLine:
    """A lecturer, a faculty's subtotal or a total."""

    label: str
    faculty: str = ""
    lecturer_id: int | None = None
    is_visiting: bool = False
    periods: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    hours: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(ACTIVITIES, Decimal(0)))
    scripts: Decimal = Decimal(0)
    essays_graded: int = 0
    essays_supervised: int = 0
    norm: Decimal | None = None

    @property
    def total(self) -> Decimal:
        return sum(self.hours.values(), Decimal(0))

    @property
    def periods_total(self) -> int:
        return sum(self.periods.values())

    @property
    def difference(self) -> Decimal | None:
        """Hours above (positive) or below (negative) the norm."""
        return None if self.norm is None else self.total - self.norm

    @property
    def ratio(self) -> Decimal | None:
        """The total as a fraction of the norm (1 = the norm met)."""
        return None if not self.norm else self.total / self.norm

    @property
    def hours_in_order(self) -> list[Decimal]:
        return [self.hours[activity] for activity in ACTIVITIES]

    @property
    def periods_in_order(self) -> list[int]:
        return [self.periods[kind] for kind in KINDS]

    @property
    def labelled_periods(self) -> list[tuple[str, int]]:
        return [(ACTIVITY_LABELS[kind], self.periods[kind]) for kind in KINDS]

    @property
    def labelled_hours(self) -> list[tuple[str, Decimal]]:
        return [(ACTIVITY_LABELS[activity], self.hours[activity]) for activity in ACTIVITIES]

    def add(self, other: WorkloadLine) -> None:
        for kind in KINDS:
            self.periods[kind] += other.periods[kind]
        for activity in ACTIVITIES:
            self.hours[activity] += other.hours[activity]
        self.scripts += other.scripts
        self.essays_graded += other.essays_graded
        self.essays_supervised += other.essays_supervised
        if other.norm is not None:
            self.norm = (self.norm or Decimal(0)) + other.norm


@dataclass
class FacultyWorkload:
    name: str
    lines: list[WorkloadLine]
    total: WorkloadLine


@dataclass
class Workload:
    """A year's workload: lecturers with a norm by faculty, each faculty's subtotal and the
    total; visiting lecturers apart, with their own total."""

    year: int
    rules: WorkloadRules
    faculties: list[FacultyWorkload]
    total: WorkloadLine
    visiting: list[WorkloadLine]
    visiting_total: WorkloadLine

    @property
    def lines(self) -> list[WorkloadLine]:
        return [line for faculty in self.faculties for line in faculty.lines] + self.visiting


def lecturer_workload(year: int, lecturers=None, now: dt.datetime | None = None) -> Workload:
    """The year's standard hours per lecturer of ``lecturers`` (a queryset, all by default):
    those still active, and any other who did some work in the year. A fixed number of
    queries (nine)."""
    lecturers = Lecturer.objects.all() if lecturers is None else lecturers
    rules_for = RulesByYear()
    lessons, grades, essays = _sources(now)
    tallies = _tally(
        lessons.filter(date__year=year),
        grades.filter(recorded_at__year=year),
        essays.filter(submitted_at__year=year),
        rules_for,
    )
    rules = rules_for(year)
    norms = dict(LecturerNorm.objects.filter(year=year).values_list("lecturer_id", "norm"))
    people = (
        lecturers.filter(Q(is_active=True) | Q(pk__in=list(tallies)))
        .select_related("faculty")
        .order_by("faculty__sort_key", "faculty_id", "sort_key", "pk")
    )
    faculties: dict[int, FacultyWorkload] = {}
    visiting: list[WorkloadLine] = []
    for lecturer in people:
        tally = tallies.get(lecturer.pk) or _Tally()
        line = WorkloadLine(
            label=lecturer.full_name,
            faculty=lecturer.faculty.name,
            lecturer_id=lecturer.pk,
            is_visiting=lecturer.is_visiting,
            periods=dict(tally.periods),
            hours={activity: _round(hours) for activity, hours in tally.hours.items()},
            scripts=tally.scripts,
            essays_graded=tally.essays_graded,
            essays_supervised=tally.essays_supervised,
            norm=None if lecturer.is_visiting else norms.get(lecturer.pk, rules.norm),
        )
        if lecturer.is_visiting:
            visiting.append(line)
            continue
        faculty = faculties.get(lecturer.faculty_id)
        if faculty is None:
            name = lecturer.faculty.name
            faculty = faculties[lecturer.faculty_id] = FacultyWorkload(name, [], WorkloadLine(label=name))
        faculty.lines.append(line)
        faculty.total.add(line)
    total = WorkloadLine(label=str(_("Total")))
    for faculty in faculties.values():
        total.add(faculty.total)
    visiting_total = WorkloadLine(label=str(_("Visiting lecturers")))
    for line in visiting:
        visiting_total.add(line)
    return Workload(year, rules, list(faculties.values()), total, visiting, visiting_total)
