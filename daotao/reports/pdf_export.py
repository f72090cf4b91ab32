"""The yearly report as a PDF: the same document as its .docx (``docx_export``), printed
from ``templates/reports/annual_pdf.html`` with the school's letterhead and signature
(``daotao.school.documents``, ``render_pdf``), the bundled font and the document stylesheet.
The words are the .docx's (``document_words``); the figures are the report's, written the
Vietnamese way."""

from __future__ import annotations

from daotao.reports import document_words as words
from daotao.reports.annual import AnnualReport
from daotao.school.documents import render_pdf

TEMPLATE = "reports/annual_pdf.html"
CONTENT_TYPE = "application/pdf"


def report_pdf(report: AnnualReport, *, scope_name: str = "") -> bytes:
    """The report as an official document in the school's format (party or state)."""
    quota = words.quota_table_rows(report)
    lines = [
        {"number": number, "result": result, "students": words._students_text(result)}
        for number, result in zip(words._line_numbers(report.lines), report.lines, strict=True)
    ]
    context = {
        "head": words.annual_letterhead(report),
        "report": report,
        "scope_line": f"({words.SCOPE_LINE.format(name=scope_name)})" if scope_name else "",
        "units_line": f"({words.units_text(report)})",
        "lines": lines,
        "quota": quota,
        "quota_total": words._quota_figures(report.quota_total),
        "words": {
            "lines_heading": words.LINES_HEADING,
            "quota_heading": words.QUOTA_HEADING.format(year=report.year),
            "no_quota": words.NO_QUOTA.format(year=report.year),
            "number": words.NUMBER,
            "line": words.LINE,
            "classes": words.CLASSES,
            "students": words.STUDENTS,
            "locality": words.LOCALITY,
            "program": words.PROGRAM,
            "planned": words.PLANNED,
            "actual": words.ACTUAL,
            "ratio": words.RATIO,
            "result": words.RESULT,
            "total": words.TOTAL,
        },
    }
    return render_pdf(TEMPLATE, context)
