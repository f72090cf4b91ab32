"""The teaching report as xlsx: periods by program and place, lessons held and the share
taught with active methods, per lecturer (sheet ``GioGiang``) and per faculty (sheet
``TheoKhoa``), each table with its total; counts and shares are numbers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from daotao.lib import xlsx
from daotao.lib.vietnamese import format_date
from daotao.teaching.models import Place
from daotao.teaching.reports import TeachingFigures, TeachingLine

TOTAL = xlsx.Style(bold=True)


def _figures(line: TeachingLine, figures: TeachingFigures) -> list[xlsx.Cell]:
    counts = [
        *[line.by_program.get(code, 0) for code in figures.programs],
        *[line.by_place.get(place, 0) for place in Place.values],
        line.periods,
        line.lessons,
        line.active,
    ]
    return [*[xlsx.number(count, xlsx.INTEGER) for count in counts], xlsx.number(line.active_share, xlsx.PERCENT)]


def teaching_workbook(figures: TeachingFigures, start, end) -> bytes:
    book = xlsx.Book()
    title = _("Periods taught from %(start)s to %(end)s") % {"start": format_date(start), "end": format_date(end)}
    headings = [*figures.programs, *[str(label) for label in Place.labels]]
    headings += [_("Periods"), _("Lessons held"), _("With active methods"), _("Share with active methods")]
    by_lecturer = [(line, [line.label, line.faculty]) for line in figures.lecturers]
    by_faculty = [(line, [line.label]) for line in figures.faculties]
    sections = (
        ("GioGiang", _("By lecturer"), [_("Lecturer"), _("Faculty")], by_lecturer),
        ("TheoKhoa", _("By faculty"), [_("Faculty")], by_faculty),
    )
    for name, section, names, lines in sections:
        sheet = book.sheet(name)
        sheet.append([title], xlsx.BOLD)
        sheet.append([section], xlsx.BOLD)
        sheet.table_header([*names, *headings])
        for line, labels in lines:
            sheet.append([*labels, *_figures(line, figures)])
        total = [_("Total"), *[""] * (len(names) - 1)]
        sheet.append([*total, *_figures(figures.total, figures)], TOTAL)
        sheet.finish_table((28, 24)[: len(names)] + (12,) * len(headings), freeze_columns=1)
    return book.to_bytes()
