"""The yearly report as an official .docx: A4, Times New Roman, the letterhead of the
school's chosen format (Party, Hướng dẫn 36-HD/VPTW, or State, Decree 30/2020/NĐ-CP; the
identity's ``document_style``) with its date line and title, the summary, the tables and
the signature block. The letterhead and the signature are the same ``Letterhead`` the PDF
prints (``document_words.annual_letterhead``), written by ``daotao.school.docx``."""

from __future__ import annotations

from daotao.reports.annual import AnnualReport
from daotao.reports.document_words import (
    ACTUAL,
    CLASSES,
    LINE,
    LINES_HEADING,
    LOCALITY,
    NO_QUOTA,
    NUMBER,
    PLANNED,
    PROGRAM,
    QUOTA_HEADING,
    RATIO,
    RESULT,
    SCOPE_LINE,
    STUDENTS,
    TOTAL,
    _line_numbers,
    _quota_figures,
    _school,
    _students_text,
    annual_letterhead,
    quota_table_rows,
    units_text,
)
from daotao.school import docx


def _docx_lines_table(document, report: AnnualReport) -> None:
    widths = (1.4, 10.1, 2.2, 2.8)  # "STT" in bold on one line
    table = docx.table(document, 1 + len(report.lines), widths, borders=True)
    for cell, heading in zip(table.rows[0].cells, (NUMBER, LINE, CLASSES, STUDENTS), strict=True):
        docx.fill_cell(cell, heading, size=13, bold=True)
    docx.repeat_as_header(table.rows[0])
    for row, number, result in zip(table.rows[1:], _line_numbers(report.lines), report.lines, strict=True):
        cells = row.cells
        nested = result.line.level > 0
        docx.fill_cell(cells[0], number, size=13)
        docx.fill_cell(cells[1], result.label, size=13, italic=nested, align=docx.LEFT, indent=0.6 * result.line.level)
        docx.fill_cell(cells[2], result.classes_text, size=13)
        docx.fill_cell(cells[3], _students_text(result), size=13)


def _docx_quota_table(document, report: AnnualReport) -> None:
    widths = (1.4, 2.7, 2.4, 1.6, 1.6, 1.6, 1.6, 2.0, 1.6)  # each heading word and "100,63%" whole
    rows = quota_table_rows(report)
    table = docx.table(document, 2 + len(rows) + 1, widths, borders=True)
    top, sub = table.rows[0].cells, table.rows[1].cells
    # Two header rows: "Số lớp" and "Số học viên" each over "Kế hoạch" and "Thực hiện".
    for index, heading in ((0, NUMBER), (1, LOCALITY), (2, PROGRAM), (7, RATIO), (8, RESULT)):
        docx.fill_cell(top[index].merge(sub[index]), heading, size=12, bold=True)
    for index, heading in ((3, CLASSES), (5, STUDENTS)):
        docx.fill_cell(top[index].merge(top[index + 1]), heading, size=12, bold=True)
    for index, heading in ((3, PLANNED), (4, ACTUAL), (5, PLANNED), (6, ACTUAL)):
        docx.fill_cell(sub[index], heading, size=12, bold=True)
    docx.repeat_as_header(table.rows[0], more_follow=True)
    docx.repeat_as_header(table.rows[1], more_follow=True)
    for row, quota in zip(table.rows[2:-1], rows, strict=True):
        texts = (quota.number, quota.locality, quota.program, *quota.figures, quota.result)
        for index, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            docx.fill_cell(
                cell,
                text,
                size=12,
                bold=index == 8 and not quota.met,
                italic=quota.sub,
                align=docx.LEFT if index in (1, 2) else docx.CENTER,
            )
    cells = table.rows[-1].cells
    docx.fill_cell(cells[0].merge(cells[2]), TOTAL, size=12, bold=True)
    for cell, text in zip(cells[3:], (*_quota_figures(report.quota_total), ""), strict=True):
        docx.fill_cell(cell, text, size=12, bold=True)


def report_docx(report: AnnualReport, *, scope_name: str = "") -> bytes:
    """The report as an official document in the school's format (party or state)."""
    head = annual_letterhead(report)
    document = docx.new_document(title=report.title, author=_school().name)
    docx.write_letterhead(document, head)
    if scope_name:
        docx.centred_line(document, f"({SCOPE_LINE.format(name=scope_name)})", italic=True)
    docx.centred_line(document, f"({units_text(report)})", italic=True)
    if report.summary:
        docx.body_text(document, report.summary)
    docx.heading(document, LINES_HEADING)
    _docx_lines_table(document, report)
    if report.is_calendar_year:  # quotas are yearly
        docx.heading(document, QUOTA_HEADING.format(year=report.year))
        if report.quota:
            _docx_quota_table(document, report)
        else:
            docx.write(document.add_paragraph(), NO_QUOTA.format(year=report.year), italic=True)
    docx.write_signature(document, head)
    return docx.to_bytes(document)
