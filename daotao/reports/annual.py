"""The yearly report, and the same report over any period: a template's lines counted for
a calendar year or for any dates (two months, a quarter, six months), its summary paragraph
and, for a calendar year, the quota table. Pages, commands, exports and the API all build
it here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import string
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.accounts.scope import scope_of
from daotao.lib.vietnamese import format_count, format_date, format_int
from daotao.planning.achievement import (
    ENROLLED_BY,
    QuotaRow,
    QuotaTotal,
    enrolled_q,
    quota_achievement,
    quota_lines,
    unmet_locality_names,
)
from daotao.reports import engine
from daotao.reports.models import ReportLine, ReportTemplate

BUILTIN_TEMPLATE = "coordination-yearly"
# The built-in template written for any period (``builtin.COORDINATION_PERIOD``).
PERIOD_TEMPLATE = "coordination-period"


@dataclass
class LineResult:
    line: ReportLine
    label: str
    counts: engine.Counts
    # The filter counted: the line's own, in the report's view of the units.
    counted_filter: engine.CohortFilter | None = None

    @property
    def classes_text(self) -> str:
        return format_count(self.counts.classes)

    @property
    def students_text(self) -> str:
        return format_int(self.counts.students)

    def as_dict(self) -> dict:
        return {
            "key": self.line.key,
            "label": self.label,
            "level": self.line.level,
            "relation": self.line.relation,
            "filter": (self.counted_filter or self.line.cohort_filter()).as_dict(),
            "classes": self.counts.classes,
            "students": self.counts.students if self.line.show_students else None,
            "classes_text": self.classes_text,
            "students_text": self.students_text if self.line.show_students else None,
        }


@dataclass
class AnnualReport:
    """A template counted over a period: a calendar year (``annual_report``) or any dates
    (``period_report``). ``year`` is the year the period ends in."""

    year: int
    template: ReportTemplate
    title: str
    lines: list[LineResult]
    quota: list[QuotaRow]
    summary: str
    generated_on: dt.date = field(default_factory=timezone.localdate)
    period: engine.Period | None = None
    # How its lines read units that were reorganised: by today's units or as they were then.
    units: str = engine.UNITS_TODAY

    def __post_init__(self):
        if self.period is None:
            self.period = engine.Period.year(self.year)

    @property
    def is_calendar_year(self) -> bool:
        """Quotas are yearly: only a calendar year's report has the quota table."""
        return self.period.is_calendar_year

    @property
    def period_name(self) -> str:
        return period_name(self.period)

    @property
    def units_line(self) -> str:
        """Which view of the units the report uses, as the page says it."""
        return engine.units_line(self.units)

    @cached_property
    def quota_total(self) -> QuotaTotal:
        """The sum of the quota table (``planning.achievement``: met only when every line is)."""
        total = QuotaTotal()
        for row in self.quota:
            total.add(row)
            total.lines += row.lines
        return total

    @cached_property
    def unmet_locality_names(self) -> list[str]:
        """The localities with a quota line missed, each once, in table order."""
        return unmet_locality_names(self.quota)

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "template": self.template.code,
            "title": self.title,
            "period": {
                "from": self.period.start.isoformat(),
                "to": self.period.end.isoformat(),
                "name": self.period_name,
            },
            "units": {"view": self.units, "text": self.units_line},
            "summary": self.summary,
            "lines": [line.as_dict() for line in self.lines],
            # Each quota line (locality × program × funding), then each locality × program total.
            "quota": [line.as_dict() for line in quota_lines(self.quota)],
            "quota_totals": [row.as_dict() for row in self.quota],
        }


class _Formatted:
    """A line's figures as the summary writes them (``07``, ``1.040``)."""

    def __init__(self, counts: engine.Counts):
        self.classes = format_count(counts.classes)
        self.students = format_int(counts.students)


class _QuotaSummary:
    def __init__(self, rows: list[QuotaRow]):
        names = unmet_locality_names(rows)
        self.unmet_count = format_count(len(names))
        self.unmet_names = ", ".join(names) if names else _("none")


# A period's name in the report's words (Vietnamese, as the documents are).
_QUARTERS = {1: "I", 4: "II", 7: "III", 10: "IV"}


def period_name(period: engine.Period) -> str:
    """``năm 2026``, ``6 tháng đầu năm 2026``, ``quý II năm 2026``, ``tháng 3 và 4 năm 2026``,
    ``tháng 3 năm 2026``, ``từ tháng 3 đến tháng 5 năm 2026``, or ``từ 05/03/2026 đến
    20/04/2026`` for dates that are not whole months of one year."""
    start, end = period.start, period.end
    whole_months = start.day == 1 and (end + dt.timedelta(days=1)).day == 1 and start.year == end.year
    if not whole_months:
        return f"từ {format_date(start)} đến {format_date(end)}"
    first, last, year = start.month, end.month, end.year
    if (first, last) == (1, 12):
        return f"năm {year}"
    if (first, last) in ((1, 6), (7, 12)):
        return f"6 tháng {'đầu' if first == 1 else 'cuối'} năm {year}"
    if first in _QUARTERS and last == first + 2:
        return f"quý {_QUARTERS[first]} năm {year}"
    if first == last:
        return f"tháng {first} năm {year}"
    if last == first + 1:
        return f"tháng {first} và {last} năm {year}"
    return f"từ tháng {first} đến tháng {last} năm {year}"


def _period_values(period: engine.Period) -> dict:
    """The placeholders every title, summary and label may use: ``{year}`` (the year the
    period ends in), ``{prev_year}``, ``{period}``, ``{from}`` and ``{to}``."""
    year = period.end.year
    return {
        "year": year,
        "prev_year": year - 1,
        "period": period_name(period),
        "from": format_date(period.start),
        "to": format_date(period.end),
    }


def _placeholders(period: engine.Period, values: dict) -> dict:
    return {**_period_values(period), **values}


def fill_label(label: str, period: engine.Period | int) -> str:
    """A line label with the period's placeholders filled in (``{year}``, ``{prev_year}``,
    ``{period}``, ``{from}``, ``{to}``); other braces stay as typed."""
    if isinstance(period, int):
        period = engine.Period.year(period)
    for name, value in _period_values(period).items():
        label = label.replace("{" + name + "}", str(value))
    return label


# What filling a text raises on one it cannot fill: ``{year`` (ValueError), ``{year.x}``
# (AttributeError), ...
_FORMAT_ERRORS = (ValueError, AttributeError, IndexError, KeyError, TypeError)
# The only attributes a placeholder may name: a line's figures, the quota summary's.
_ATTRIBUTES = {
    _Formatted: ("classes", "students"),
    _QuotaSummary: ("unmet_count", "unmet_names"),
}


class _Placeholders(string.Formatter):
    """Fills a title or summary by name only: ``{year}``, ``{key.classes}``,
    ``{quota.unmet_count}``. ``str.format`` would follow any attribute or index a template
    names (``{quota.__init__.__globals__...}`` reaches the settings); this refuses every
    field but a known name and one of its listed attributes."""

    def get_field(self, field_name, args, kwargs):
        name, _dot, attribute = field_name.partition(".")
        if "[" in field_name or "." in attribute or name not in kwargs:
            raise KeyError(field_name)
        value = kwargs[name]
        if not attribute:
            return value, name
        if attribute not in _ATTRIBUTES.get(type(value), ()):
            raise AttributeError(field_name)
        return getattr(value, attribute), name


_FILL = _Placeholders()


def summary_problem(summary: str, title: str, keys: list[str]) -> str | None:
    """Why a summary or title cannot be filled with the lines ``keys``, or None (checked
    when a template is edited, and again before a stored one is filled)."""
    zero = _Formatted(engine.Counts(0, 0))
    known = _placeholders(engine.Period.year(2000), {key: zero for key in keys} | {"quota": _QuotaSummary([])})
    for text in (summary, title):
        try:
            for _literal, name, spec, conversion in _FILL.parse(text):
                if name is None:
                    continue
                if name.split(".")[0].split("[")[0] not in known:
                    return _("Unknown placeholder {%(name)s}.") % {"name": name}
                if spec or conversion:
                    # A width such as {year:>999999999} would build a huge text.
                    return _("Write the placeholder {%(name)s} without a format.") % {"name": name}
                try:
                    _FILL.get_field(name, (), known)
                except (KeyError, AttributeError):
                    return _("Unknown placeholder {%(name)s}.") % {"name": name}
            _FILL.vformat(text, (), known)
        except _FORMAT_ERRORS as error:
            return _("The text cannot be filled in: %(error)s") % {"error": error}
    return None


def _filled(template: ReportTemplate, keys: list[str], values: dict) -> tuple[str, str]:
    """The template's title and summary filled in. A stored text that cannot be (saved
    before it was checked, or changed outside the admin) is a ReportInputError."""
    problem = summary_problem(template.summary, template.title, keys)
    if problem:
        raise engine.ReportInputError(
            "template",
            _("The report template “%(code)s” cannot be used: correct its title or summary. %(problem)s")
            % {"code": template.code, "problem": problem},
        )
    return _FILL.vformat(template.title, (), values), _FILL.vformat(template.summary, (), values)


def annual_report(
    year: int, user, template_code: str = BUILTIN_TEMPLATE, units: str = engine.UNITS_TODAY
) -> AnnualReport:
    """Count every line of the template for the calendar year, in a constant number of queries."""
    return period_report(engine.Period.year(year), user, template_code, units)


def _template_and_lines(template_code: str) -> tuple[ReportTemplate, list[ReportLine]]:
    """The template and its lines in order, in one query (two for a template without lines)."""
    lines = list(
        ReportLine.objects.filter(template__code=template_code)
        .select_related("template", "locality")
        .order_by("order", "id")
    )
    template = lines[0].template if lines else ReportTemplate.objects.filter(code=template_code).first()
    if template is None:
        raise engine.ReportInputError("template", _("Unknown report template “%(code)s”.") % {"code": template_code})
    return template, lines


def period_report(
    period: engine.Period, user, template_code: str = BUILTIN_TEMPLATE, units: str = engine.UNITS_TODAY
) -> AnnualReport:
    """Count every line of the template for ``period``, in a constant number of queries.

    Quotas are yearly (a plan's quota is for its year): a calendar year's report has the
    quota table; a shorter or longer period's has none, and its ``{quota...}`` placeholders
    read as if no quota was missed (a template written for periods leaves them out).

    For school-wide staff, who count every class whole, the lines and the classes that
    achieve the quota lines are counted by one query, each class read once
    (``engine.count_many_grouped``); for anyone else the quota table counts its lines whole
    on its own (``planning.achievement``)."""
    template, lines = _template_and_lines(template_code)
    if units not in engine.UNIT_VIEWS:
        raise engine.ReportInputError(
            "units", _("Unknown view of the units “%(value)s”: choose today or then.") % {"value": units}
        )
    filters = [dataclasses.replace(line.cohort_filter(), units=units) for line in lines]
    specs = [
        engine.CountSpec(period, line.relation, line_filter) for line, line_filter in zip(lines, filters, strict=True)
    ]
    year = period.end.year
    quota: list[QuotaRow] = []
    if period.is_calendar_year and scope_of(user).everything:
        counts, enrolled = engine.count_many_grouped(specs, user, engine.Grouping(enrolled_q(year), ENROLLED_BY))
        quota = quota_achievement(
            year, user, enrolled={key: (sums.classes, sums.students) for key, sums in enrolled.items()}
        )
    else:
        counts = engine.count_many(specs, user)
        if period.is_calendar_year:
            quota = quota_achievement(year, user)
    results = [
        LineResult(line, fill_label(line.label, period), line_counts, line_filter)
        for line, line_counts, line_filter in zip(lines, counts, filters, strict=True)
    ]
    values = _placeholders(
        period,
        {result.line.key: _Formatted(result.counts) for result in results} | {"quota": _QuotaSummary(quota)},
    )
    title, summary = _filled(template, [line.key for line in lines], values)
    return AnnualReport(
        year=year,
        template=template,
        title=title,
        lines=results,
        quota=quota,
        summary=summary,
        period=period,
        units=units,
    )
