"""The workload report as xlsx (sheet ``GioChuan``): per lecturer by faculty, each faculty's
subtotal and the total, then visiting lecturers apart with their total. Periods, hours and
the share of the norm are numbers with their formats."""

from __future__ import annotations

from django.utils.translation import gettext as _

from daotao.lib import xlsx
from daotao.workload.hours import ACTIVITY_LABELS, KINDS, Workload, WorkloadLine

HOURS = "#,##0.00"  # 1.234,50 standard hours
TOTAL = xlsx.Style(bold=True)
SECTION = xlsx.Style(bold=True, italic=True)


def _figures(line: WorkloadLine) -> list[xlsx.Cell]:
    return [
        *[xlsx.number(periods, xlsx.INTEGER) for periods in line.periods_in_order],
        *[xlsx.number(hours, HOURS) for hours in line.hours_in_order],
        xlsx.number(line.total, HOURS),
        xlsx.number(line.norm, HOURS),
        xlsx.number(line.difference, HOURS),
        xlsx.number(line.ratio, xlsx.PERCENT),
    ]


def workload_workbook(workload: Workload) -> bytes:
    book = xlsx.Book(title=_("Standard hours of lecturers, year %(year)s") % {"year": workload.year})
    sheet = book.sheet("GioChuan")
    sheet.append([_("Standard hours of lecturers, year %(year)s") % {"year": workload.year}], xlsx.BOLD)
    if workload.rules.decision:
        sheet.append([_("Coefficients: %(decision)s") % {"decision": workload.rules.decision}])
    headings = [_("Lecturer"), _("Faculty")]
    headings += [_("Periods: %(kind)s") % {"kind": ACTIVITY_LABELS[kind]} for kind in KINDS]
    headings += [_("Hours: %(activity)s") % {"activity": label} for label in ACTIVITY_LABELS.values()]
    headings += [_("Total standard hours"), _("Norm"), _("Difference"), _("Share of the norm")]
    sheet.table_header(headings)
    for faculty in workload.faculties:
        for line in faculty.lines:
            sheet.append([line.label, line.faculty, *_figures(line)])
        sheet.append([_("Subtotal"), faculty.name, *_figures(faculty.total)], TOTAL)
    sheet.append([workload.total.label, "", *_figures(workload.total)], TOTAL)
    if workload.visiting:
        sheet.append([_("Visiting lecturers (no norm)")], SECTION)
        for line in workload.visiting:
            sheet.append([line.label, line.faculty, *_figures(line)])
        sheet.append([workload.visiting_total.label, "", *_figures(workload.visiting_total)], TOTAL)
    sheet.finish_table((28, 24) + (12,) * (len(headings) - 2), freeze_columns=1)
    return book.to_bytes()
