"""The fixed words and shared pieces of the yearly report's documents (text, .xlsx, .docx, PDF).

A report leaves the school as a Vietnamese administrative document whatever language its
reader chose for the pages (Decree 30/2020/NĐ-CP, Hướng dẫn 36-HD/VPTW), so the documents'
own words are constants here, not translations. The web page has its own translated headings.
The letterhead's and the signature's words (the Party's or the state's name, the number,
"Nơi nhận") are every document's: they live in ``daotao.school.documents`` and are only
named again here.
"""

from __future__ import annotations

from dataclasses import dataclass

from daotao.lib.vietnamese import format_count, format_date, format_int, format_percent
from daotao.planning.achievement import QuotaRow
from daotao.reports.annual import AnnualReport, LineResult
from daotao.school import identity
from daotao.school.documents import (
    PARTY_NAME,
    RECIPIENTS_HEADING,
    STATE_MOTTO,
    STATE_NAME,
    DocumentType,
    Letterhead,
    letterhead,
    superior,
)
from daotao.school.docx import CONTENT_TYPE as DOCX_CONTENT_TYPE
from daotao.school.docx import FONT
from daotao.school.models import DocumentKind

PERIOD_LABEL = "Kỳ báo cáo"
# A coordinator's or agency's figures: the classes held in their unit and below it, and
# their own students in classes held elsewhere (daotao.cohorts.access, as every page counts).
SCOPE_LINE = "Số liệu của {name} và các đơn vị trực thuộc, gồm cả học viên của đơn vị học ở lớp nơi khác"
LINES_HEADING = "1. Số lớp, số học viên"
QUOTA_HEADING = "2. Kết quả thực hiện chỉ tiêu kế hoạch năm {year}"
NO_QUOTA = "Không có chỉ tiêu kế hoạch cho năm {year}."
UNMET_LINE = "Số địa phương chưa đạt chỉ tiêu: {count}"
NUMBER = "STT"
LINE = "Nội dung"
CLASSES = "Số lớp"
STUDENTS = "Số học viên"
LOCALITY = "Địa phương"
PROGRAM = "Chương trình"
PLANNED = "Kế hoạch"
ACTUAL = "Thực hiện"
PLANNED_CLASSES = "Số lớp kế hoạch"
ACTUAL_CLASSES = "Số lớp thực hiện"
PLANNED_STUDENTS = "Số học viên kế hoạch"
ACTUAL_STUDENTS = "Số học viên thực hiện"
RATIO = "Tỷ lệ đạt"
RESULT = "Kết quả"
MET = "Đạt"
NOT_MET = "Chưa đạt"
TOTAL = "Tổng cộng"
# Who receives the report besides the Party committee above the school (``documents.superior``)
# and the school's own file copy (``documents.FILED``, added by ``documents.letterhead``).
RECIPIENTS = ("- Các địa phương;",)
# Plain text only: short column headings and their legend.
TEXT_QUOTA_HEADINGS = (NUMBER, LOCALITY, PROGRAM, "Lớp KH", "Lớp TH", "HV KH", "HV TH", RATIO, RESULT)
TEXT_LEGEND = "KH: kế hoạch; TH: thực hiện; HV: học viên."
TEXT_MET, TEXT_NOT_MET = "đạt", "chưa đạt"

TEXT_WIDTH = 100

# Named again for the modules that read them here.
__all__ = ["DOCX_CONTENT_TYPE", "FONT", "PARTY_NAME", "RECIPIENTS_HEADING", "STATE_MOTTO", "STATE_NAME"]


# --- shared pieces ----------------------------------------------------------------------


def _school() -> identity.Identity:
    return identity.current()


# Which view of the reorganised units the figures use (``engine.UNIT_VIEWS``).
UNITS_LINES = {
    "today": "Đơn vị: theo đơn vị hiện nay (số liệu của đơn vị trước sắp xếp tính cho đơn vị kế thừa)",
    "then": "Đơn vị: theo đơn vị tại thời điểm phát sinh số liệu (trước sắp xếp)",
}


def units_text(report: AnnualReport) -> str:
    """The document's line saying which view of the units its figures use."""
    return UNITS_LINES[report.units]


def _period_text(report: AnnualReport) -> str:
    period = report.period
    return f"{PERIOD_LABEL}: {format_date(period.start)} - {format_date(period.end)}"


def _line_numbers(lines: list[LineResult]) -> list[str]:
    """STT of each line: main lines are numbered 1, 2, ...; "of which" lines are not."""
    numbers, counter = [], 0
    for result in lines:
        if result.line.level == 0:
            counter += 1
            numbers.append(str(counter))
        else:
            numbers.append("")
    return numbers


def _students_text(result: LineResult) -> str:
    return result.students_text if result.line.show_students else ""


# A quota line's funding as the documents write it (``cohorts.models.Funding``).
FUNDING_WORDS = {"supported": "Được hỗ trợ kinh phí", "self_funded": "Tự túc kinh phí"}
FUNDING = "Nguồn kinh phí"


@dataclass(frozen=True)
class QuotaTableRow:
    """A row of a document's quota table: a locality × program total (numbered), or under
    a total of two fundings, one funding line with its own result (``sub``)."""

    number: str
    locality: str
    program: str
    figures: tuple[str, str, str, str, str]
    met: bool
    sub: bool = False

    @property
    def result(self) -> str:
        return MET if self.met else NOT_MET


def quota_table_rows(report: AnnualReport) -> list[QuotaTableRow]:
    """The quota table as every document prints it: each locality × program total, and
    below one with several fundings each funding line, so that a line missed in one
    funding shows even when the total is reached (``planning.achievement``)."""
    rows = []
    for number, row in enumerate(report.quota, start=1):
        rows.append(QuotaTableRow(str(number), row.locality_name, row.program_code, _quota_figures(row), row.met))
        if len(row.lines) > 1:
            rows += [
                QuotaTableRow(
                    "", "", "- " + FUNDING_WORDS.get(line.funding, line.funding), _quota_figures(line), line.met, True
                )
                for line in row.lines
            ]
    return rows


def _quota_figures(row: QuotaRow) -> tuple[str, str, str, str, str]:
    """Planned and actual classes, planned and actual students, and the ratio, as written."""
    return (
        format_count(row.planned_classes),
        format_count(row.actual_classes),
        format_int(row.planned_students),
        format_int(row.actual_students),
        format_percent(row.ratio) if row.ratio is not None else "",
    )


def annual_letterhead(report: AnnualReport) -> Letterhead:
    """The letterhead and signature of the yearly report, for its .docx and its PDF alike:
    "Số ...-BC/TCT", dated the day it was counted, signed by the annual report's signer, sent
    to the Party committee above the school and the localities."""
    recipients = tuple(line for line in (superior(), *RECIPIENTS) if line)
    return letterhead(
        DocumentKind.ANNUAL_REPORT,
        document_type=DocumentType.REPORT,
        title=report.title,
        date=report.generated_on,
        recipients=recipients,
    )
