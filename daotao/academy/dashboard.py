"""The national dashboard's figures for one period: the schools side by side (classes and
students opened and running, in training and in fostering), the quota per province, and
the national trend over the calendar years. Every class and student figure comes from
``stats`` (its one rule); the quota from the packages' quota lines. A fixed number of
queries whatever the number of schools, packages and years (six)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from daotao.academy.format import ACTIVE, CARRIED_OVER, CLOSED, FOSTERING, OPENED, TRAINING
from daotao.academy.models import QuotaLine, RegisteredSchool
from daotao.academy.stats import (
    Figures,
    NationalFigures,
    Period,
    Question,
    YearFigures,
    imported_periods,
    national_many,
    national_trend,
)
from daotao.lib.vietnamese import share

# The schools' table: (relation, kind) of each pair of columns.
SCHOOL_FIGURES = ((OPENED, TRAINING), (ACTIVE, TRAINING), (OPENED, FOSTERING), (ACTIVE, FOSTERING))
TREND_RELATIONS = (OPENED, CARRIED_OVER, ACTIVE, CLOSED)


@dataclass
class SchoolRow:
    school: RegisteredSchool
    figures: dict[tuple[str, str], Figures]  # by SCHOOL_FIGURES


@dataclass
class ProvinceQuota:
    """A school's quota lines of the period's plan years, summed: its province's quota."""

    school: RegisteredSchool
    planned: int = 0
    achieved: int = 0
    lines: int = 0
    lines_not_met: int = 0

    @property
    def ratio(self) -> Decimal | None:
        return share(self.achieved, self.planned)

    @property
    def met(self) -> bool:
        return self.lines_not_met == 0 and self.achieved >= self.planned


@dataclass
class NationalDashboard:
    period: Period
    schools: list[SchoolRow]
    totals: dict[tuple[str, str], Figures]
    missing: list[RegisteredSchool]
    quota: list[ProvinceQuota]
    quota_total: ProvinceQuota
    trend: list[YearFigures]
    answers: list[NationalFigures] = field(default_factory=list)

    @property
    def expected(self) -> int:
        """The schools that sent the period's package, and the active ones that did not."""
        return len(self.schools) + len(self.missing)

    def all_programs(self, relation: str) -> Figures:
        """Training and fostering together: every program's classes of ``relation``."""
        figures = Figures()
        for (one, _kind), total in self.totals.items():
            if one == relation:
                figures.add(total)
        return figures

    @property
    def running(self) -> Figures:
        return self.all_programs(ACTIVE)

    @property
    def opened(self) -> Figures:
        return self.all_programs(OPENED)

    @property
    def provinces_not_met(self) -> int:
        return sum(1 for province in self.quota if not province.met)


def dashboard_periods() -> list[tuple[Period, int]]:
    return imported_periods()


def default_period(periods: list[tuple[Period, int]]) -> Period | None:
    """The latest calendar year with packages, else the latest period."""
    for period, _count in periods:
        if period.year:
            return period
    return periods[0][0] if periods else None


def quota_of(period: Period) -> list[tuple[int, dict]]:
    """(school id, sums) of the quota lines in each school's package for ``period``."""
    rows = (
        QuotaLine.objects.filter(package__period_from=period.start, package__period_to=period.end)
        .values("package__school_id")
        .annotate(
            planned_sum=Sum("planned"),
            achieved_sum=Sum("achieved"),
            line_count=Count("pk"),
            not_met=Count("pk", filter=Q(achieved__lt=F("planned"))),
        )
        .values_list("package__school_id", "planned_sum", "achieved_sum", "line_count", "not_met")
    )
    return [(school, {"planned": p, "achieved": a, "lines": n, "lines_not_met": u}) for school, p, a, n, u in rows]


def national_dashboard(period: Period) -> NationalDashboard:
    answers = national_many(period, [Question(relation, kind=kind) for relation, kind in SCHOOL_FIGURES])
    first = answers[0]
    rows = [
        SchoolRow(
            school.school,
            {key: answer.schools[index].figures for key, answer in zip(SCHOOL_FIGURES, answers, strict=True)},
        )
        for index, school in enumerate(first.schools)
    ]
    sums = dict(quota_of(period))
    quota, quota_total = [], ProvinceQuota(None)
    for row in rows:
        if row.school.pk not in sums:
            continue
        province = ProvinceQuota(row.school, **sums[row.school.pk])
        quota.append(province)
        for name in ("planned", "achieved", "lines", "lines_not_met"):
            setattr(quota_total, name, getattr(quota_total, name) + getattr(province, name))
    return NationalDashboard(
        period=period,
        schools=rows,
        totals={key: answer.total for key, answer in zip(SCHOOL_FIGURES, answers, strict=True)},
        missing=first.missing,
        quota=quota,
        quota_total=quota_total,
        trend=national_trend(TREND_RELATIONS),
        answers=answers,
    )
