"""The workbook reader of the imports: it reads what openpyxl reads, and refuses, at the first
sign and with where, what is past its limits or what Excel never writes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook

from daotao.lib.tests.raw_xlsx import MAIN, cell, repeat, row, sheet, write_workbook
from daotao.lib.xlsx_reader import Formula, Limits, SheetRefused, TooLong, Workbook, WorkbookRefused

LIMITS = Limits(rows=100, columns=10, cell_chars=50)


def read(source, limits: Limits = LIMITS) -> dict[str, list[tuple[int, dict[int, object]]]]:
    """Every sheet's rows, by sheet name."""
    data = source.read_bytes() if isinstance(source, Path) else source
    with Workbook(io.BytesIO(data), len(data), limits) as book:
        return {name: list(book.sheet(name)) for name in book.sheet_names if book.is_worksheet(name)}


def saved(book: OpenpyxlWorkbook) -> bytes:
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def plain(sheets: dict) -> dict:
    """Formulas as openpyxl gives them: their text."""
    return {
        name: [(n, {c: v.text if isinstance(v, Formula) else v for c, v in cells.items()}) for n, cells in rows]
        for name, rows in sheets.items()
    }


def as_openpyxl_reads(data: bytes) -> dict[str, list[tuple[int, dict[int, object]]]]:
    """The rows that hold a value, as openpyxl's own reader gives them."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    found = {}
    for worksheet in book.worksheets:
        worksheet.reset_dimensions()
        rows = enumerate(worksheet.iter_rows(values_only=True), start=1)
        found[worksheet.title] = [
            (number, {column: value for column, value in enumerate(values, start=1) if value not in (None, "")})
            for number, values in rows
            if any(value not in (None, "") for value in values)
        ]
    book.close()
    return found


def test_values_are_those_openpyxl_reads():
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Lop"
    first.append(["Mã lớp", "Ngày khai giảng", "Số học viên", "Điểm", "Đã duyệt", "Ghi chú"])
    first.append(["TC-01", dt.datetime(2020, 3, 2), 80, 7.25, True, "  có khoảng trắng  "])
    first.append([None, dt.date(2021, 6, 30), -3, 1e-7, False, "=A2"])
    first["C10"] = 12  # a gap of six rows
    first["F12"] = "Nguyễn Thị Ngọc Diệp"
    first["B13"] = dt.time(7, 30)
    other = book.create_sheet("HocVien")
    other["A1"] = "x"
    data = saved(book)
    assert plain(read(data)) == as_openpyxl_reads(data)
    assert read(data)["Lop"][2][1][6] == Formula("=A2")


def test_the_1904_date_system():
    book = openpyxl.Workbook()
    book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    book.active["A1"] = dt.datetime(2020, 3, 2)
    data = saved(book)
    assert read(data) == as_openpyxl_reads(data) == {"Sheet": [(1, {1: dt.datetime(2020, 3, 2)})]}


def test_shared_strings_rich_text_and_what_other_programs_write(tmp_path):
    strings = [
        f'<sst xmlns="{MAIN}">'.encode(),
        b"<si><t>plain</t></si>",
        b'<si><r><rPr><b/></rPr><t>bold</t></r><r><t xml:space="preserve"> and not</t></r></si>',
        b"<si><t>\xe6\x9d\xb1</t><rPh><t>reading guide</t></rPh></si>",
        b"</sst>",
    ]
    rows = [
        # cells and rows without references follow on from the one before
        b'<row r="2"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c r="E2" t="s"><v>2</v></c><c><v>4.5</v></c></row>',
        b'<row><c r="A3"><f t="shared" ref="A3:A4" si="0">B3*2</f><v>2</v></c><c t="b"><v>1</v></c></row>',
        b'<row><c r="A4"><f t="shared" si="0"/><v>4</v></c><c r="B4" t="e"><v>#N/A</v></c></row>',
        b'<row r="6"><c r="B6" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c></row>',
    ]
    path = write_workbook(tmp_path / "x.xlsx", {"Lop": sheet(rows, after=b"")}, strings=strings)
    assert read(path)["Lop"] == [
        (2, {1: "plain", 2: "bold and not", 5: "東", 6: 4.5}),
        (3, {1: Formula("=B3*2"), 2: True}),
        (4, {1: Formula("=B3*2"), 2: "#N/A"}),  # a shared formula shows the first cell's
        (6, {2: "inline"}),
    ]


def test_gaps_between_rows_cost_nothing(tmp_path):
    rows = [row(1, ["a"]), row(1_000_000, ["b"])]
    path = write_workbook(tmp_path / "x.xlsx", {"Lop": sheet(rows)})
    assert read(path, Limits(rows=1_048_576))["Lop"] == [(1, {1: "a"}), (1_000_000, {1: "b"})]


def test_merged_ranges_once_the_rows_are_read(tmp_path):
    after = b'<mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="B4:B5"/></mergeCells>'
    path = write_workbook(tmp_path / "x.xlsx", {"Lop": sheet([row(1, ["a"])], after=after)})
    data = path.read_bytes()
    with Workbook(io.BytesIO(data), len(data), LIMITS) as book:
        rows = book.sheet("Lop")
        assert list(rows) == [(1, {1: "a"})]
        assert rows.merged == [(1, 1, 3, 1), (2, 4, 2, 5)]


@pytest.mark.parametrize(
    ("rows", "reason", "row_number", "column"),
    [
        ([row(101, ["a"])], "rows", 101, None),  # a value past the last row read
        ([f'<row r="{n}"/>'.encode() for n in range(1, 102)], "rows", 101, None),  # 101 empty rows
        ([row(1, ["a"] * 11)], "columns", 1, 11),  # a value past the last column read
        ([b"<row>" + b"<c/>" * 1_001 + b"</row>"], "cells", 1, None),  # more cells than rows x columns
        ([b'<row r="0"/>'], "damaged", None, None),
        ([b'<row r="1"><c r="A1" t="s"><v>7</v></c></row>'], "damaged", 1, 1),  # no such shared string
        ([b'<row r="1"><c r="ZZZZ1"><v>1</v></c></row>'], "damaged", 1, None),
        ([b'<row r="1"><c r="A1"><v>1,5</v></c></row>'], "damaged", 1, 1),
    ],
)
def test_a_sheet_past_its_limits_is_refused_where_it_is(tmp_path, rows, reason, row_number, column):
    path = write_workbook(tmp_path / "x.xlsx", {"Lop": sheet(rows)})
    with pytest.raises(SheetRefused) as refused:
        read(path)
    assert (refused.value.reason, refused.value.row, refused.value.column) == (reason, row_number, column)


def test_empty_cells_past_the_last_column_are_left_out(tmp_path):
    styled = "".join(f'<c r="{letter}1" s="1"/>' for letter in ("K", "L", "AMJ"))
    path = write_workbook(tmp_path / "x.xlsx", {"Lop": sheet([f'<row r="1">{cell(1, "a", 1)}{styled}</row>'.encode()])})
    assert read(path)["Lop"] == [(1, {1: "a"})]


def test_text_past_the_limit_is_counted_not_kept(tmp_path):
    strings = [f'<sst xmlns="{MAIN}"><si><t>'.encode(), b"y" * 5_000, b"</t></si></sst>"]
    rows = [
        f'<row r="1"><c r="A1" t="s"><v>0</v></c>{cell(2, "x" * 51, 1)}{cell(3, "x" * 50, 1)}</row>'.encode(),
        f'<row r="2"><c r="A2"><f>{"1+" * 40}1</f></c></row>'.encode(),
    ]
    path = write_workbook(tmp_path / "x.xlsx", {"Lop": sheet(rows)}, strings=strings)
    first, second = read(path)["Lop"]
    assert first == (1, {1: TooLong(5_000), 2: TooLong(51), 3: "x" * 50})
    assert second[1][1] == Formula("=…")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "xls"),
        (b"%PDF-1.4 not a workbook", "not_xlsx"),
        (b"x" * 2_000, "too_large"),
    ],
)
def test_a_file_that_is_no_workbook(content, reason):
    with pytest.raises(WorkbookRefused) as refused:
        Workbook(io.BytesIO(content), len(content), Limits(file_bytes=1_000))
    assert refused.value.reason == reason


def zipped(parts: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", method) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return output.getvalue()


def test_a_zip_is_checked_before_anything_is_inflated(tmp_path):
    cases = {
        "not_xlsx": zipped({"word/document.xml": b"<w/>"}),
        "damaged": zipped({"xl/workbook.xml": b"<w/>"}, zipfile.ZIP_BZIP2),
        "inflated": zipped({"xl/workbook.xml": b"<w/>", "xl/worksheets/sheet1.xml": b" " * 2_000}),
        "part": zipped({"xl/workbook.xml": b"<w/>", "xl/sharedStrings.xml": b" " * 600}),
    }
    for reason, content in cases.items():
        with pytest.raises(WorkbookRefused) as refused:
            Workbook(io.BytesIO(content), len(content), Limits(xml_bytes=1_000, strings_bytes=500))
        assert refused.value.reason == reason


def test_xml_that_excel_never_writes(tmp_path):
    entity = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
    cases = {
        "dtd": sheet([b'<row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row>'], prolog=entity),
        "nesting": sheet([b"<x>" * 65 + b"</x>" * 65]),
        "token": sheet([b'<row r="1" x="', *repeat(b"y", 2 * 1024 * 1024), b'"/>']),
    }
    for reason, part in cases.items():
        path = write_workbook(tmp_path / f"{reason}.xlsx", {"Lop": part})
        with pytest.raises(WorkbookRefused) as refused:
            read(path)
        assert refused.value.reason == reason


def test_a_damaged_sheet(tmp_path):
    path = write_workbook(tmp_path / "x.xlsx", {"Lop": [b"<worksheet><sheetData><row>"]})
    with pytest.raises(SheetRefused) as refused:
        read(path)
    assert refused.value.reason == "damaged"
