"""The yearly report's files for a year, with no request: the whole school's figures,
counted as the operator (``accounts.scope.SYSTEM``) as the ``annual_report`` command counts
them, rendered by the same ``exports.FILE_FORMATS`` as the page's downloads. For commands
that print the school's documents (``render_documents``)."""

from __future__ import annotations

from daotao.accounts.scope import SYSTEM
from daotao.reports import exports
from daotao.reports.annual import BUILTIN_TEMPLATE, annual_report


def annual_report_file(year: int, fmt: str, *, template_code: str = BUILTIN_TEMPLATE) -> tuple[str, bytes]:
    """The report of ``year`` as ``fmt`` (``pdf``, ``docx`` or ``xlsx``): its file name
    (``bao-cao-2020-coordination-yearly.pdf``) and its bytes. An unknown template is a
    ``ReportInputError``; an unknown format a ``KeyError``."""
    file_format = exports.FILE_FORMATS[fmt]
    report = annual_report(year, SYSTEM, template_code)
    return exports.filename(report, file_format.extension), file_format.render(report)


def annual_report_pdf(year: int, *, template_code: str = BUILTIN_TEMPLATE) -> bytes:
    return annual_report_file(year, "pdf", template_code=template_code)[1]


def annual_report_docx(year: int, *, template_code: str = BUILTIN_TEMPLATE) -> bytes:
    return annual_report_file(year, "docx", template_code=template_code)[1]


def annual_report_xlsx(year: int, *, template_code: str = BUILTIN_TEMPLATE) -> bytes:
    return annual_report_file(year, "xlsx", template_code=template_code)[1]
