"""Quota achievement: planned against actual classes and students per locality and program.

Actual figures are the cohorts opened under the year's plan (``Cohort.plan_year``) held in
the locality or any unit below it, counted by the same rules as every report: cancelled
cohorts and cancelled enrollments do not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from daotao.cohorts.models import Cohort, counted_enrollments_q
from daotao.planning.models import Quota


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


def quota_achievement(year: int, user) -> list[QuotaRow]:
    """One row per locality and program with a quota in ``year``, in two queries."""
    rows: dict[tuple[int, int], QuotaRow] = {}
    paths: dict[tuple[int, int], str] = {}
    quotas = (
        Quota.objects.visible_to(user)
        .filter(plan__year=year)
        .select_related("locality", "program")
        .order_by("locality__sort_key", "locality__code", "program__code")
    )
    for quota in quotas:
        key = (quota.locality_id, quota.program_id)
        if key not in rows:
            rows[key] = QuotaRow(quota.locality.code, quota.locality.name, quota.program.code, quota.program.name)
            paths[key] = quota.locality.path
        rows[key].planned_classes += quota.classes
        rows[key].planned_students += quota.students
    if not rows:
        return []
    program_ids = {program_id for _, program_id in rows}
    actuals = (
        Cohort.objects.visible_to(user)
        .counted()
        .filter(plan_year=year, program_id__in=program_ids)
        .values("host_locality__path", "program_id")
        .annotate(
            classes=Count("pk", distinct=True),
            students=Count("enrollments", filter=counted_enrollments_q("enrollments__")),
        )
        .order_by()
    )
    for actual in actuals:
        for key, row in rows.items():
            # A cohort counts for the quota of its host locality or of a unit above it.
            if key[1] == actual["program_id"] and actual["host_locality__path"].startswith(paths[key]):
                row.actual_classes += actual["classes"]
                row.actual_students += actual["students"]
    return list(rows.values())
