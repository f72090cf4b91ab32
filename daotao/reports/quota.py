"""Quota achievement: planned against actual classes and students per locality and program.

Actual figures are the cohorts opened under the year's plan (``Cohort.plan_year``) held in
the locality or any unit below it, counted by the same rules as every report: cancelled
cohorts and cancelled enrollments do not count, and a user's figures are those of the
classes they reach (``cohorts.access``; a quota's own classes are held in the user's scope,
so they count whole).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from daotao.cohorts.access import cohorts_reached, students_seen
from daotao.org.models import ancestor_paths
from daotao.planning.models import Quota


@dataclass
class FundingFigures:
    """A quota row's figures for one funding source (``Quota.funding``, ``Cohort.funding``)."""

    planned_classes: int = 0
    planned_students: int = 0
    actual_classes: int = 0
    actual_students: int = 0


@dataclass
class QuotaRow:
    locality_code: str
    locality_name: str
    program_code: str
    program_name: str
    planned_classes: int = 0
    planned_students: int = 0
    actual_classes: int = 0
    actual_students: int = 0
    # The same figures split by funding (supported, self-funded); they add up to the above.
    by_funding: dict[str, FundingFigures] = field(default_factory=dict)

    def funding(self, funding: str) -> FundingFigures:
        """The figures of one funding source (zeros when the row has none)."""
        return self.by_funding.get(funding) or FundingFigures()

    @property
    def ratio(self) -> Decimal | None:
        """Actual students over planned students, None without a student quota."""
        if not self.planned_students:
            return None
        return Decimal(self.actual_students) / Decimal(self.planned_students)

    @property
    def met(self) -> bool:
        """Met when both the class and the student quota are reached."""
        return self.actual_classes >= self.planned_classes and self.actual_students >= self.planned_students

    def as_dict(self) -> dict:
        return {
            "locality": self.locality_code,
            "locality_name": self.locality_name,
            "program": self.program_code,
            "planned_classes": self.planned_classes,
            "actual_classes": self.actual_classes,
            "planned_students": self.planned_students,
            "actual_students": self.actual_students,
            "ratio": float(round(self.ratio, 4)) if self.ratio is not None else None,
            "met": self.met,
        }


def unmet_locality_names(rows: list[QuotaRow]) -> list[str]:
    """The localities with at least one quota not met, each once, in table order."""
    return list(dict.fromkeys(row.locality_name for row in rows if not row.met))


def quota_achievement(year: int, user) -> list[QuotaRow]:
    """One row per locality and program with a quota in ``year``, each also split by funding
    (``by_funding``), in two queries."""
    rows: dict[tuple[str, int], QuotaRow] = {}
    quotas = (
        Quota.objects.visible_to(user)
        .filter(plan__year=year)
        .order_by("locality__sort_key", "locality__code", "program__code")
        .values_list(
            "locality__path", "locality__code", "locality__name", "program_id", "program__code", "program__name",
            "funding", "classes", "students",
        )
    )  # fmt: skip
    for path, locality_code, locality_name, program_id, program_code, program_name, *figures in quotas:
        funding, classes, students = figures
        row = rows.get((path, program_id))
        if row is None:
            row = rows[(path, program_id)] = QuotaRow(locality_code, locality_name, program_code, program_name)
        row.planned_classes += classes
        row.planned_students += students
        split = row.by_funding.setdefault(funding, FundingFigures())
        split.planned_classes += classes
        split.planned_students += students
    if not rows:
        return []
    actuals = (
        cohorts_reached(user)
        .counted()
        .filter(plan_year=year, program_id__in={program_id for _, program_id in rows})
        .values("host_locality__path", "program_id", "funding")
        .annotate(classes=Count("pk"), students=Sum(students_seen(user)))
        .order_by()
    )
    for actual in actuals:
        # A cohort counts for the quota of its host locality and of every unit above it.
        for path in ancestor_paths(actual["host_locality__path"]):
            row = rows.get((path, actual["program_id"]))
            if row is not None:
                students = actual["students"] or 0
                row.actual_classes += actual["classes"]
                row.actual_students += students
                split = row.by_funding.setdefault(actual["funding"], FundingFigures())
                split.actual_classes += actual["classes"]
                split.actual_students += students
    return list(rows.values())
