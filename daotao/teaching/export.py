"""The teaching report as xlsx: periods by program and place, lessons held and the share
taught with active methods, per lecturer and per faculty with the total."""

from __future__ import annotations

from django.utils.translation import gettext as _

from daotao.lib import xlsx
from daotao.lib.vietnamese import format_date
from daotao.teaching.models import Place
from daotao.teaching.reports import TeachingFigures, TeachingLine

SHARE = xlsx.Style(number_format=xlsx.PERCENT)


def _row(line: TeachingLine, figures: TeachingFigures, label: str, faculty: str) -> list:
    return [
        label,
        faculty,
        *[line.by_program.get(code, 0) for code in figures.programs],
        *[line.by_place.get(place, 0) for place in Place.values],
        line.periods,
        line.lessons,
        line.active,
        xlsx.Cell(line.active_share, SHARE),
    ]


def teaching_workbook(figures: TeachingFigures, start, end) -> bytes:
    book = xlsx.Book()
    sheet = book.sheet("GioGiang")
    title = _("Periods taught from %(start)s to %(end)s") % {"start": format_date(start), "end": format_date(end)}
    sheet.append([title], xlsx.BOLD)
    header = [_("Lecturer"), _("Faculty"), *figures.programs, *[str(label) for label in Place.labels]]
    header += [_("Periods"), _("Lessons held"), _("With active methods"), _("Share with active methods")]
    sections = (
        (_("By lecturer"), [(line, line.label, line.faculty) for line in figures.lecturers]),
        (_("By faculty"), [(line, line.label, "") for line in figures.faculties]),
    )
    for section, lines in sections:
        sheet.append()
        sheet.append([section], xlsx.BOLD)
        sheet.append(header)
        for line, label, faculty in [*lines, (figures.total, _("Total"), "")]:
            sheet.append(_row(line, figures, label, faculty))
    return book.to_bytes()
