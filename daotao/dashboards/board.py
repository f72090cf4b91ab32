"""The year at a glance for the school board and the training office: six figures of one
year, each gathered by the function that counts it for its own page, so that the dashboard
and those pages never disagree.

1. ``quota``: classes and students opened against the quota, per locality, split by
   funding: ``planning.achievement.quota_achievement`` (the one rule of the yearly
   report's quota table and of the quota progress page, ``admissions.progress``);
2. ``trend``: classes opened and their students in the year and the four before, per
   program category: the counting engine (``reports.engine.count_many``);
3. ``months``: classes active in each month of the year: the engine again;
4. ``graduation``: the graduates of the classes that closed in the year by classification,
   from their graduation decisions (``GraduationEntry``, whose classification is the one
   the class's graduation report counts, ``grading.cohort_report``);
5. ``coverage``: evaluation coverage against the yearly targets:
   ``surveys.coverage.coverage_figures`` over the classes the user sees whole: the coverage
   page's figures, counted by the database without its table;
6. ``outcomes``: the year's graduates appointed, promoted or rewarded within 12 months:
   ``surveys.outcomes.outcome_report``.

``board_dashboard(year, user)`` asks each of them once: a fixed number of queries whatever
the size of the database (docs/performance.md, "The board's dashboard"). What it shows is
what ``user`` may see; the page is for school-wide users, who see everything: for them the
engine's one counting query also sums the classes of the year's quota lines
(``count_many_grouped``), so each class is read once for the figures and the quota table.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Min
from django.utils import timezone

from daotao.accounts.scope import scope_of
from daotao.cohorts.access import cohorts_reached, cohorts_seen_whole
from daotao.cohorts.models import Funding
from daotao.grading.models import GradingRules, GraduationEntry
from daotao.grading.rules import DEFAULT_BANDS, bands_from_json
from daotao.lib.dates import MAX_YEAR, MIN_YEAR, add_months
from daotao.planning.achievement import (
    ENROLLED_BY,
    QuotaTotal,
    by_locality,
    enrolled_q,
    quota_achievement,
    quota_lines,
    unmet_locality_names,
)
from daotao.planning.models import AnnualPlan
from daotao.programs.models import ProgramKind, ReportCategory
from daotao.reports.engine import (
    ACTIVE,
    CLOSED,
    OPENED,
    CohortFilter,
    Counts,
    CountSpec,
    Grouping,
    Period,
    count_many,
    count_many_grouped,
    relation_q,
)
from daotao.surveys.coverage import CoverageFigures, coverage_figures
from daotao.surveys.outcomes import OutcomeRow, outcome_report, outcome_total

TREND_YEARS = 5
OUTCOME_MONTHS = 12
FUNDINGS = tuple(Funding.values)  # supported, self-funded: the order reports give them in


# --- 1. quota -------------------------------------------------------------------------------


@dataclass
class QuotaFigures:
    # Each locality's quota lines (every program) summed, with its funding split
    # (``QuotaTotal.funding``) and whether every line is met (``QuotaTotal.met``).
    localities: list[QuotaTotal]
    total: QuotaTotal
    # Localities with a quota line not met (the yearly report's count).
    not_met: int


def quota_of_year(year: int, user, enrolled: dict | None = None) -> QuotaFigures:
    """The yearly report's quota lines (``planning.achievement``) summed per locality; three
    queries, two with the classes' sums (``enrolled``, as ``quota_achievement`` takes them)."""
    rows = quota_achievement(year, user, enrolled)
    return QuotaFigures(by_locality(rows), QuotaTotal.of(quota_lines(rows)), len(unmet_locality_names(rows)))


# --- 2, 3 and the key figures: the counting engine -----------------------------------------


@dataclass
class CategoryTrend:
    category: str
    label: str
    counts: list[Counts]  # one per year of the trend, oldest first


@dataclass
class Trend:
    years: list[int]
    categories: list[CategoryTrend]

    @property
    def totals(self) -> list[Counts]:
        return [
            Counts(
                sum(c.counts[i].classes for c in self.categories), sum(c.counts[i].students for c in self.categories)
            )
            for i in range(len(self.years))
        ]


@dataclass
class KeyFigures:
    active: Counts  # classes that ran in the year (opened in it or carried over)
    opened: Counts
    closed: Counts
    today: Counts | None  # classes running today, in the current year only


def _month_period(year: int, month: int) -> Period:
    first = dt.date(year, month, 1)
    return Period(first, add_months(first, 1) - dt.timedelta(days=1))


def _engine_specs(year: int, today: dt.date) -> tuple[list[CountSpec], dict[str, slice]]:
    """Every count the dashboard asks the engine, in one list (answered by one query),
    and where each part's answers are in it."""
    years = range(year - TREND_YEARS + 1, year + 1)
    specs: list[CountSpec] = []
    places: dict[str, slice] = {}

    def part(name: str, added: list[CountSpec]) -> None:
        places[name] = slice(len(specs), len(specs) + len(added))
        specs.extend(added)

    whole_year = Period.year(year)
    part("key", [CountSpec(whole_year, ACTIVE), CountSpec(whole_year, OPENED), CountSpec(whole_year, CLOSED)])
    if today.year == year:
        part("today", [CountSpec(Period(today, today), ACTIVE)])
    part(
        "trend",
        [
            CountSpec(Period.year(one), OPENED, CohortFilter(category=category))
            for category in ReportCategory.values
            for one in years
        ],
    )
    part("months", [CountSpec(_month_period(year, month), ACTIVE) for month in range(1, 13)])
    return specs, places


# --- 4. graduation ------------------------------------------------------------------------------


@dataclass
class GraduationFigures:
    # (classification, label, graduates) of the training programs, best first.
    classified: list[tuple[str, str, int]]
    # Training graduates without a classification (none in practice), fostering completions.
    not_classified: int
    fostering: int

    @property
    def training(self) -> int:
        return sum(count for _value, _label, count in self.classified) + self.not_classified

    @property
    def total(self) -> int:
        return self.training + self.fostering


def graduation_of_year(year: int, user) -> GraduationFigures:
    """The graduates in the decisions of the classes that closed in ``year`` (those the
    user reaches, with the students they see), by classification; one query."""
    closed = cohorts_reached(user).counted().filter(relation_q(CLOSED, Period.year(year)))
    counts = (
        GraduationEntry.objects.visible_to(user)
        .filter(enrollment__cohort__in=closed.values("pk"))
        .values_list("enrollment__cohort__program__kind", "classification")
        .annotate(graduates=Count("pk"))
        .order_by()
    )
    training, fostering = Counter(), 0
    for kind, classification, graduates in counts:
        if kind == ProgramKind.TRAINING:
            training[classification] += graduates
        else:
            fostering += graduates
    bands = list(DEFAULT_BANDS)
    others = {code for code in training if code and code not in {band.code for band in bands}}
    if others:  # a program's own bands (e.g. Trung bình khá): one more query, only then
        for row in GradingRules.objects.filter(program__kind=ProgramKind.TRAINING).values_list("bands", flat=True):
            try:
                bands += [band for band in bands_from_json(row) if band.code in others]
            except ValueError:
                continue
            others -= {band.code for band in bands}
        bands.sort(key=lambda band: -band.minimum)  # best first, each code once
    seen: set[str] = set()
    classified = []
    for band in bands:
        if band.code not in seen:
            seen.add(band.code)
            if band.code in {b.code for b in DEFAULT_BANDS} or training[band.code]:
                classified.append((band.code, band.label, training[band.code]))
    not_classified = sum(count for value, count in training.items() if value not in seen)
    return GraduationFigures(classified, not_classified, fostering)


# --- 6. outcomes ------------------------------------------------------------------------------


@dataclass
class Outcomes:
    rows: list[OutcomeRow]
    total: OutcomeRow
    # The 12 months after the year's last graduation are not over: the figures may grow.
    window_open: bool


def outcomes_of_year(year: int, user, today: dt.date) -> Outcomes:
    """The outcome report of ``year`` (``surveys.outcomes``) and its total; four queries."""
    rows = outcome_report(year=year, user=user)
    return Outcomes(rows, outcome_total(rows), add_months(dt.date(year, 12, 31), OUTCOME_MONTHS) > today)


# --- the dashboard ---------------------------------------------------------------------------


@dataclass
class BoardDashboard:
    year: int
    key: KeyFigures
    quota: QuotaFigures
    trend: Trend
    months: list[Counts]  # January first
    graduation: GraduationFigures
    coverage: CoverageFigures
    outcomes: Outcomes

    @property
    def quota_ratio(self) -> Decimal | None:
        return self.quota.total.ratio


def board_dashboard(year: int, user) -> BoardDashboard:
    """The six figures of ``year`` as ``user`` may see them, in a fixed number of queries."""
    today = timezone.localdate()
    specs, places = _engine_specs(year, today)
    enrolled = None
    if scope_of(user).everything:
        counts, sums = count_many_grouped(specs, user, Grouping(enrolled_q(year), ENROLLED_BY))
        enrolled = {key: (one.classes, one.students) for key, one in sums.items()}
    else:
        counts = count_many(specs, user)
    key = counts[places["key"]]
    today_counts = counts[places["today"]][0] if "today" in places else None
    trend_counts = counts[places["trend"]]
    categories = [
        CategoryTrend(value, str(label), trend_counts[index * TREND_YEARS : (index + 1) * TREND_YEARS])
        for index, (value, label) in enumerate(ReportCategory.choices)
    ]
    return BoardDashboard(
        year=year,
        key=KeyFigures(active=key[0], opened=key[1], closed=key[2], today=today_counts),
        quota=quota_of_year(year, user, enrolled),
        trend=Trend(list(range(year - TREND_YEARS + 1, year + 1)), categories),
        months=counts[places["months"]],
        graduation=graduation_of_year(year, user),
        coverage=coverage_figures(year, cohorts_seen_whole(user)),
        outcomes=outcomes_of_year(year, user, today),
    )


def engine_specs(year: int) -> list[CountSpec]:
    """The counts ``board_dashboard`` asks the engine for ``year`` (the benchmark times
    them alone)."""
    return _engine_specs(year, timezone.localdate())[0]


# --- the years to choose from -------------------------------------------------------------------


def dashboard_years(user) -> list[int]:
    """The years the records cover, oldest first: from the first class opened or plan made
    to the last class opened or closed or plan made (two queries); the current year alone
    when there is nothing yet."""
    dates = (
        cohorts_reached(user)
        .counted()
        .aggregate(first=Min("opening_date"), last_opened=Max("opening_date"), last_closed=Max("closing_date"))
    )
    plans = AnnualPlan.objects.aggregate(first=Min("year"), last=Max("year"))
    firsts = [value for value in (dates["first"] and dates["first"].year, plans["first"]) if value]
    lasts = [
        value
        for value in (
            dates["last_opened"] and dates["last_opened"].year,
            dates["last_closed"] and dates["last_closed"].year,
            plans["last"],
        )
        if value
    ]
    if not firsts:
        return [timezone.localdate().year]
    # A date typed wrong (9999, 0020) would stretch the selector and the trend out of range:
    # the years any page of DaoTao takes (lib.dates) bound it.
    first, last = max(min(firsts), MIN_YEAR), min(max(lasts), MAX_YEAR)
    return list(range(first, last + 1)) if first <= last else [timezone.localdate().year]


def default_year(years: list[int]) -> int:
    """The current year when the records reach it, else the latest year they cover."""
    current = timezone.localdate().year
    return current if current in years else years[-1]
