"""The yearly report: a template's lines counted for one year, its summary paragraph and
the quota table. Pages, commands, exports and the API all build it here."""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.lib.vietnamese import format_count, format_int
from daotao.reports import engine
from daotao.reports.models import ReportLine, ReportTemplate
from daotao.reports.quota import QuotaRow, quota_achievement, unmet_locality_names

BUILTIN_TEMPLATE = "coordination-yearly"


@dataclass
class LineResult:
    line: ReportLine
    label: str
    counts: engine.Counts

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
            "filter": self.line.cohort_filter().as_dict(),
            "classes": self.counts.classes,
            "students": self.counts.students if self.line.show_students else None,
            "classes_text": self.classes_text,
            "students_text": self.students_text if self.line.show_students else None,
        }


@dataclass
class AnnualReport:
    year: int
    template: ReportTemplate
    title: str
    lines: list[LineResult]
    quota: list[QuotaRow]
    summary: str
    generated_on: dt.date = field(default_factory=timezone.localdate)

    @property
    def period(self) -> engine.Period:
        return engine.Period.year(self.year)

    @cached_property
    def quota_total(self) -> QuotaRow:
        """The sum of the quota table (its ratio and ``met`` follow from the sums)."""
        total = QuotaRow("", "", "", "")
        for row in self.quota:
            total.planned_classes += row.planned_classes
            total.actual_classes += row.actual_classes
            total.planned_students += row.planned_students
            total.actual_students += row.actual_students
        return total

    @cached_property
    def unmet_locality_names(self) -> list[str]:
        """The localities with at least one quota not met, each once, in table order."""
        return unmet_locality_names(self.quota)

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "template": self.template.code,
            "title": self.title,
            "period": {"from": self.period.start.isoformat(), "to": self.period.end.isoformat()},
            "summary": self.summary,
            "lines": [line.as_dict() for line in self.lines],
            "quota": [row.as_dict() for row in self.quota],
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


def _placeholders(year: int, values: dict) -> dict:
    return {"year": year, "prev_year": year - 1, **values}


def fill_label(label: str, year: int) -> str:
    """A line label with {year} and {prev_year} filled in; other braces stay as typed."""
    return label.replace("{year}", str(year)).replace("{prev_year}", str(year - 1))


# What ``str.format_map`` raises on a text it cannot fill: ``{year`` (ValueError),
# ``{year.x}`` (AttributeError), ``{year[0]}`` (TypeError), ...
_FORMAT_ERRORS = (ValueError, AttributeError, IndexError, KeyError, TypeError)


def summary_problem(summary: str, title: str, keys: list[str]) -> str | None:
    """Why a summary or title cannot be filled with the lines ``keys``, or None (checked
    when a template is edited, and again before a stored one is filled)."""
    zero = _Formatted(engine.Counts(0, 0))
    known = _placeholders(2000, {key: zero for key in keys} | {"quota": _QuotaSummary([])})
    for text in (summary, title):
        try:
            for _literal, name, spec, conversion in string.Formatter().parse(text):
                if name is None:
                    continue
                if name.split(".")[0] not in known:
                    return _("Unknown placeholder {%(name)s}.") % {"name": name}
                if spec or conversion:
                    # A width such as {year:>999999999} would build a huge text.
                    return _("Write the placeholder {%(name)s} without a format.") % {"name": name}
            text.format_map(known)
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
    return template.title.format_map(values), template.summary.format_map(values)


def annual_report(year: int, user, template_code: str = BUILTIN_TEMPLATE) -> AnnualReport:
    """Count every line of the template for the calendar year, in a constant number of queries."""
    template = ReportTemplate.objects.filter(code=template_code).first()
    if template is None:
        raise engine.ReportInputError("template", _("Unknown report template “%(code)s”.") % {"code": template_code})
    lines = list(template.lines.select_related("locality").order_by("order", "id"))
    period = engine.Period.year(year)
    counts = engine.count_many([engine.CountSpec(period, line.relation, line.cohort_filter()) for line in lines], user)
    results = [
        LineResult(line, fill_label(line.label, year), line_counts)
        for line, line_counts in zip(lines, counts, strict=True)
    ]
    quota = quota_achievement(year, user)
    values = _placeholders(
        year,
        {result.line.key: _Formatted(result.counts) for result in results} | {"quota": _QuotaSummary(quota)},
    )
    title, summary = _filled(template, [line.key for line in lines], values)
    return AnnualReport(year=year, template=template, title=title, lines=results, quota=quota, summary=summary)
