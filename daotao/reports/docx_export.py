"""The yearly report as an official .docx: A4, Times New Roman, the header block of the
school's chosen format (Party, Hướng dẫn 36-HD/VPTW, or State, Decree 30/2020/NĐ-CP;
the identity's ``document_style``), the date line, the title, the summary, the
tables and the signature block."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from daotao.lib.vietnamese import format_long_date
from daotao.reports.annual import AnnualReport
from daotao.reports.document_words import (
    ACTUAL,
    CLASSES,
    DEFAULT_SCHOOL_CODE,
    DOCUMENT_TYPE,
    FONT,
    LINE,
    LINES_HEADING,
    LOCALITY,
    MET,
    NO_QUOTA,
    NOT_MET,
    NUMBER,
    PARTY,
    PARTY_NAME,
    PLANNED,
    PROGRAM,
    QUOTA_HEADING,
    RATIO,
    RECIPIENTS,
    RECIPIENTS_HEADING,
    RESULT,
    SCOPE_LINE,
    STATE,
    STATE_MOTTO,
    STATE_NAME,
    STUDENTS,
    TOTAL,
    _line_numbers,
    _quota_figures,
    _school,
    _students_text,
)
from daotao.school.models import DocumentKind

PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Cm(2), Cm(2), Cm(3), Cm(1.5)
TEXT_WIDTH_CM = 21 - 3 - 1.5


def _set_fonts(rpr) -> None:
    """Times New Roman for every script (East Asian too, or Word falls back for some
    Vietnamese letters), and Vietnamese as the proofing language."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)  # w:lang is the last child the defaults and styles use
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")


def _setup_document(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        _set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    _set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _write(
    paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float | None = None,
    align=None,
):
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _next_paragraph(cell):
    """The cell's own empty first paragraph, or a new one after what the cell holds."""
    paragraphs = cell.paragraphs
    if len(paragraphs) == 1 and not paragraphs[0].text:
        return paragraphs[0]
    return cell.add_paragraph()


# The children of w:pPr that the schema puts after w:pBdr, in order.
_PPR_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _short_rule(cell, length_cm: float, width_cm: float) -> None:
    """A centred horizontal rule ``length_cm`` long: the bottom border of an empty, thin
    paragraph indented from both sides of the cell."""
    paragraph = cell.add_paragraph()
    side = max(0.0, (width_cm - 0.4 - length_cm) / 2)  # 0.4: the cell's default padding
    paragraph.paragraph_format.left_indent = Cm(side)
    paragraph.paragraph_format.right_indent = Cm(side)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.insert_element_before(borders, *_PPR_AFTER_BORDER)
    # The paragraph mark decides an empty paragraph's height: make it tiny.
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "4")
    mark.append(size)
    p_pr.insert_element_before(mark, "w:sectPr", "w:pPrChange")


def _table_borders(table, value: str) -> None:
    """Set every border of a table to ``value`` ("nil" for none, "single" for lines)."""
    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.find(qn("w:tblBorders"))
    if borders is None:
        borders = OxmlElement("w:tblBorders")
        tbl_pr.insert_element_before(
            borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"
        )
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), value)
        if value != "nil":
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)


def _table(document, rows: int, widths_cm: tuple[float, ...], borders: bool):
    table = document.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_borders(table, "single" if borders else "nil")
    for index, width in enumerate(widths_cm):
        table.columns[index].width = Cm(width)
        for cell in table.columns[index].cells:
            cell.width = Cm(width)
    return table


def _repeat_as_header(row, *, more_follow: bool = False) -> None:
    """A heading row, repeated atop each page the table runs onto. With ``more_follow`` it
    is kept on the page of the row after it, so that in Word a page does not end with a
    table's headings (LibreOffice ignores this inside tables; marking the rows ``cantSplit``
    as well makes it drop the rows after the headings, so they are not marked)."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    if more_follow:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _fill_cell(cell, text: str, *, size: float, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0):
    paragraph = cell.paragraphs[0]
    _write(paragraph, text, bold=bold, italic=italic, size=size, align=align)
    if indent:
        paragraph.paragraph_format.left_indent = Cm(indent)
    paragraph.paragraph_format.space_before = Pt(2)
    paragraph.paragraph_format.space_after = Pt(2)


def _docx_header(document, report: AnnualReport, style: str) -> None:
    school = _school()
    code = school.get("document_code", DEFAULT_SCHOOL_CODE)
    left_width, right_width = 7.0, TEXT_WIDTH_CM - 7.0
    table = _table(document, 1, (left_width, right_width), borders=False)
    left, right = table.rows[0].cells
    party = style == PARTY
    size = 14 if party else 13
    center = WD_ALIGN_PARAGRAPH.CENTER
    _write(_next_paragraph(left), school["parent"].upper(), size=size, align=center)
    _write(_next_paragraph(left), school["name"].upper(), bold=True, size=size, align=center)
    if party:
        # Hướng dẫn 36-HD/VPTW: a star under the issuing body's name, "Số 12-BC/TCT".
        _write(_next_paragraph(left), "*", size=size, align=center)
        number = f"Số ...-{DOCUMENT_TYPE}/{code}"
    else:
        # Decree 30/2020/NĐ-CP: a short rule under the name, "Số: 12/BC-TCT".
        _short_rule(left, 2.5, left_width)
        number = f"Số: .../{DOCUMENT_TYPE}-{code}"
    paragraph = _write(_next_paragraph(left), number, size=size, align=center)
    paragraph.paragraph_format.space_before = Pt(6)
    if party:
        _write(_next_paragraph(right), PARTY_NAME, bold=True, underline=True, size=15, align=center)
    else:
        _write(_next_paragraph(right), STATE_NAME, bold=True, size=12, align=center)
        _write(_next_paragraph(right), STATE_MOTTO, bold=True, size=13, align=center)
        _short_rule(right, 5.6, right_width)
    date_line = document.add_paragraph()
    _write(
        date_line,
        format_long_date(report.generated_on, school.get("place", "")),
        italic=True,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    date_line.paragraph_format.space_before = Pt(6)


def _docx_lines_table(document, report: AnnualReport) -> None:
    widths = (1.4, 10.1, 2.2, 2.8)  # "STT" in bold on one line
    table = _table(document, 1 + len(report.lines), widths, borders=True)
    for cell, heading in zip(table.rows[0].cells, (NUMBER, LINE, CLASSES, STUDENTS), strict=True):
        _fill_cell(cell, heading, size=13, bold=True)
    _repeat_as_header(table.rows[0])
    for row, number, result in zip(table.rows[1:], _line_numbers(report.lines), report.lines, strict=True):
        cells = row.cells
        nested = result.line.level > 0
        _fill_cell(cells[0], number, size=13)
        _fill_cell(
            cells[1],
            result.label,
            size=13,
            italic=nested,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            indent=0.6 * result.line.level,
        )
        _fill_cell(cells[2], result.classes_text, size=13)
        _fill_cell(cells[3], _students_text(result), size=13)


def _docx_quota_table(document, report: AnnualReport) -> None:
    widths = (1.4, 2.7, 2.4, 1.6, 1.6, 1.6, 1.6, 2.0, 1.6)  # each heading word and "100,63%" whole
    table = _table(document, 2 + len(report.quota) + 1, widths, borders=True)
    top, sub = table.rows[0].cells, table.rows[1].cells
    # Two header rows: "Số lớp" and "Số học viên" each over "Kế hoạch" and "Thực hiện".
    for index, heading in ((0, NUMBER), (1, LOCALITY), (2, PROGRAM), (7, RATIO), (8, RESULT)):
        merged = top[index].merge(sub[index])
        _fill_cell(merged, heading, size=12, bold=True)
    for index, heading in ((3, CLASSES), (5, STUDENTS)):
        merged = top[index].merge(top[index + 1])
        _fill_cell(merged, heading, size=12, bold=True)
    for index, heading in ((3, PLANNED), (4, ACTUAL), (5, PLANNED), (6, ACTUAL)):
        _fill_cell(sub[index], heading, size=12, bold=True)
    _repeat_as_header(table.rows[0], more_follow=True)
    _repeat_as_header(table.rows[1], more_follow=True)
    for number, (row, quota) in enumerate(zip(table.rows[2:-1], report.quota, strict=True), start=1):
        texts = (
            str(number),
            quota.locality_name,
            quota.program_code,
            *_quota_figures(quota),
            MET if quota.met else NOT_MET,
        )
        for index, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            left = index in (1, 2)
            _fill_cell(
                cell,
                text,
                size=12,
                bold=index == 8 and not quota.met,
                align=WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER,
            )
    cells = table.rows[-1].cells
    _fill_cell(cells[0].merge(cells[2]), TOTAL, size=12, bold=True)
    for cell, text in zip(cells[3:], (*_quota_figures(report.quota_total), ""), strict=True):
        _fill_cell(cell, text, size=12, bold=True)


def _docx_signature(document, style: str) -> None:
    document.add_paragraph()
    half = TEXT_WIDTH_CM / 2
    table = _table(document, 1, (half, half), borders=False)
    left, right = table.rows[0].cells
    if style == PARTY:  # 36-HD/VPTW: "Nơi nhận" underlined
        _write(left.paragraphs[0], RECIPIENTS_HEADING, underline=True, size=14)
        item_size = 12
    else:  # Decree 30: bold italic 12, the list in 11
        _write(left.paragraphs[0], RECIPIENTS_HEADING, bold=True, italic=True, size=12)
        item_size = 11
    for item in RECIPIENTS:
        _write(left.add_paragraph(), item.format(parent=_school()["parent"]), size=item_size)
    signer = _school().signer(DocumentKind.ANNUAL_REPORT)
    first, *others = signer.lines
    _write(right.paragraphs[0], first, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    for line in others:  # "KT. HIỆU TRƯỞNG" then the deputy's title
        _write(right.add_paragraph(), line, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(4):  # room for the signature and the seal
        right.add_paragraph()
    if signer.name:
        _write(right.add_paragraph(), signer.name, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)


def _heading(document, text: str) -> None:
    paragraph = _write(document.add_paragraph(), text, bold=True)
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.keep_with_next = True


def report_docx(report: AnnualReport, *, scope_name: str = "") -> bytes:
    """The report as an official document in the school's format (party or state)."""
    style = STATE if _school().get("document_style") == STATE else PARTY
    document = Document()
    _setup_document(document)
    document.core_properties.title = report.title
    document.core_properties.author = _school()["name"]
    document.core_properties.language = "vi-VN"
    _docx_header(document, report, style)
    title = _write(document.add_paragraph(), report.title.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_before = Pt(18)
    title.paragraph_format.space_after = Pt(6)
    if scope_name:
        _write(
            document.add_paragraph(),
            f"({SCOPE_LINE.format(name=scope_name)})",
            italic=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )
    if report.summary:
        summary = _write(document.add_paragraph(), report.summary, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        summary.paragraph_format.first_line_indent = Cm(1.27)
        summary.paragraph_format.space_before = Pt(12)
        summary.paragraph_format.space_after = Pt(6)
        summary.paragraph_format.line_spacing = 1.15
    _heading(document, LINES_HEADING)
    _docx_lines_table(document, report)
    _heading(document, QUOTA_HEADING.format(year=report.year))
    if report.quota:
        _docx_quota_table(document, report)
    else:
        _write(document.add_paragraph(), NO_QUOTA.format(year=report.year), italic=True)
    _docx_signature(document, style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
