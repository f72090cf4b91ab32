"""Quota progress: for each quota line of a year's plan, how many candidates were nominated,
how many are eligible and how many admitted, against the quota's classes and students.

The page, its .xlsx export and the API all build on ``quota_progress(year, user)``.

How an application is matched to a quota line: same plan year, program and funding, and
its nominating locality is the quota's locality or a unit below it (a commune under a
district with the quota). When a unit and a unit below it both have a line for the same
program and funding, the application counts once, for the deepest of them (the nearest
ancestor with a quota). Applications matching no line are not counted.

Counted over what the user may see: the quota lines (``Quota.objects.visible_to``) and
the applications (``Application.objects.visible_to``). A fixed number of queries whatever
the size: the plan, the quota lines, and the applications counted in SQL, grouped by
locality, program and funding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from daotao.admissions.models import ELIGIBLE_STATUSES, Application, Status
from daotao.org.models import ancestor_paths
from daotao.planning.models import AnnualPlan, Quota


class UnknownPlan(LookupError):
    """There is no annual plan for the year asked."""

    def __init__(self, year: int):
        super().__init__(year)
        self.year = year


@dataclass
class Figures:
    """Quota against nominations; a line, a locality's subtotal or the total."""

    quota_classes: int = 0
    quota_students: int = 0
    nominated: int = 0
    eligible: int = 0
    admitted: int = 0

    def add(self, other: Figures) -> None:
        for name in ("quota_classes", "quota_students", "nominated", "eligible", "admitted"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def ratio(self) -> Decimal | None:
        """Admitted over quota students; None without a student quota."""
        if not self.quota_students:
            return None
        return Decimal(self.admitted) / Decimal(self.quota_students)

    @property
    def not_met(self) -> bool:
        return self.admitted < self.quota_students

    @property
    def nominations_short(self) -> bool:
        """Even admitting every nominee would not fill the quota."""
        return self.nominated < self.quota_students

    @property
    def shortfall(self) -> int:
        return max(0, self.quota_students - self.admitted)

    def figures_dict(self) -> dict:
        return {
            "quota_classes": self.quota_classes,
            "quota_students": self.quota_students,
            "nominated": self.nominated,
            "eligible": self.eligible,
            "admitted": self.admitted,
            "ratio": float(round(self.ratio, 4)) if self.ratio is not None else None,
            "not_met": self.not_met,
            "nominations_short": self.nominations_short,
            "shortfall": self.shortfall,
        }


@dataclass
class ProgressRow(Figures):
    locality_code: str = ""
    locality_name: str = ""
    locality_path: str = ""
    program_code: str = ""
    program_name: str = ""
    funding: str = ""
    funding_label: str = ""

    def as_dict(self) -> dict:
        return {
            "locality": self.locality_code,
            "locality_name": self.locality_name,
            "program": self.program_code,
            "program_name": self.program_name,
            "funding": self.funding,
        } | self.figures_dict()


@dataclass
class LocalityGroup:
    code: str
    name: str
    rows: list[ProgressRow] = field(default_factory=list)
    subtotal: Figures = field(default_factory=Figures)

    def as_dict(self) -> dict:
        return {"locality": self.code, "locality_name": self.name, "subtotal": self.subtotal.figures_dict()}


@dataclass
class QuotaProgress:
    plan: AnnualPlan
    groups: list[LocalityGroup]
    total: Figures

    @property
    def year(self) -> int:
        return self.plan.year

    @property
    def rows(self) -> list[ProgressRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def localities_not_met(self) -> int:
        return sum(1 for group in self.groups if any(row.not_met for row in group.rows))

    def as_dict(self) -> dict:
        plan = self.plan
        return {
            "year": plan.year,
            "plan": {
                "title": str(plan),
                "status": plan.status,
                "decision_number": plan.decision_number,
                "decision_date": plan.decision_date,
            },
            "rows": [row.as_dict() for row in self.rows],
            "localities": [group.as_dict() for group in self.groups],
            "total": self.total.figures_dict(),
            "localities_not_met": self.localities_not_met,
        }


def quota_progress(year: int, user) -> QuotaProgress:
    """The progress of ``year``'s plan as ``user`` may see it; UnknownPlan without a plan."""
    plan = AnnualPlan.objects.filter(year=year).first()
    if plan is None:
        raise UnknownPlan(year)
    quotas = (
        Quota.objects.visible_to(user)
        .filter(plan=plan)
        .order_by("locality__sort_key", "locality__code", "program__code", "funding")
        .select_related("locality", "program")
    )
    groups: dict[str, LocalityGroup] = {}
    lines: dict[tuple[str, int, str], ProgressRow] = {}
    for quota in quotas:
        locality = quota.locality
        group = groups.get(locality.code)
        if group is None:
            group = groups[locality.code] = LocalityGroup(locality.code, locality.name)
        row = ProgressRow(
            quota_classes=quota.classes,
            quota_students=quota.students,
            locality_code=locality.code,
            locality_name=locality.name,
            locality_path=locality.path,
            program_code=quota.program.code,
            program_name=quota.program.name,
            funding=quota.funding,
            funding_label=str(quota.get_funding_display()),
        )
        group.rows.append(row)
        lines[(locality.path, quota.program_id, quota.funding)] = row
    if lines:
        counts = (
            Application.objects.visible_to(user)
            .filter(plan=plan, program_id__in={program for _path, program, _funding in lines})
            .values("locality__path", "program_id", "funding")
            .annotate(
                nominated=Count("pk"),
                eligible=Count("pk", filter=Q(status__in=ELIGIBLE_STATUSES)),
                admitted=Count("pk", filter=Q(status=Status.ADMITTED)),
            )
            .order_by()
        )
        for count in counts:
            for path in ancestor_paths(count["locality__path"]):  # the deepest line wins
                row = lines.get((path, count["program_id"], count["funding"]))
                if row is not None:
                    row.nominated += count["nominated"]
                    row.eligible += count["eligible"]
                    row.admitted += count["admitted"]
                    break
    total = Figures()
    for group in groups.values():
        for row in group.rows:
            group.subtotal.add(row)
        total.add(group.subtotal)
    return QuotaProgress(plan, list(groups.values()), total)
