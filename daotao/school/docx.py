"""Writing a .docx the school sends out (python-docx): A4 with the margins of an official
document, Times New Roman for every script, the letterhead and the signature block of a
``documents.Letterhead``, and the tables' pieces (fixed widths, borders, heading rows
repeated on every page).

The PDFs print the same ``Letterhead`` with ``templates/documents/head.html`` and
``signature.html``, so a document reads the same words whichever file leaves the school. The
yearly report (``daotao.reports.docx_export``) and the plan's quota table
(``daotao.planning.documents``) are written with these helpers; they live here, just above
``lib``, so that every app that writes a document may import them.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from daotao.school.documents import RECIPIENTS_HEADING, Letterhead

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"

PAGE_WIDTH_CM, PAGE_HEIGHT_CM = 21.0, 29.7
MARGIN_TOP_CM, MARGIN_BOTTOM_CM, MARGIN_LEFT_CM, MARGIN_RIGHT_CM = 2.0, 2.0, 3.0, 1.5
TEXT_WIDTH_CM = PAGE_WIDTH_CM - MARGIN_LEFT_CM - MARGIN_RIGHT_CM  # 16,5 cm

CENTER, LEFT, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)


# --- the document and its text -------------------------------------------------------------


def set_fonts(rpr) -> None:
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


def new_document(*, title: str, author: str):
    """An empty A4 document in Times New Roman 14, single-spaced, in Vietnamese."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    section.top_margin, section.bottom_margin = Cm(MARGIN_TOP_CM), Cm(MARGIN_BOTTOM_CM)
    section.left_margin, section.right_margin = Cm(MARGIN_LEFT_CM), Cm(MARGIN_RIGHT_CM)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    document.core_properties.title = title
    document.core_properties.author = author
    document.core_properties.language = "vi-VN"
    return document


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write(
    paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float | None = None,
    align=None,
):
    """``text`` as a run of ``paragraph``; answers the paragraph."""
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def next_paragraph(cell):
    """The cell's own empty first paragraph, or a new one after what the cell holds."""
    paragraphs = cell.paragraphs
    if len(paragraphs) == 1 and not paragraphs[0].text:
        return paragraphs[0]
    return cell.add_paragraph()


def heading(document, text: str) -> None:
    """A numbered section heading of the body ("1. Số lớp, số học viên"), kept with what follows."""
    paragraph = write(document.add_paragraph(), text, bold=True)
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.keep_with_next = True


def centred_line(document, text: str, *, italic: bool = False, bold: bool = False, space_before: float = 0):
    paragraph = write(document.add_paragraph(), text, italic=italic, bold=bold, align=CENTER)
    if space_before:
        paragraph.paragraph_format.space_before = Pt(space_before)
    return paragraph


def body_text(document, text: str):
    """A paragraph of the body: justified, its first line indented, a little more leading."""
    paragraph = write(document.add_paragraph(), text, align=JUSTIFY)
    paragraph.paragraph_format.first_line_indent = Cm(1.27)
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.line_spacing = 1.15
    return paragraph


# The children of w:pPr that the schema puts after w:pBdr, in order.
_PPR_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def short_rule(cell, length_cm: float, width_cm: float) -> None:
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


# --- tables -----------------------------------------------------------------------------


def table_borders(table, value: str) -> None:
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


def table(document, rows: int, widths_cm: tuple[float, ...], *, borders: bool):
    """A centred table of ``rows`` rows and columns of fixed widths."""
    new = document.add_table(rows=rows, cols=len(widths_cm))
    new.alignment = WD_TABLE_ALIGNMENT.CENTER
    new.autofit = False
    table_borders(new, "single" if borders else "nil")
    for index, width in enumerate(widths_cm):
        new.columns[index].width = Cm(width)
        for cell in new.columns[index].cells:
            cell.width = Cm(width)
    return new


def repeat_as_header(row, *, more_follow: bool = False) -> None:
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


def fill_cell(cell, text: str, *, size: float, bold=False, italic=False, align=CENTER, indent=0):
    """The cell's text, in one paragraph with a little room above and below."""
    paragraph = cell.paragraphs[0]
    write(paragraph, text, bold=bold, italic=italic, size=size, align=align)
    if indent:
        paragraph.paragraph_format.left_indent = Cm(indent)
    paragraph.paragraph_format.space_before = Pt(2)
    paragraph.paragraph_format.space_after = Pt(2)


# --- the letterhead and the signature --------------------------------------------------------


def write_letterhead(document, head: Letterhead) -> None:
    """The issuing body and the number on the left, the Party's name (Hướng dẫn 36-HD/VPTW)
    or the national name and motto (Decree 30/2020/NĐ-CP) on the right, the date line, then
    the title, its subject and the dashes under them: the words of ``head``, as
    templates/documents/head.html prints them."""
    left_width, right_width = 7.0, TEXT_WIDTH_CM - 7.0
    header = table(document, 1, (left_width, right_width), borders=False)
    left, right = header.rows[0].cells
    size = 14 if head.party else 13
    write(next_paragraph(left), head.body_above, size=size, align=CENTER)
    write(next_paragraph(left), head.body, bold=True, size=size, align=CENTER)
    if head.party:
        # Hướng dẫn 36-HD/VPTW: a star under the issuing body's name, "Số 12-BC/TCT".
        write(next_paragraph(left), "*", size=size, align=CENTER)
    else:
        # Decree 30/2020/NĐ-CP: a short rule under the name, "Số: 12/BC-TCT".
        short_rule(left, 2.5, left_width)
    number = write(next_paragraph(left), head.number, size=size, align=CENTER)
    number.paragraph_format.space_before = Pt(6)
    if head.party:
        (name,) = head.national
        write(next_paragraph(right), name, bold=True, underline=True, size=15, align=CENTER)
    else:
        name, motto = head.national
        write(next_paragraph(right), name, bold=True, size=12, align=CENTER)
        write(next_paragraph(right), motto, bold=True, size=13, align=CENTER)
        short_rule(right, 5.6, right_width)
    date_line = write(document.add_paragraph(), head.place_date, italic=True, align=RIGHT)
    date_line.paragraph_format.space_before = Pt(6)
    centred_line(document, head.title, bold=True, space_before=18)
    if head.subject:
        centred_line(document, head.subject, bold=True)
    dash = centred_line(document, "-----")
    dash.paragraph_format.space_after = Pt(6)


def write_signature(document, head: Letterhead) -> None:
    """ "Nơi nhận" and its list on the left; the signer's title lines, room for the signature
    and the seal, and the signer's name on the right (templates/documents/signature.html)."""
    document.add_paragraph()
    half = TEXT_WIDTH_CM / 2
    block = table(document, 1, (half, half), borders=False)
    left, right = block.rows[0].cells
    if head.party:  # 36-HD/VPTW: "Nơi nhận" underlined
        write(left.paragraphs[0], RECIPIENTS_HEADING, underline=True, size=14)
        item_size = 12
    else:  # Decree 30: bold italic 12, the list in 11
        write(left.paragraphs[0], RECIPIENTS_HEADING, bold=True, italic=True, size=12)
        item_size = 11
    for item in head.recipients:
        write(left.add_paragraph(), item, size=item_size)
    first, *others = head.signer_lines
    write(right.paragraphs[0], first, bold=True, size=14, align=CENTER)
    for line in others:  # "KT. HIỆU TRƯỞNG" then the deputy's title
        write(right.add_paragraph(), line, bold=True, size=14, align=CENTER)
    for _ in range(4):  # room for the signature and the seal
        right.add_paragraph()
    if head.signer_name:
        write(right.add_paragraph(), head.signer_name, bold=True, size=14, align=CENTER)
