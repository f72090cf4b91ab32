"""The national dashboard as people read it: one section per figure, each with its charts
(``lib/charts.py``), its table and that table as a workbook (``lib/tables.py``, the board's
own table in its three forms), all made from the same rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from daotao.academy.dashboard import SCHOOL_FIGURES, TREND_RELATIONS, NationalDashboard
from daotao.academy.format import KINDS, RELATIONS, TRAINING
from daotao.lib import charts
from daotao.lib.charts import Series
from daotao.lib.tables import CLASSES, INT, RATIO, TEXT, Column, Table, Value, table_xlsx
from daotao.lib.vietnamese import format_count, format_int


@dataclass
class Section:
    slug: str
    title: str
    table: Table
    charts: list[tuple[str, str]] = field(default_factory=list)  # (title, SVG)
    notes: list[str] = field(default_factory=list)
    empty: str = ""


def _figure_title(relation: str, kind: str) -> str:
    if kind == TRAINING:
        return _("Training: opened") if relation == "opened" else _("Training: running")
    return _("Fostering: opened") if relation == "opened" else _("Fostering: running")


def schools_section(board: NationalDashboard) -> Section:
    period = board.period.label
    columns = [Column(_("School"), TEXT), Column(_("Province"), TEXT)]
    for relation, kind in SCHOOL_FIGURES:
        group = _figure_title(relation, kind)
        columns += [Column(_("Classes"), CLASSES, group), Column(_("Students"), INT, group)]

    def cells(figures) -> list:
        return [value for key in SCHOOL_FIGURES for value in (figures[key].classes, figures[key].students)]

    table = Table(
        columns,
        [[row.school.name, row.school.province, *cells(row.figures)] for row in board.schools],
        [_("Whole country"), "", *cells(board.totals)] if board.schools else None,
    )
    section = Section(
        "schools",
        _("Classes and students by school, %(period)s") % {"period": period},
        table,
        notes=[
            _(
                "As each school counted them with its own engine and sent them in its signed package for exactly "
                "this period; running = opened in the period or carried over into it."
            )
        ],
        empty=_("No school has sent a package for this period."),
    )
    if board.missing:
        section.notes.append(
            _("Schools whose package for this period has not come in: %(schools)s.")
            % {"schools": ", ".join(f"{school.name} ({school.code})" for school in board.missing)}
        )
    if not board.schools:
        return section
    names = [row.school.name for row in board.schools]
    kinds = [kind for relation, kind in SCHOOL_FIGURES if relation == "active"]

    def series(relation: str, measure: str) -> list[Series]:
        return [
            Series(str(KINDS[kind]), [getattr(row.figures[(relation, kind)], measure) for row in board.schools])
            for kind in kinds
        ]

    section.charts = [
        (
            title := _("Students of the classes running in the period, by school, %(period)s") % {"period": period},
            charts.horizontal_bar_chart(
                names, series("active", "students"), title, chart_id="academy-schools-students",
                description=_(
                    "The students of each school's classes running in the period, in training and in fostering."
                ),
                stacked=True, total_label=_("total"),
            ),
        ),
        (
            title := _("Classes opened in the period, by school, %(period)s") % {"period": period},
            charts.horizontal_bar_chart(
                names, series("opened", "classes"), title, chart_id="academy-schools-opened",
                description=_("The classes each school opened in the period, in training and in fostering."),
                stacked=True, total_label=_("total"), value_format=format_count,
            ),
        ),
    ]  # fmt: skip
    return section


def quota_section(board: NationalDashboard) -> Section:
    period = board.period.label
    columns = [
        Column(_("Province"), TEXT),
        Column(_("School"), TEXT),
        Column(_("Students planned"), INT),
        Column(_("Students achieved"), INT),
        Column(_("Achieved / planned"), RATIO),
        Column(_("Quota lines"), INT),
        Column(_("Lines not met"), INT),
        Column(_("Result"), TEXT),
    ]

    def line(label: str, school: str, quota) -> list:
        result = _("Met") if quota.met else _("Not met")
        return [label, school, quota.planned, quota.achieved, quota.ratio, quota.lines, quota.lines_not_met, result]

    total = board.quota_total
    table = Table(
        columns,
        [line(quota.school.province, quota.school.name, quota) for quota in board.quota],
        line(_("Whole country"), "", total) if board.quota else None,
    )
    section = Section(
        "quota",
        _("Quota achievement by province, %(period)s") % {"period": period},
        table,
        notes=[
            _(
                "The quota lines of the plan years in the period (locality × program × funding) and the students "
                "enrolled in the classes opened under them, as each school counted them; a province has met its "
                "quota when every line is met. %(count)s provinces have not."
            )
            % {"count": format_int(board.provinces_not_met)}
        ],
        empty=_("No package for this period holds quota lines."),
    )
    if board.quota:
        section.charts = [
            (
                title := _("Students planned and achieved, by province, %(period)s") % {"period": period},
                charts.horizontal_bar_chart(
                    [quota.school.province for quota in board.quota],
                    [
                        Series(_("Students planned"), [quota.planned for quota in board.quota]),
                        Series(_("Students achieved"), [quota.achieved for quota in board.quota]),
                    ],
                    title,
                    chart_id="academy-quota",
                    description=_("The students each province's quota plans for, and those enrolled under it."),
                ),
            )
        ]
    return section


def trend_section(board: NationalDashboard) -> Section:
    trend = board.trend
    columns = [Column(_("Figure"), TEXT)]
    for year in trend:
        columns += [Column(_("Classes"), CLASSES, str(year.year)), Column(_("Students"), INT, str(year.year))]
    rows = [
        [
            str(RELATIONS[relation]),
            *[v for year in trend for v in (year.figures[relation].classes, year.figures[relation].students)],
        ]
        for relation in TREND_RELATIONS
    ]
    rows.append(
        [_("Schools that sent the year's package"), *[v for year in trend for v in (Value(year.schools, INT), None)]]
    )
    section = Section(
        "trend",
        _("National totals by year"),
        Table(columns, rows if trend else []),
        notes=[
            _(
                "From the packages of whole calendar years: a year's totals hold only the schools whose package "
                "for it has come in."
            )
        ],
        empty=_("No package of a whole calendar year has come in yet."),
    )
    if trend:
        years = [str(year.year) for year in trend]
        shown = (TREND_RELATIONS[0], TREND_RELATIONS[2])  # opened and running: the others are their parts
        section.charts = [
            (
                title := _("Classes opened and running each year, whole country"),
                charts.column_chart(
                    years,
                    [Series(str(RELATIONS[r]), [year.figures[r].classes for year in trend]) for r in shown],
                    title, chart_id="academy-trend-classes", value_format=format_count,
                    description=_(
                        "The classes opened in each year and those running in it, in every school that sent its "
                        "package."
                    ),
                ),
            ),
            (
                title := _("Students of the classes opened and running each year, whole country"),
                charts.column_chart(
                    years,
                    [Series(str(RELATIONS[r]), [year.figures[r].students for year in trend]) for r in shown],
                    title, chart_id="academy-trend-students",
                    description=_("The students of the classes opened in each year and of those running in it."),
                ),
            ),
        ]  # fmt: skip
    return section


BUILDERS: dict[str, Callable[[NationalDashboard], Section]] = {
    "schools": schools_section,
    "quota": quota_section,
    "trend": trend_section,
}
# The workbook's file name per section (no diacritics, as the other downloads).
FILE_NAMES = {"schools": "truong", "quota": "chi-tieu", "trend": "xu-huong"}


def sections(board: NationalDashboard) -> list[Section]:
    return [build(board) for build in BUILDERS.values()]


def section_xlsx(section: Section) -> bytes:
    return table_xlsx(section.title, section.table, section.notes, FILE_NAMES[section.slug].replace("-", ""))
