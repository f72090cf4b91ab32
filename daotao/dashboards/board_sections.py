"""The board's dashboard as people read it: one section per figure, each with its charts
(``daotao.lib.charts``), its table and that table as a workbook. The charts, the table and
the workbook of a section are made from the same rows (``tables.Table``: the same numbers,
in the same order), so that they cannot disagree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from daotao.cohorts.models import Funding
from daotao.dashboards.board import FUNDINGS, BoardDashboard
from daotao.lib import charts
from daotao.lib.charts import Series
from daotao.lib.tables import CLASSES, INT, PERCENT, RATIO, TEXT, Column, Table, Value, table_xlsx
from daotao.lib.vietnamese import format_count, format_int, format_percent_value


@dataclass
class Section:
    slug: str
    title: str
    table: Table
    # (title, SVG) of each chart, the title shown under it.
    charts: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # (label, address) of the pages that show the same figures.
    sources: list[tuple[str, str]] = field(default_factory=list)
    empty: str = ""  # said instead of the charts when there is nothing to draw


def _figure(draw, labels, series, title: str, **options) -> tuple[str, str]:
    """A chart of ``daotao.lib.charts`` with its title (shown under it on the page)."""
    return title, draw(labels, series, title, **options)


def _address(name: str, year: int, **query) -> str:
    return f"{reverse(name)}?{urlencode({'year': year, **query})}"


# --- 1. quota ---------------------------------------------------------------------------------


def quota_section(board: BoardDashboard) -> Section:
    year, quota = board.year, board.quota
    funding_names = {funding: str(Funding(funding).label) for funding in FUNDINGS}
    columns = [
        Column(_("Locality"), TEXT),
        Column(_("Classes"), CLASSES, _("Quota")),
        Column(_("Students"), INT, _("Quota")),
        Column(_("Classes"), CLASSES, _("Opened")),
        Column(_("Students"), INT, _("Opened")),
        Column(_("Students opened / quota"), RATIO),
    ]
    for funding in FUNDINGS:
        columns += [
            Column(_("Quota students"), INT, funding_names[funding]),
            Column(_("Classes opened"), CLASSES, funding_names[funding]),
            Column(_("Students opened"), INT, funding_names[funding]),
        ]

    columns.append(Column(_("Result"), TEXT))

    def line(label, figures) -> list:
        cells = [
            label,
            figures.planned_classes,
            figures.planned_students,
            figures.actual_classes,
            figures.actual_students,
            figures.ratio,
        ]
        for funding in FUNDINGS:
            split = figures.funding(funding)
            cells += [split.planned_students, split.actual_classes, split.actual_students]
        # Met only when every quota line (program and funding) of the locality is met.
        return [*cells, _("Met") if figures.met else _("Not met")]

    table = Table(
        columns,
        [line(locality.name, locality) for locality in quota.localities],
        line(_("Total"), quota.total) if quota.localities else None,
    )
    section = Section(
        "quota",
        _("Quota and classes opened by locality, %(year)s plan") % {"year": year},
        table,
        # The yearly report's quota table and the quota progress page count by the same rule.
        sources=[
            (_("Yearly report"), _address("reports:annual", year)),
            (_("Quota progress"), _address("admissions:quota", year)),
        ],
        empty=_("There are no quota lines for %(year)s.") % {"year": year},
    )
    if not quota.localities:
        return section
    names = [locality.name for locality in quota.localities]
    section.charts = [
        _figure(
            charts.horizontal_bar_chart,
            names,
            [
                Series(_("Quota students"), [locality.planned_students for locality in quota.localities]),
                Series(_("Students opened"), [locality.actual_students for locality in quota.localities]),
            ],
            _("Students: quota and opened, by locality, %(year)s plan") % {"year": year},
            chart_id="board-quota-students",
            description=_("The student quota of each locality and the students of the classes opened under it."),
        ),
        _figure(
            charts.horizontal_bar_chart,
            names,
            [
                Series(
                    funding_names[funding], [locality.funding(funding).actual_students for locality in quota.localities]
                )
                for funding in FUNDINGS
            ],
            _("Students opened by funding, by locality, %(year)s plan") % {"year": year},
            chart_id="board-quota-funding",
            description=_("The students of the classes opened under the plan, by who pays the training costs."),
            stacked=True,
            total_label=_("total"),
        ),
    ]
    section.notes.append(
        _(
            "Classes opened under the year's plan, held in the locality or a unit below it, counted for "
            "the quota line of their program and funding; %(count)s localities have a quota line not met."
        )
        % {"count": format_count(quota.not_met)}
    )
    return section


# --- 2. trend ---------------------------------------------------------------------------------


def trend_section(board: BoardDashboard) -> Section:
    trend = board.trend
    first, last = trend.years[0], trend.years[-1]
    columns = [Column(_("Program category"), TEXT)]
    for one in trend.years:
        columns += [Column(_("Classes"), CLASSES, str(one)), Column(_("Students"), INT, str(one))]

    def line(label, counts) -> list:
        return [label, *[figure for one in counts for figure in (one.classes, one.students)]]

    table = Table(
        columns,
        [line(category.label, category.counts) for category in trend.categories],
        line(_("Total"), trend.totals),
    )
    years = [str(one) for one in trend.years]
    span = {"first": first, "last": last}
    return Section(
        "trend",
        _("Classes opened by program category, %(first)s–%(last)s") % span,
        table,
        charts=[
            _figure(
                charts.column_chart,
                years,
                [Series(c.label, [one.classes for one in c.counts]) for c in trend.categories],
                _("Classes opened each year by program category, %(first)s–%(last)s") % span,
                chart_id="board-trend-classes",
                description=_("Classes opened in each year, by program category."),
                stacked=True,
                total_label=_("total"),
                value_format=format_count,
            ),
            _figure(
                charts.column_chart,
                years,
                [Series(c.label, [one.students for one in c.counts]) for c in trend.categories],
                _("Students of the classes opened each year by program category, %(first)s–%(last)s") % span,
                chart_id="board-trend-students",
                description=_("Students of the classes opened in each year, by program category."),
                stacked=True,
                total_label=_("total"),
            ),
        ],
        notes=[
            _("Counted by the reports' engine: classes whose opening date falls in the year, cancelled ones left out.")
        ],
        sources=[(_("Yearly report"), _address("reports:annual", last))],
    )


# --- 3. months --------------------------------------------------------------------------------


def months_section(board: BoardDashboard) -> Section:
    names = [_("Month %(month)s") % {"month": month} for month in range(1, 13)]
    columns = [Column("", TEXT), *[Column(name, INT) for name in names]]
    table = Table(
        columns,
        [
            [_("Classes running"), *[Value(one.classes, CLASSES) for one in board.months]],
            [_("Their students"), *[one.students for one in board.months]],
        ],
    )
    return Section(
        "months",
        _("Classes running in each month of %(year)s") % {"year": board.year},
        table,
        charts=[
            _figure(
                charts.column_chart,
                names,
                [Series(_("Classes running"), [one.classes for one in board.months])],
                _("Classes running in each month of %(year)s") % {"year": board.year},
                chart_id="board-months",
                description=_("Classes running during each month: opened by its end and not closed before its start."),
                value_format=format_count,
            )
        ],
    )


# --- 4. graduation ----------------------------------------------------------------------------


def graduation_section(board: BoardDashboard) -> Section:
    graduation = board.graduation
    training = graduation.training
    lines = [(label, count) for _value, label, count in graduation.classified]
    if graduation.not_classified:
        lines.append((_("Not classified"), graduation.not_classified))

    def share(count: int):
        return Decimal(count) / training if training else None

    table = Table(
        [Column(_("Classification"), TEXT), Column(_("Graduates"), INT), Column(_("Share"), RATIO)],
        [[label, count, share(count)] for label, count in lines],
        [_("Training graduates"), training, share(training) if training else None],
    )
    section = Section(
        "graduation",
        _("Graduates of the classes closed in %(year)s, by classification") % {"year": board.year},
        table,
        notes=[
            _(
                "From the graduation decisions of the classes that closed in the year, with each graduate's "
                "classification as decided or corrected."
            ),
            _("Fostering courses completed in these classes (not classified): %(count)s.")
            % {"count": format_int(graduation.fostering)},
        ],
    )
    if lines:
        section.charts = [
            _figure(
                charts.horizontal_bar_chart,
                [label for label, _count in lines],
                [Series(_("Graduates"), [count for _label, count in lines])],
                _("Graduates of the training classes closed in %(year)s, by classification") % {"year": board.year},
                chart_id="board-graduation",
                description=_("Graduates of each classification."),
            )
        ]
    return section


# --- 5. coverage ------------------------------------------------------------------------------


def coverage_section(board: BoardDashboard) -> Section:
    coverage = board.coverage
    rules, met = coverage.rules, coverage.targets_met
    labels = [
        _("Classes evaluated on programme, lecturers, facilities and organisation"),
        _("Classes evaluated on the learners"),
        _("Classes evaluated after the course (rounds closing this year)"),
    ]

    def result(done: bool) -> str:
        return _("met") if done else _("not met")

    table = Table(
        [
            Column(_("Yearly target"), TEXT),
            Column(_("Classes evaluated"), INT),
            Column(_("Classes of the year"), INT),
            Column(_("Done"), PERCENT),
            Column(_("Target"), PERCENT),
            Column(_("Result"), TEXT),
        ],
        [
            [labels[0], coverage.course_count, coverage.classes, coverage.course_share,
             rules.target_course_percent, result(met["course"])],
            [labels[1], coverage.learner_count, coverage.classes, coverage.learner_share,
             rules.target_learner_percent, result(met["learners"])],
            [labels[2], coverage.after_count, None, None, Value(rules.target_after_courses, INT), result(met["after"])],
        ],
    )  # fmt: skip
    return Section(
        "coverage",
        _("Evaluation coverage of %(year)s against the yearly targets") % {"year": board.year},
        table,
        charts=[
            _figure(
                charts.horizontal_bar_chart,
                labels[:2],
                [
                    Series(_("Done"), [coverage.course_share, coverage.learner_share]),
                    Series(_("Target"), [rules.target_course_percent, rules.target_learner_percent]),
                ],
                _("Share of the year's classes evaluated, against the targets, %(year)s") % {"year": board.year},
                chart_id="board-coverage",
                description=_("Share of the classes of the year evaluated, and the yearly target, in percent."),
                value_format=format_percent_value,
                scale_max=100,
            )
        ],
        notes=[_("Targets and rules: %(rules)s.") % {"rules": rules.name}],
        sources=[(_("Evaluation coverage"), _address("surveys:coverage", board.year))],
    )


# --- 6. outcomes ------------------------------------------------------------------------------


def outcomes_section(board: BoardDashboard) -> Section:
    outcomes = board.outcomes
    table = Table(
        [
            Column(_("Program"), TEXT),
            Column(_("Graduates"), INT),
            Column(_("Appointed or rewarded within 12 months"), INT),
            Column(_("Share"), RATIO),
        ],
        [[row.program.name, row.graduates, row.within_12, row.share_12] for row in outcomes.rows],
        [_("Total"), outcomes.total.graduates, outcomes.total.within_12, outcomes.total.share_12]
        if outcomes.rows
        else None,
    )
    section = Section(
        "outcomes",
        _("Graduates of %(year)s appointed or rewarded within 12 months") % {"year": board.year},
        table,
        notes=[
            _(
                "Graduates of a year: those in a graduation decision dated in it, or, in fostering, given their "
                "first certificate in it."
            )
        ],
        sources=[(_("Career outcomes of graduates"), _address("surveys:outcome_report", board.year))],
        empty=_("No graduates in this year."),
    )
    if outcomes.window_open:
        section.notes.append(_("Some graduates' windows are not over yet: the figures may still grow."))
    if outcomes.rows:
        section.charts = [
            _figure(
                charts.horizontal_bar_chart,
                [row.program.name for row in outcomes.rows],
                [
                    Series(_("Graduates"), [row.graduates for row in outcomes.rows]),
                    Series(_("Appointed or rewarded within 12 months"), [row.within_12 for row in outcomes.rows]),
                ],
                _("Graduates of %(year)s and those appointed or rewarded within 12 months") % {"year": board.year},
                chart_id="board-outcomes",
                description=_(
                    "For each program, its graduates of the year and how many of them were appointed, promoted or "
                    "rewarded within 12 months."
                ),
            )
        ]
    return section


BUILDERS: dict[str, Callable[[BoardDashboard], Section]] = {
    "quota": quota_section,
    "trend": trend_section,
    "months": months_section,
    "graduation": graduation_section,
    "coverage": coverage_section,
    "outcomes": outcomes_section,
}
# The workbook's file name per section (no diacritics, as the other downloads).
FILE_NAMES = {
    "quota": "chi-tieu",
    "trend": "xu-huong",
    "months": "theo-thang",
    "graduation": "xep-loai-tot-nghiep",
    "coverage": "danh-gia",
    "outcomes": "sau-dao-tao",
}


def sections(board: BoardDashboard) -> list[Section]:
    return [build(board) for build in BUILDERS.values()]


def section_xlsx(section: Section) -> bytes:
    """One section's table as a workbook: its title, the headings, the rows, the total, the notes."""
    return table_xlsx(section.title, section.table, section.notes, FILE_NAMES[section.slug].replace("-", ""))
