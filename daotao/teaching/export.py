"""The teaching report as xlsx: periods by program and place, lessons held and the share
taught with active methods, per lecturer and per faculty with the total."""

from __future__ import annotations

import io

import openpyxl
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from daotao.cohorts.importing import XLSX_CONTENT_TYPE
from daotao.lib.vietnamese import format_date
from daotao.teaching.models import Place
from daotao.teaching.reports import TeachingFigures, TeachingLine


def _row(line: TeachingLine, figures: TeachingFigures, label: str, faculty: str) -> list:
    return [
        label,
        faculty,
        *[line.by_program.get(code, 0) for code in figures.programs],
        *[line.by_place.get(place, 0) for place in Place.values],
        line.periods,
        line.lessons,
        line.active,
        line.active_share,
    ]


def teaching_workbook(figures: TeachingFigures, start, end) -> HttpResponse:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "GioGiang"
    sheet.append(
        [_("Periods taught from %(start)s to %(end)s") % {"start": format_date(start), "end": format_date(end)}]
    )
    sheet["A1"].font = Font(bold=True)
    header = [_("Lecturer"), _("Faculty"), *figures.programs, *[str(label) for label in Place.labels]]
    header += [_("Periods"), _("Lessons held"), _("With active methods"), _("Share with active methods")]
    sections = (
        (_("By lecturer"), [(line, line.label, line.faculty) for line in figures.lecturers]),
        (_("By faculty"), [(line, line.label, "") for line in figures.faculties]),
    )
    for title, lines in sections:
        sheet.append([])
        sheet.append([title])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        sheet.append(header)
        for line, label, faculty in [*lines, (figures.total, _("Total"), "")]:
            sheet.append(_row(line, figures, label, faculty))
            sheet.cell(sheet.max_row, len(header)).number_format = "0.00%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="gio-giang.xlsx"'
    return response
