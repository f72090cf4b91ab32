"""The yearly report as files: plain text, JSON, .xlsx and .docx.

Every export renders one ``AnnualReport`` built by ``annual.annual_report`` and counts
nothing itself, so a page, a command and a download always show the same figures.
Numbers are written the Vietnamese way (``1.040``, ``07``, ``20,16%``); the spreadsheet
keeps real numbers with number formats so that Excel can add them up.

The .docx follows the layout of an official report: A4, Times New Roman, the header block
of the school's chosen format (Party, Hướng dẫn 36-HD/VPTW, or State, Decree
30/2020/NĐ-CP; ``settings.DAOTAO_SCHOOL["document_style"]``), the date line, the title,
the summary, the tables and the signature block.
"""

from __future__ import annotations

import io
import json
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from daotao.lib.vietnamese import format_count
from daotao.reports.annual import AnnualReport
from daotao.reports.document_words import (
    ACTUAL_CLASSES,
    ACTUAL_STUDENTS,
    CLASSES,
    DOCX_CONTENT_TYPE,
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
    XLSX_CONTENT_TYPE,
    _line_numbers,
    _period_text,
    _quota_figures,
    _school,
    _students_text,
    quota_total,
    unmet_localities,
)
from daotao.reports.docx_export import report_docx

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
    out.append("")
    if report.summary:
        out += [*textwrap.wrap(report.summary, TEXT_WIDTH), ""]
    line_rows = [
        (number, "    " * result.line.level + result.label, result.classes_text, _students_text(result))
        for number, result in zip(_line_numbers(report.lines), report.lines, strict=True)
    ]
    out += [LINES_HEADING, *_text_table((NUMBER, LINE, CLASSES, STUDENTS), line_rows, "<<>>"), ""]
    out.append(QUOTA_HEADING.format(year=report.year))
    if not report.quota:
        out.append(NO_QUOTA.format(year=report.year))
        return "\n".join(out) + "\n"
    quota_rows = [
        (str(index), row.locality_name, row.program_code, *_quota_figures(row), TEXT_MET if row.met else TEXT_NOT_MET)
        for index, row in enumerate(report.quota, start=1)
    ]
    quota_rows.append(("", TOTAL, "", *_quota_figures(quota_total(report.quota)), ""))
    out += _text_table(TEXT_QUOTA_HEADINGS, quota_rows, "<<<>>>>><")
    out += [TEXT_LEGEND, UNMET_LINE.format(count=format_count(unmet_localities(report.quota)))]
    return "\n".join(out) + "\n"


def report_json(report: AnnualReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)


# --- xlsx ---------------------------------------------------------------------------------

# Class counts under ten with a leading zero (07), as the reports write them.
XLSX_CLASSES = "[=0]0;[<10]00;#,##0"
XLSX_INT = "#,##0"
XLSX_PERCENT = "0.00%"
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E8ECF1")
_UNMET_FILL = PatternFill("solid", fgColor="FDE2E2")
_HEADER_FONT = Font(bold=True)
_HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _xlsx_header(sheet, row: int, headings: tuple[str, ...]) -> None:
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=row, column=column, value=heading)
        cell.font, cell.fill, cell.alignment, cell.border = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGNMENT, _BOX


def _xlsx_report_sheet(sheet, report: AnnualReport, scope_name: str) -> None:
    widths = {"A": 80, "B": 12, "C": 14}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    sheet["A1"] = report.title
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center", wrap_text=True)
    sheet.merge_cells("A1:C1")
    sheet["A2"] = _period_text(report) + (f" · {SCOPE_LINE.format(name=scope_name)}" if scope_name else "")
    sheet["A2"].font = Font(italic=True)
    sheet["A2"].alignment = Alignment(horizontal="center")
    sheet.merge_cells("A2:C2")
    sheet["A3"] = report.summary
    sheet["A3"].alignment = Alignment(wrap_text=True, vertical="top", horizontal="justify")
    sheet.merge_cells("A3:C3")
    # Excel does not grow merged rows to fit wrapped text; estimate the lines.
    characters_per_line = sum(widths.values()) * 1.1
    sheet.row_dimensions[3].height = 15 * max(1, math.ceil(len(report.summary) / characters_per_line) + 1)
    header_row = 5
    _xlsx_header(sheet, header_row, (LINE, CLASSES, STUDENTS))
    for row, result in enumerate(report.lines, start=header_row + 1):
        label = sheet.cell(row=row, column=1, value=result.label)
        label.alignment = Alignment(indent=2 * result.line.level, wrap_text=True, vertical="top")
        label.font = Font(italic=result.line.level > 0)
        classes = sheet.cell(row=row, column=2, value=result.counts.classes)
        classes.number_format = XLSX_CLASSES
        students = sheet.cell(row=row, column=3, value=result.counts.students if result.line.show_students else None)
        students.number_format = XLSX_INT
        for cell in (label, classes, students):
            cell.border = _BOX
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    _xlsx_page_setup(sheet, landscape=False)


def _xlsx_quota_sheet(sheet, report: AnnualReport) -> None:
    headings = (
        LOCALITY,
        PROGRAM,
        PLANNED_CLASSES,
        ACTUAL_CLASSES,
        PLANNED_STUDENTS,
        ACTUAL_STUDENTS,
        RATIO,
        RESULT,
    )
    for letter, width in zip("ABCDEFGH", (28, 42, 12, 12, 14, 14, 12, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    _xlsx_header(sheet, 1, headings)
    sheet.row_dimensions[1].height = 32
    row = 1
    for row, quota in enumerate(report.quota, start=2):
        values = (
            (quota.locality_name, None),
            (quota.program_name, None),
            (quota.planned_classes, XLSX_CLASSES),
            (quota.actual_classes, XLSX_CLASSES),
            (quota.planned_students, XLSX_INT),
            (quota.actual_students, XLSX_INT),
            (float(quota.ratio) if quota.ratio is not None else None, XLSX_PERCENT),
            (MET if quota.met else NOT_MET, None),
        )
        for column, (value, number_format) in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.border = _BOX
            if number_format:
                cell.number_format = number_format
            if not quota.met:
                cell.fill = _UNMET_FILL
        if not quota.met:
            sheet.cell(row=row, column=8).font = Font(bold=True, color="B91C1C")
    last = row
    if report.quota:
        total = last + 1
        sheet.cell(row=total, column=1, value=TOTAL)
        for letter, number_format in zip("CDEF", (XLSX_CLASSES, XLSX_CLASSES, XLSX_INT, XLSX_INT), strict=True):
            cell = sheet[f"{letter}{total}"]
            cell.value = f"=SUM({letter}2:{letter}{last})"
            cell.number_format = number_format
        sheet[f"G{total}"] = f'=IF(E{total}>0,F{total}/E{total},"")'
        sheet[f"G{total}"].number_format = XLSX_PERCENT
        for column in range(1, len(headings) + 1):
            cell = sheet.cell(row=total, column=column)
            cell.font, cell.border = _HEADER_FONT, _BOX
        sheet.auto_filter.ref = f"A1:H{last}"
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    _xlsx_page_setup(sheet, landscape=True)


def _xlsx_page_setup(sheet, landscape: bool) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def report_xlsx(report: AnnualReport, *, scope_name: str = "") -> bytes:
    """Sheet ``BaoCao``: title, summary and the lines; sheet ``ChiTieu``: the quota table."""
    workbook = Workbook()
    _xlsx_report_sheet(workbook.active, report, scope_name)
    workbook.active.title = "BaoCao"
    _xlsx_quota_sheet(workbook.create_sheet("ChiTieu"), report)
    workbook.properties.title = report.title
    workbook.properties.creator = _school()["name"]
    # The total row holds formulas without cached values: have Excel compute them on opening.
    workbook.calculation.fullCalcOnLoad = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- what the page, the downloads and the commands share -----------------------------------

# Years a report may be asked for.
MIN_YEAR, MAX_YEAR = 1950, 2100


@dataclass(frozen=True)
class FileFormat:
    extension: str
    content_type: str
    render: Callable[..., bytes]


FILE_FORMATS = {
    "xlsx": FileFormat("xlsx", XLSX_CONTENT_TYPE, report_xlsx),
    "docx": FileFormat("docx", DOCX_CONTENT_TYPE, report_docx),
}


def filename(report: AnnualReport, extension: str) -> str:
    """``bao-cao-2020-coordination-yearly.xlsx``."""
    return f"bao-cao-{report.year}-{report.template.code}.{extension}"
