"""The teaching report as xlsx."""

import io

import openpyxl
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from daotao.cohorts.importing import XLSX_CONTENT_TYPE
from daotao.lib.vietnamese import format_date
from daotao.teaching.models import Place


def teaching_workbook(figures, start, end) -> HttpResponse:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "GioGiang"
    sheet.append(
        [_("Periods taught from %(start)s to %(end)s") % {"start": format_date(start), "end": format_date(end)}]
    )
    sheet["A1"].font = Font(bold=True)
    header = [_("Lecturer"), _("Faculty"), *figures["programs"], *[label for _value, label in Place.choices]]
    header += [_("Periods"), _("Lessons"), _("With active methods")]
    for title, lines in ((_("By lecturer"), figures["lecturers"]), (_("By faculty"), figures["faculties"])):
        sheet.append([])
        sheet.append([title])
        sheet.append([str(h) for h in header])
        for line in [*lines, figures["total"]] if title == _("By faculty") else lines:
            sheet.append(
                [line.label or _("Total"), line.faculty]
                + [line.by_program.get(code, 0) for code in figures["programs"]]
                + [line.by_place.get(place, 0) for place in Place.values]
                + [line.periods, line.lessons, line.active]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="gio-giang.xlsx"'
    return response
