"""The yearly report as files: plain text, JSON, .xlsx, .docx and PDF.

Every export renders one ``AnnualReport`` built by ``annual.annual_report`` and counts
nothing itself, so a page, a command and a download always show the same figures.
Numbers are written the Vietnamese way (``1.040``, ``07``, ``20,16%``); the spreadsheet
keeps real numbers with number formats so that Excel can add them up.

The .docx and the PDF follow the layout of an official report: A4, Times New Roman (in
the PDF its metric twin, the bundled DaoTao Serif), the letterhead of the school's chosen
format (Party, Hướng dẫn 36-HD/VPTW, or State, Decree 30/2020/NĐ-CP; the identity's
``document_style``) with the date line and the title, the summary, the tables and the
signature block; both read the same ``document_words.annual_letterhead``.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from daotao.lib import xlsx
from daotao.lib.vietnamese import format_count
from daotao.planning.achievement import quota_lines
from daotao.reports.annual import AnnualReport
from daotao.reports.document_words import (
    ACTUAL_CLASSES,
    ACTUAL_STUDENTS,
    CLASSES,
    DOCX_CONTENT_TYPE,
    FUNDING,
    FUNDING_WORDS,
    LINE,
    LINES_HEADING,
    LOCALITY,
    MET,
    NO_QUOTA,
    NOT_MET,
    NUMBER,
    PLANNED_CLASSES,
    PLANNED_STUDENTS,
    PROGRAM,
    QUOTA_HEADING,
    RATIO,
    RESULT,
    SCOPE_LINE,
    STUDENTS,
    TEXT_LEGEND,
    TEXT_MET,
    TEXT_NOT_MET,
    TEXT_QUOTA_HEADINGS,
    TEXT_WIDTH,
    TOTAL,
    UNMET_LINE,
    _line_numbers,
    _period_text,
    _quota_figures,
    _school,
    _students_text,
    quota_table_rows,
    units_text,
)
from daotao.reports.docx_export import report_docx
from daotao.reports.pdf_export import CONTENT_TYPE as PDF_CONTENT_TYPE
from daotao.reports.pdf_export import report_pdf

# --- text and JSON ------------------------------------------------------------------------


def _text_table(headings: tuple[str, ...], rows: list[tuple[str, ...]], aligns: str) -> list[str]:
    """Columns padded to their widest cell; ``aligns`` has one ``<`` or ``>`` per column."""
    widths = [max(len(str(row[i])) for row in [headings, *rows]) for i in range(len(headings))]

    def render(row) -> str:
        cells = [
            str(cell).rjust(width) if align == ">" else str(cell).ljust(width)
            for cell, width, align in zip(row, widths, aligns, strict=True)
        ]
        return "  ".join(cells).rstrip()

    return [render(headings), "  ".join("-" * width for width in widths), *(render(row) for row in rows)]


def report_text(report: AnnualReport, *, scope_name: str = "") -> str:
    """The report for a terminal: title, summary, the lines and the quota table, aligned."""
    out = [report.title.upper(), _period_text(report)]
    if scope_name:
        out.append(SCOPE_LINE.format(name=scope_name))
    out.append(units_text(report))
    out.append("")
    if report.summary:
        out += [*textwrap.wrap(report.summary, TEXT_WIDTH), ""]
    line_rows = [
        (number, "    " * result.line.level + result.label, result.classes_text, _students_text(result))
        for number, result in zip(_line_numbers(report.lines), report.lines, strict=True)
    ]
    out += [LINES_HEADING, *_text_table((NUMBER, LINE, CLASSES, STUDENTS), line_rows, "<<>>"), ""]
    if not report.is_calendar_year:  # quotas are yearly: only a calendar year's report has them
        return "\n".join(out[:-1]) + "\n"
    out.append(QUOTA_HEADING.format(year=report.year))
    if not report.quota:
        out.append(NO_QUOTA.format(year=report.year))
        return "\n".join(out) + "\n"
    quota_rows = [
        (row.number, row.locality, row.program, *row.figures, TEXT_MET if row.met else TEXT_NOT_MET)
        for row in quota_table_rows(report)
    ]
    quota_rows.append(("", TOTAL, "", *_quota_figures(report.quota_total), ""))
    out += _text_table(TEXT_QUOTA_HEADINGS, quota_rows, "<<<>>>>><")
    out += [TEXT_LEGEND, UNMET_LINE.format(count=format_count(len(report.unmet_locality_names)))]
    return "\n".join(out) + "\n"


def report_json(report: AnnualReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)


# --- xlsx ---------------------------------------------------------------------------------

_HEADER = xlsx.HEADER | xlsx.Style(border=True)
_BOX = xlsx.Style(border=True)
_UNMET = xlsx.Style(fill="FDE2E2")
_CLASSES = xlsx.Style(number_format=xlsx.CLASSES)
_INTEGER = xlsx.Style(number_format=xlsx.INTEGER)
_PERCENT = xlsx.Style(number_format=xlsx.PERCENT)


def _xlsx_report_sheet(sheet: xlsx.Sheet, report: AnnualReport, scope_name: str) -> None:
    widths = (80, 12, 14)
    sheet.append([report.title], xlsx.Style(bold=True, size=14, horizontal="center", wrap=True))
    sheet.merge("A1:C1")
    period = " · ".join(
        [_period_text(report), *([SCOPE_LINE.format(name=scope_name)] if scope_name else []), units_text(report)]
    )
    sheet.append([period], xlsx.Style(italic=True, horizontal="center"))
    sheet.merge("A2:C2")
    sheet.append([report.summary], xlsx.Style(wrap=True, vertical="top", horizontal="justify"))
    sheet.merge("A3:C3")
    # Excel does not grow merged rows to fit wrapped text; estimate the lines.
    characters_per_line = sum(widths) * 1.1
    sheet.height(3, 15 * max(1, math.ceil(len(report.summary) / characters_per_line) + 1))
    sheet.append()
    sheet.table_header((LINE, CLASSES, STUDENTS), _HEADER)
    for result in report.lines:
        level = result.line.level
        label = xlsx.Cell(result.label, xlsx.Style(indent=2 * level, wrap=True, vertical="top", italic=level > 0))
        students = result.counts.students if result.line.show_students else None
        sheet.append(
            [label, xlsx.Cell(result.counts.classes, _CLASSES), xlsx.Cell(students, _INTEGER)],
            _BOX,
        )
    sheet.finish_table(widths, landscape=False)


def _xlsx_quota_sheet(sheet: xlsx.Sheet, report: AnnualReport) -> None:
    """One row per quota line (locality × program × funding), each with its own result, and
    the totals as formulas over them."""
    headings = (
        LOCALITY,
        PROGRAM,
        FUNDING,
        PLANNED_CLASSES,
        ACTUAL_CLASSES,
        PLANNED_STUDENTS,
        ACTUAL_STUDENTS,
        RATIO,
        RESULT,
    )
    sheet.table_header(headings, _HEADER)
    sheet.height(1, 32)
    for quota in quota_lines(report.quota):
        result = MET if quota.met else xlsx.Cell(NOT_MET, xlsx.Style(bold=True, color="B91C1C"))
        values = [
            quota.locality_name,
            quota.program_name,
            FUNDING_WORDS.get(quota.funding, quota.funding),
            xlsx.Cell(quota.planned_classes, _CLASSES),
            xlsx.Cell(quota.actual_classes, _CLASSES),
            xlsx.Cell(quota.planned_students, _INTEGER),
            xlsx.Cell(quota.actual_students, _INTEGER),
            xlsx.Cell(quota.ratio, _PERCENT),
            result,
        ]
        sheet.append(values, _BOX if quota.met else _BOX | _UNMET)
    last = sheet.row
    if report.quota:
        # The totals are formulas over the rows above, so that they follow an edited row.
        total = last + 1
        sums = [
            xlsx.Cell(xlsx.Formula(f"SUM({letter}2:{letter}{last})"), style)
            for letter, style in zip("DEFG", (_CLASSES, _CLASSES, _INTEGER, _INTEGER), strict=True)
        ]
        ratio = xlsx.Cell(xlsx.Formula(f'IF(F{total}>0,G{total}/F{total},"")'), _PERCENT)
        sheet.append([TOTAL, None, None, *sums, ratio, None], xlsx.BOLD | _BOX)
        sheet.auto_filter(f"A1:I{last}")
    sheet.finish_table((28, 42, 20, 12, 12, 14, 14, 12, 12), landscape=True)


def report_xlsx(report: AnnualReport, *, scope_name: str = "") -> bytes:
    """Sheet ``BaoCao``: title, summary and the lines; sheet ``ChiTieu``: the quota table
    (a calendar year's report only)."""
    book = xlsx.Book(title=report.title, creator=_school()["name"])
    _xlsx_report_sheet(book.sheet("BaoCao"), report, scope_name)
    if report.is_calendar_year:  # quotas are yearly
        _xlsx_quota_sheet(book.sheet("ChiTieu"), report)
    return book.to_bytes()


# --- what the page, the downloads and the commands share -----------------------------------


@dataclass(frozen=True)
class FileFormat:
    extension: str
    content_type: str
    render: Callable[..., bytes]


FILE_FORMATS = {
    "xlsx": FileFormat("xlsx", xlsx.CONTENT_TYPE, report_xlsx),
    "docx": FileFormat("docx", DOCX_CONTENT_TYPE, report_docx),
    "pdf": FileFormat("pdf", PDF_CONTENT_TYPE, report_pdf),
}


def filename(report: AnnualReport, extension: str) -> str:
    """``bao-cao-2020-coordination-yearly.xlsx``; for another period
    ``bao-cao-2026-03-01-2026-04-30-coordination-period.xlsx``."""
    period = report.period
    when = str(report.year) if period.is_calendar_year else f"{period.start.isoformat()}-{period.end.isoformat()}"
    return f"bao-cao-{when}-{report.template.code}.{extension}"
