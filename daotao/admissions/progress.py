"""Quota progress: for each quota line of a year's plan, what achieved it and, beside it,
the admissions pipeline: how many candidates were nominated, how many are eligible and how
many admitted.

The page, its .xlsx export and the API all build on ``quota_progress(year, user)``.

Achievement is the one rule of ``planning.achievement`` (the yearly report's and the
board's): the students enrolled in classes opened under the plan, per funding line; a line
is met when its classes and students are reached, a locality has not met its quota when
any of its lines is missed. The pipeline never counts as achievement.

How an application is matched to a quota line: same plan year, program and funding, and
its nominating locality is the quota's locality or a unit below it (a commune under a
district with the quota). When a unit and a unit below it both have a line for the same
program and funding, the application counts once, for the deepest of them (the nearest
ancestor with a quota). Applications matching no line are not counted.

Counted over what the user may see: the quota lines (``Quota.objects.visible_to``), the
classes they reach (``cohorts.access``) and the applications
(``Application.objects.visible_to``). A fixed number of queries whatever the size: the
plan, the quota lines, the classes and the applications counted in SQL, grouped by
locality, program and funding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from daotao.admissions.models import ELIGIBLE_STATUSES, Application, Status
from daotao.org.models import ancestor_paths
from daotao.planning.achievement import QuotaLine, QuotaTotal, quota_achievement, quota_lines, unmet_locality_names
from daotao.planning.models import AnnualPlan


class UnknownPlan(LookupError):
    """There is no annual plan for the year asked."""

    def __init__(self, year: int):
        super().__init__(year)
        self.year = year


@dataclass
class Pipeline:
    """The admissions of a line, a locality or the whole plan: never achievement."""

    nominated: int = 0
    eligible: int = 0
    admitted: int = 0

    def add(self, other: Pipeline) -> None:
        self.nominated += other.nominated
        self.eligible += other.eligible
        self.admitted += other.admitted


def _figures_dict(achieved: QuotaLine | QuotaTotal, pipeline: Pipeline) -> dict:
    return achieved.figures_dict() | {
        "shortfall": achieved.shortfall,
        "nominated": pipeline.nominated,
        "eligible": pipeline.eligible,
        "admitted": pipeline.admitted,
        "nominations_short": pipeline.nominated < achieved.planned_students,
    }


@dataclass
class ProgressRow:
    """A quota line: the line with what achieved it (``achieved``) and its pipeline."""

    achieved: QuotaLine
    pipeline: Pipeline = field(default_factory=Pipeline)

    @property
    def nominations_short(self) -> bool:
        """Even enrolling every nominee would not fill the line."""
        return self.pipeline.nominated < self.achieved.planned_students

    def as_dict(self) -> dict:
        line = self.achieved
        return {
            "locality": line.locality_code,
            "locality_name": line.locality_name,
            "program": line.program_code,
            "program_name": line.program_name,
            "funding": line.funding,
        } | _figures_dict(line, self.pipeline)


@dataclass
class LocalityGroup:
    code: str
    name: str
    rows: list[ProgressRow] = field(default_factory=list)
    # The locality's lines summed: met only when every line is.
    achieved: QuotaTotal = field(default_factory=QuotaTotal)
    pipeline: Pipeline = field(default_factory=Pipeline)

    @property
    def nominations_short(self) -> bool:
        return self.pipeline.nominated < self.achieved.planned_students

    def as_dict(self) -> dict:
        subtotal = _figures_dict(self.achieved, self.pipeline)
        return {"locality": self.code, "locality_name": self.name, "subtotal": subtotal}


@dataclass
class QuotaProgress:
    plan: AnnualPlan
    groups: list[LocalityGroup]
    achieved: QuotaTotal
    pipeline: Pipeline

    @property
    def year(self) -> int:
        return self.plan.year

    @property
    def rows(self) -> list[ProgressRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def nominations_short(self) -> bool:
        return self.pipeline.nominated < self.achieved.planned_students

    @property
    def unmet_locality_names(self) -> list[str]:
        """The localities with a line missed, as the yearly report names them."""
        return unmet_locality_names(self.achieved.lines)

    @property
    def localities_not_met(self) -> int:
        return len(self.unmet_locality_names)

    @property
    def ratio(self) -> Decimal | None:
        """Enrolled over planned students of every line shown."""
        return self.achieved.ratio

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
            "total": _figures_dict(self.achieved, self.pipeline),
            "localities_not_met": self.localities_not_met,
        }


def quota_progress(year: int, user) -> QuotaProgress:
    """The progress of ``year``'s plan as ``user`` may see it; UnknownPlan without a plan."""
    plan = AnnualPlan.objects.filter(year=year).first()
    if plan is None:
        raise UnknownPlan(year)
    groups: dict[str, LocalityGroup] = {}
    rows: dict[tuple[str, int, str], ProgressRow] = {}
    lines = quota_lines(quota_achievement(year, user))
    for line in lines:
        group = groups.get(line.locality_code)
        if group is None:
            group = groups[line.locality_code] = LocalityGroup(line.locality_code, line.locality_name)
        row = ProgressRow(line)
        group.rows.append(row)
        group.achieved.add_line(line)
        rows[(line.locality_path, line.program_id, line.funding)] = row
    if rows:
        counts = (
            Application.objects.visible_to(user)
            .filter(plan=plan, program_id__in={program for _path, program, _funding in rows})
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
                row = rows.get((path, count["program_id"], count["funding"]))
                if row is not None:
                    row.pipeline.add(Pipeline(count["nominated"], count["eligible"], count["admitted"]))
                    break
    pipeline = Pipeline()
    for group in groups.values():
        for row in group.rows:
            group.pipeline.add(row.pipeline)
        pipeline.add(group.pipeline)
    return QuotaProgress(plan, list(groups.values()), QuotaTotal.of(lines), pipeline)
