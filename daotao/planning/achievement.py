"""Quota achievement: the one rule (docs/counting.md, "Quota achievement").

A quota line is the plan's quota for one locality, program and funding (``Quota``). What
achieves it: the classes opened under that year's plan (``Cohort.plan_year``), held in the
locality or any unit below it, of the same program AND the same funding, and their
students, counted by the rules of every report: cancelled classes and cancelled
enrollments do not count (``.counted()``), and a student who transferred between two
classes of a line counts once. A user counts the quota lines they see
(``Quota.visible_to``), each whole: every class of the line and every student in it, as
the training office sees them. A class whose funding has no line of its locality and
program achieves no quota.

A line is met when both its classes and its students are reached. A locality × program
total (``QuotaRow``), a locality or the whole table (``QuotaTotal``) is the sum of its lines
and is met only when every one of its lines is: a line missed in one funding is missed even
when the total is reached. A locality has not met its quota when any of its lines is missed
(``unmet_locality_names``).

The yearly report's quota table, the quota progress page (which adds the admissions
pipeline, nominated, eligible and admitted, as columns of their own, never as achievement),
the board's dashboard and the API all build on ``quota_achievement``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from daotao.cohorts.models import (
    COUNTED_COHORT_STATUSES,
    COUNTED_ENROLLMENT_STATUSES,
    Cohort,
    Enrollment,
    EnrollmentStatus,
    Funding,
    counted_students,
)
from daotao.org.models import ancestor_paths
from daotao.planning.models import Quota

FIGURES = ("planned_classes", "planned_students", "actual_classes", "actual_students")
# What a year's quota lines are achieved with: the classes opened under that year's plan
# (``enrolled_q``), summed per host locality, program and funding (``ENROLLED_BY``), each
# as (classes, counted students). The yearly report asks the counting engine for these sums
# in its one counting query (``reports.annual``); everyone else has ``quota_achievement``
# read them.
ENROLLED_BY = ("host_locality__path", "program_id", "funding")


def enrolled_q(year: int, prefix: str = "") -> Q:
    """The classes that achieve ``year``'s quota lines (counted classes only, as always), as
    a condition on a Cohort or, through ``prefix`` (``cohort__``), on a model that points at it."""
    return Q(**{f"{prefix}plan_year": year})


class _Measured:
    """What planned and achieved figures say. ``actual_*`` are the enrolled classes and
    students (``enrolled_*`` in JSON)."""

    planned_classes: int
    planned_students: int
    actual_classes: int
    actual_students: int

    def add(self, other: _Measured) -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def ratio(self) -> Decimal | None:
        """Enrolled students over planned students; None without a student quota."""
        if not self.planned_students:
            return None
        return Decimal(self.actual_students) / Decimal(self.planned_students)

    @property
    def reached(self) -> bool:
        """Both the class and the student figures reached."""
        return self.actual_classes >= self.planned_classes and self.actual_students >= self.planned_students

    @property
    def met(self) -> bool:
        return self.reached

    @property
    def shortfall(self) -> int:
        """Planned students not enrolled."""
        return max(0, self.planned_students - self.actual_students)

    def figures_dict(self) -> dict:
        return {
            "planned_classes": self.planned_classes,
            "planned_students": self.planned_students,
            "enrolled_classes": self.actual_classes,
            "enrolled_students": self.actual_students,
            "ratio": float(round(self.ratio, 4)) if self.ratio is not None else None,
            "met": self.met,
        }


@dataclass
class Achievement(_Measured):
    """Figures alone (a funding's part of a total)."""

    planned_classes: int = 0
    planned_students: int = 0
    actual_classes: int = 0
    actual_students: int = 0


@dataclass
class QuotaLine(_Measured):
    """One quota line (locality × program × funding) and what achieved it."""

    locality_code: str
    locality_name: str
    locality_path: str
    program_id: int
    program_code: str
    program_name: str
    funding: str
    planned_classes: int = 0
    planned_students: int = 0
    actual_classes: int = 0
    actual_students: int = 0

    @property
    def funding_label(self) -> str:
        return str(Funding(self.funding).label) if self.funding in Funding.values else self.funding

    def as_dict(self) -> dict:
        return {
            "locality": self.locality_code,
            "locality_name": self.locality_name,
            "program": self.program_code,
            "program_name": self.program_name,
            "funding": self.funding,
        } | self.figures_dict()


class _Lines(_Measured):
    """A sum of quota lines: met only when every line is (and the sums are reached)."""

    lines: list[QuotaLine]

    def add_line(self, line: QuotaLine) -> None:
        self.lines.append(line)
        self.add(line)

    @property
    def met(self) -> bool:
        return self.reached and all(line.met for line in self.lines)

    @property
    def lines_not_met(self) -> list[QuotaLine]:
        return [line for line in self.lines if not line.met]

    def funding(self, funding: str) -> Achievement:
        """The sum of the lines of one funding (zeros without one)."""
        part = Achievement()
        for line in self.lines:
            if line.funding == funding:
                part.add(line)
        return part


@dataclass
class QuotaTotal(_Lines):
    """A sum of lines: a locality's, or the whole table's."""

    code: str = ""
    name: str = ""
    planned_classes: int = 0
    planned_students: int = 0
    actual_classes: int = 0
    actual_students: int = 0
    lines: list[QuotaLine] = field(default_factory=list)

    @classmethod
    def of(cls, lines: Iterable[QuotaLine], code: str = "", name: str = "") -> QuotaTotal:
        total = cls(code, name)
        for line in lines:
            total.add_line(line)
        return total


@dataclass
class QuotaRow(_Lines):
    """A locality × program total: the sum of its funding lines, met only when each is."""

    locality_code: str
    locality_name: str
    program_code: str
    program_name: str
    planned_classes: int = 0
    planned_students: int = 0
    actual_classes: int = 0
    actual_students: int = 0
    lines: list[QuotaLine] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "locality": self.locality_code,
            "locality_name": self.locality_name,
            "program": self.program_code,
            "program_name": self.program_name,
        } | self.figures_dict()


def quota_lines(rows: Iterable[QuotaRow]) -> list[QuotaLine]:
    """Every line of ``rows``, in table order."""
    return [line for row in rows for line in row.lines]


def unmet_locality_names(items: Iterable[_Measured]) -> list[str]:
    """The localities with a quota line missed, each once, in table order (``items``: rows
    or lines)."""
    unmet = dict.fromkeys((item.locality_code, item.locality_name) for item in items if not item.met)
    return [name for _code, name in unmet]


def by_locality(rows: Iterable[QuotaRow]) -> list[QuotaTotal]:
    """The lines of ``rows`` summed per locality, in table order."""
    totals: dict[str, QuotaTotal] = {}
    for line in quota_lines(rows):
        total = totals.get(line.locality_code)
        if total is None:
            total = totals[line.locality_code] = QuotaTotal(line.locality_code, line.locality_name)
        total.add_line(line)
    return list(totals.values())


def quota_achievement(year: int, user, enrolled: Mapping[tuple, tuple[int, int]] | None = None) -> list[QuotaRow]:
    """One row per locality and program with a quota in ``year`` as ``user`` may see it,
    each with its lines per funding (``lines``), in table order; three queries, two when
    ``enrolled`` is given: the classes of ``enrolled_q(year)`` of every user, whole, summed
    per ``ENROLLED_BY`` as ``{(path, program, funding): (classes, students)}``."""
    rows: dict[tuple[str, int], QuotaRow] = {}
    lines: dict[tuple[str, int, str], QuotaLine] = {}
    quotas = (
        Quota.objects.visible_to(user)
        .filter(plan__year=year)
        .order_by("locality__sort_key", "locality__code", "program__code", "funding")
        .values_list(
            "locality__path", "locality__code", "locality__name", "program_id", "program__code", "program__name",
            "funding", "classes", "students",
        )
    )  # fmt: skip
    for path, locality_code, locality_name, program_id, program_code, program_name, *figures in quotas:
        funding, classes, students = figures
        line = QuotaLine(
            locality_code, locality_name, path, program_id, program_code, program_name, funding,
            planned_classes=classes, planned_students=students,
        )  # fmt: skip
        lines[(path, program_id, funding)] = line
        row = rows.get((path, program_id))
        if row is None:
            row = rows[(path, program_id)] = QuotaRow(locality_code, locality_name, program_code, program_name)
        row.lines.append(line)
    if not rows:
        return []
    # A quota line the user sees counts whole: its classes and their students are the line's,
    # whoever sees them (a coordinator's own lines hold only classes they see whole; a
    # successor's coordinator sees a predecessor's line of the succession's year with every
    # class under it, not only those still running on the day of the succession).
    if enrolled is None:
        enrolled = {
            (path, program_id, funding): (classes, students or 0)
            for path, program_id, funding, classes, students in Cohort.objects.counted()
            .filter(enrolled_q(year), program_id__in={program_id for _, program_id in rows})
            .values(*ENROLLED_BY)
            .annotate(classes=Count("pk"), students=Sum(counted_students()))
            .values_list(*ENROLLED_BY, "classes", "students")
            .order_by()
        }
    for (host_path, program_id, funding), (classes, students) in enrolled.items():
        # A class counts for the line of its host locality and for that of every unit above it.
        for path in ancestor_paths(host_path):
            line = lines.get((path, program_id, funding))
            if line is not None:
                line.actual_classes += classes
                line.actual_students += students
    _leave_out_transfers(lines, year)
    for row in rows.values():
        for line in row.lines:
            row.add(line)
    return list(rows.values())


def _leave_out_transfers(lines: dict[tuple[str, int, str], QuotaLine], year: int) -> None:
    """A student who transferred between two classes of a line counts once, in the class
    they moved to (docs/counting.md, "Students who transferred", as ``reports.engine``
    counts): their transferred-out enrollment is taken off every line that also holds a
    class they moved to, of the same program and funding, under the same year's plan. One
    query: the counted enrollments, in the year's classes, of the students who left one."""
    in_year = enrolled_q(year, prefix="cohort__") & Q(cohort__status__in=COUNTED_COHORT_STATUSES)
    left_one = Enrollment.objects.filter(in_year, status=EnrollmentStatus.TRANSFERRED).values("student_id")
    fields = ("student_id", "cohort_id", "cohort__program_id", "cohort__funding", "cohort__host_locality__path")
    enrollments = (
        Enrollment.objects.filter(in_year, status__in=COUNTED_ENROLLMENT_STATUSES, student_id__in=left_one)
        .values_list(*fields, "cohort__opening_date", "status")
        .order_by()
    )
    others = defaultdict(list)
    left = []
    for student, cohort, program, funding, path, opened, status in enrollments:
        others[student].append((cohort, program, funding, path, opened, status))
        if status == EnrollmentStatus.TRANSFERRED:
            left.append((student, cohort, program, funding, path, opened))
    for student, cohort, program, funding, path, opened in left:
        moved_to = [
            other_path
            for other, other_program, other_funding, other_path, other_opened, status in others[student]
            if other != cohort
            and (other_program, other_funding) == (program, funding)
            # A class they also left counts only when it opened later: along A -> B -> C, C does.
            and (status != EnrollmentStatus.TRANSFERRED or (other_opened, other) > (opened, cohort))
        ]
        for line_path in ancestor_paths(path):
            line = lines.get((line_path, program, funding))
            if line is not None and any(other_path.startswith(line_path) for other_path in moved_to):
                line.actual_students -= 1
