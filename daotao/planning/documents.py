"""A plan's quota table as a document the school signs and sends to the localities: the
letterhead (``daotao.school.documents``, kind ``QUOTA_TABLE``, "Số ...-KH/TCT"), the title
"BẢNG CHỈ TIÊU ĐÀO TẠO, BỒI DƯỠNG NĂM 2026", the quota lines per locality, program and
funding with their planned classes and students, a subtotal for each locality with several
lines, the total and its split by funding, then the signature. Three files, the same rows:
PDF (``render_pdf``), .docx (``daotao.school.docx``) and .xlsx (``daotao.lib.xlsx``, numbers
kept as numbers).

The builders take the plan and, optionally, the user whose lines it shows (a coordinator
sees their locality's lines, as on the plan's page); without one, the whole plan
(``accounts.scope.SYSTEM``), for commands. The document's own words are Vietnamese
constants, not translations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from daotao.accounts.scope import SYSTEM, scope_of
from daotao.cohorts.importing.columns import FUNDINGS
from daotao.cohorts.models import Funding
from daotao.lib import xlsx
from daotao.lib.vietnamese import format_count, format_date, format_int
from daotao.planning.models import AnnualPlan, PlanStatus, Quota
from daotao.school import docx, identity
from daotao.school.documents import DocumentType, Letterhead, letterhead, render_pdf, superior
from daotao.school.models import DocumentKind

TITLE = "Bảng chỉ tiêu đào tạo, bồi dưỡng năm {year}"
ATTACHED = "(Kèm theo Quyết định số {number} ngày {date})"
DRAFT = "(Dự thảo)"
SCOPE_LINE = "Chỉ tiêu của {name} và các đơn vị trực thuộc"
NO_QUOTA = "Kế hoạch năm {year} chưa có chỉ tiêu nào."
NO_QUOTA_IN_SCOPE = "Kế hoạch năm {year} không có chỉ tiêu nào của đơn vị."
RECIPIENTS = ("- Các địa phương;",)
NUMBER, LOCALITY, PROGRAM, FUNDING = "STT", "Địa phương", "Chương trình", "Kinh phí"
CLASSES, STUDENTS = "Số lớp", "Số học viên"
HEADINGS = (NUMBER, LOCALITY, PROGRAM, FUNDING, CLASSES, STUDENTS)
SUBTOTAL = "Cộng"
TOTAL = "Tổng cộng"
OF_WHICH = "Trong đó: {funding}"

PDF_TEMPLATE = "planning/quota_pdf.html"
PDF_CONTENT_TYPE = "application/pdf"
SHEET = "BangChiTieu"

# The kinds of rows, in the order a table shows them.
LINE, LOCALITY_TOTAL, GRAND_TOTAL, FUNDING_TOTAL = "line", "subtotal", "total", "of_which"


@dataclass(frozen=True)
class Row:
    """One row of the table: a quota line, a locality's subtotal, the total or its part of
    one funding source."""

    kind: str
    number: str = ""
    locality: str = ""
    program: str = ""
    funding: str = ""
    label: str = ""  # what a total row says in place of the locality, program and funding
    classes: int = 0
    students: int = 0

    @property
    def classes_text(self) -> str:
        return format_count(self.classes)

    @property
    def students_text(self) -> str:
        return format_int(self.students)


@dataclass(frozen=True)
class QuotaTable:
    plan: AnnualPlan
    head: Letterhead
    scope_line: str
    rows: list[Row]

    @property
    def lines(self) -> list[Row]:
        return [row for row in self.rows if row.kind == LINE]

    @property
    def empty_text(self) -> str:
        """What the document says in place of the table: the plan has no lines, or none
        in the user's scope."""
        return (NO_QUOTA_IN_SCOPE if self.scope_line else NO_QUOTA).format(year=self.plan.year)


def plan_quotas(plan: AnnualPlan, user):
    """The plan's quota lines ``user`` may see, in the table's order (the plan's page and
    its documents)."""
    return (
        Quota.objects.visible_to(user)
        .filter(plan=plan)
        .select_related("program", "locality")
        .order_by("locality__sort_key", "locality__code", "program__code", "funding")
    )


def _of_which(funding: str) -> str:
    label = FUNDINGS.label(funding)
    return OF_WHICH.format(funding=label[:1].lower() + label[1:])


def _rows(quotas: list[Quota]) -> list[Row]:
    rows: list[Row] = []
    number = 0
    for _locality, lines in groupby(quotas, key=lambda quota: quota.locality_id):
        lines = list(lines)
        for quota in lines:
            number += 1
            rows.append(
                Row(
                    LINE,
                    number=str(number),
                    locality=quota.locality.name,
                    program=quota.program.name,
                    funding=FUNDINGS.label(quota.funding),
                    classes=quota.classes,
                    students=quota.students,
                )
            )
        if len(lines) > 1:
            classes, students = sum(q.classes for q in lines), sum(q.students for q in lines)
            rows.append(Row(LOCALITY_TOTAL, label=SUBTOTAL, classes=classes, students=students))
    if quotas:
        rows.append(
            Row(
                GRAND_TOTAL,
                label=TOTAL,
                classes=sum(q.classes for q in quotas),
                students=sum(q.students for q in quotas),
            )
        )
        for funding in Funding.values:
            part = [quota for quota in quotas if quota.funding == funding]
            if part:
                rows.append(
                    Row(
                        FUNDING_TOTAL,
                        label=_of_which(funding),
                        classes=sum(q.classes for q in part),
                        students=sum(q.students for q in part),
                    )
                )
    return rows


def _subject(plan: AnnualPlan) -> str:
    if plan.status == PlanStatus.APPROVED and plan.decision_number:
        return ATTACHED.format(number=plan.decision_number, date=format_date(plan.decision_date))
    return DRAFT if plan.status == PlanStatus.DRAFT else ""


def quota_table(plan: AnnualPlan, *, user=SYSTEM, date: dt.date | None = None) -> QuotaTable:
    """The plan's quota table as ``user`` may see it, dated ``date`` (today by default)."""
    recipients = tuple(line for line in (superior(), *RECIPIENTS) if line)
    head = letterhead(
        DocumentKind.QUOTA_TABLE,
        document_type=DocumentType.PLAN,
        title=TITLE.format(year=plan.year),
        subject=_subject(plan),
        date=date,
        recipients=recipients,
    )
    scope = scope_of(user)
    scope_line = "" if scope.everything or user.unit is None else SCOPE_LINE.format(name=user.unit.name)
    return QuotaTable(plan, head, scope_line, _rows(list(plan_quotas(plan, user))))


# --- PDF --------------------------------------------------------------------------------


def quota_table_pdf(plan: AnnualPlan, *, user=SYSTEM, date: dt.date | None = None) -> bytes:
    table = quota_table(plan, user=user, date=date)
    return render_pdf(PDF_TEMPLATE, {"head": table.head, "table": table, "headings": HEADINGS})


# --- .docx ------------------------------------------------------------------------------

_DOCX_WIDTHS = (1.4, 3.6, 5.0, 3.4, 1.3, 1.8)  # 16,5 cm: the portrait page's text; "STT" whole
_DOCX_SIZE = 12


def _docx_table(document, table: QuotaTable) -> None:
    grid = docx.table(document, 1 + len(table.rows), _DOCX_WIDTHS, borders=True)
    for cell, heading in zip(grid.rows[0].cells, HEADINGS, strict=True):
        docx.fill_cell(cell, heading, size=_DOCX_SIZE, bold=True)
    docx.repeat_as_header(grid.rows[0], more_follow=True)
    for grid_row, row in zip(grid.rows[1:], table.rows, strict=True):
        cells = grid_row.cells
        if row.kind == LINE:
            docx.fill_cell(cells[0], row.number, size=_DOCX_SIZE)
            for cell, text in zip(cells[1:4], (row.locality, row.program, row.funding), strict=True):
                docx.fill_cell(cell, text, size=_DOCX_SIZE, align=docx.LEFT)
        else:
            # A total: its label over the columns before the figures (a subtotal's leaves STT).
            first = 1 if row.kind == LOCALITY_TOTAL else 0
            docx.fill_cell(
                cells[first].merge(cells[3]),
                row.label,
                size=_DOCX_SIZE,
                bold=row.kind != FUNDING_TOTAL,
                italic=row.kind == FUNDING_TOTAL,
                align=docx.LEFT if row.kind == FUNDING_TOTAL else docx.CENTER,
            )
        bold = row.kind in (LOCALITY_TOTAL, GRAND_TOTAL)
        italic = row.kind == FUNDING_TOTAL
        docx.fill_cell(cells[4], row.classes_text, size=_DOCX_SIZE, bold=bold, italic=italic)
        docx.fill_cell(cells[5], row.students_text, size=_DOCX_SIZE, bold=bold, italic=italic)


def quota_table_docx(plan: AnnualPlan, *, user=SYSTEM, date: dt.date | None = None) -> bytes:
    table = quota_table(plan, user=user, date=date)
    document = docx.new_document(title=table.head.title, author=identity.current().name)
    docx.write_letterhead(document, table.head)
    if table.scope_line:
        docx.centred_line(document, f"({table.scope_line})", italic=True)
    if table.rows:
        document.add_paragraph()
        _docx_table(document, table)
    else:
        docx.write(document.add_paragraph(), table.empty_text, italic=True)
    docx.write_signature(document, table.head)
    return docx.to_bytes(document)


# --- .xlsx ------------------------------------------------------------------------------

_XLSX_WIDTHS = (6, 28, 44, 24, 10, 13)
_LAST_COLUMN = "F"  # of the six HEADINGS
_BOX = xlsx.Style(border=True, vertical="top", wrap=True)
_CLASSES = xlsx.Style(number_format=xlsx.CLASSES)
_INTEGER = xlsx.Style(number_format=xlsx.INTEGER)
_TOTAL = xlsx.Style(bold=True)
_OF_WHICH = xlsx.Style(italic=True)


def quota_table_xlsx(plan: AnnualPlan, *, user=SYSTEM, date: dt.date | None = None) -> bytes:
    """Sheet ``BangChiTieu``: the title, the decision (or "Dự thảo") and the scope, then the
    table with its heading frozen and printed on every page; classes and students are
    numbers (07 and 1.040 by their formats), the totals too."""
    table = quota_table(plan, user=user, date=date)
    book = xlsx.Book(title=table.head.title, creator=identity.current().name)
    sheet = book.sheet(SHEET)
    sheet.append([table.head.body], xlsx.Style(bold=True))
    sheet.append([table.head.title], xlsx.Style(bold=True, size=14, horizontal="center"))
    sheet.merge(f"A2:{_LAST_COLUMN}2")
    notes = [text for text in (table.head.subject, table.scope_line and f"({table.scope_line})") if text]
    for note in notes:
        row = sheet.append([note], xlsx.Style(italic=True, horizontal="center"))
        sheet.merge(f"A{row}:{_LAST_COLUMN}{row}")
    sheet.append()
    header = sheet.append(HEADINGS, xlsx.HEADER | xlsx.Style(border=True))
    if not table.rows:
        sheet.append([None, table.empty_text], xlsx.Style(italic=True))
    for row in table.rows:
        style = _BOX | (_OF_WHICH if row.kind == FUNDING_TOTAL else _TOTAL if row.kind != LINE else None)
        number = int(row.number) if row.number else None
        texts = (row.locality, row.program, row.funding) if row.kind == LINE else (row.label, None, None)
        sheet.append(
            [number, *texts, xlsx.Cell(row.classes, _CLASSES), xlsx.Cell(row.students, _INTEGER)],
            style,
        )
    sheet.widths(_XLSX_WIDTHS)
    sheet.freeze(f"A{header + 1}")
    sheet.print_titles(f"{header}:{header}")
    sheet.page_setup(landscape=False, a4_fit_width=True)
    return book.to_bytes()


# --- what the plan's page and the commands share ------------------------------------------


@dataclass(frozen=True)
class DocumentFormat:
    extension: str
    content_type: str
    build: Callable[..., bytes]


FORMATS = {
    "pdf": DocumentFormat("pdf", PDF_CONTENT_TYPE, quota_table_pdf),
    "docx": DocumentFormat("docx", docx.CONTENT_TYPE, quota_table_docx),
    "xlsx": DocumentFormat("xlsx", xlsx.CONTENT_TYPE, quota_table_xlsx),
}


def filename(plan: AnnualPlan, extension: str) -> str:
    """``chi-tieu-2026.pdf``."""
    return f"chi-tieu-{plan.year}.{extension}"
