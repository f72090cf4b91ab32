"""Hostile workbooks, generated (never committed): files built to make a reader spend time
and memory out of proportion to their size. Each is the class import's workbook (sheets
``Lop`` and ``HocVien``, or another sheet for the other imports) with one trap; the XML
is written by hand and streamed into the zip (``daotao.lib.tests.raw_xlsx``), so that a
part that inflates to hundreds of megabytes costs the test a second to make.

``CORPUS`` names each trap with the function that writes it to a path.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from daotao.cohorts.tests.workbooks import HOCVIEN, LOP
from daotao.lib.tests.raw_xlsx import MAIN, MB, Chunks, cell, repeat, row, sheet, write_workbook

CLASS_ROW = ["TC-01", "Lớp TC-01", "TC-LLCT-HC", "Không tập trung", "Được hỗ trợ kinh phí", "H01", "", "02/03/2020"]
STUDENT_ROW = ["TC-01", "052085500001", "Nguyễn Văn An", "17/05/1985", "Nam", "Kinh"]


def class_sheet() -> Iterator[bytes]:
    return sheet([row(1, LOP), row(2, CLASS_ROW)])


def student_sheet(rows: Chunks = (), **parts) -> Iterator[bytes]:
    """The sheet HocVien: its header on row 1, then ``rows``."""
    return sheet(itertools.chain([row(1, HOCVIEN)], rows), **parts)


def class_workbook(path: Path, students: Chunks = (), *, strings: Chunks | None = None, **parts) -> Path:
    return write_workbook(path, {"Lop": class_sheet(), "HocVien": student_sheet(students, **parts)}, strings=strings)


# --- the traps ------------------------------------------------------------------------


def zip_bomb_sheet(path: Path, size: int = 300 * MB) -> Path:
    """A sheet of one student row repeated (unnumbered) to ``size`` bytes: 300 MB of XML in
    a 2 MB file, under the old check (50 times the 10 MB upload limit)."""
    return class_workbook(path, repeat(row(None, STUDENT_ROW), size))


def zip_bomb_strings(path: Path, size: int = 300 * MB) -> Path:
    """Shared strings that inflate to ``size`` bytes of two-letter strings, which a reader
    that loads the table holds as millions of Python strings."""
    strings = itertools.chain(
        [f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode()],
        repeat(b"<si><t>ab</t></si>", size),
        [b"</sst>"],
    )
    return class_workbook(path, [row(2, STUDENT_ROW)], strings=strings)


def long_string(path: Path, length: int = 5 * MB) -> Path:
    """A student whose name is a shared string of ``length`` characters."""
    name = ("Nguyễn Văn An " * (length // 14 + 1))[:length]
    strings = [
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode(),
        name.encode(),
        b"</t></si></sst>",
    ]
    cells = cell(1, "TC-01", 2) + cell(2, "052085500001", 2) + '<c r="C2" t="s"><v>0</v></c>'
    return class_workbook(path, [f'<row r="2">{cells}</row>'.encode()], strings=strings)


def empty_rows(path: Path, count: int = 1_000_000) -> Path:
    """A million empty, numbered rows below the header, then one student."""
    rows = (f'<row r="{number}"/>'.encode() for number in range(2, count + 2))
    return class_workbook(path, itertools.chain(rows, [row(count + 2, STUDENT_ROW)]))


def last_row(path: Path) -> Path:
    """A sheet declaring the whole grid (A1:XFD1048576) with a value on its last row."""
    dimension = b'<dimension ref="A1:XFD1048576"/>'
    return class_workbook(path, [row(2, STUDENT_ROW), row(1_048_576, ["x"])], before=dimension)


def wide(path: Path, rows: int = 100) -> Path:
    """16.384 columns (all Excel has) on the header and on each of ``rows`` rows."""
    header = HOCVIEN + [f"Cột {index}" for index in range(len(HOCVIEN) + 1, 16_385)]
    data = (row(number, STUDENT_ROW + ["x"] * (16_384 - len(STUDENT_ROW))) for number in range(2, rows + 2))
    return write_workbook(path, {"Lop": class_sheet(), "HocVien": sheet(itertools.chain([row(1, header)], data))})


def duplicate_rows(path: Path, count: int = 200_000) -> Path:
    """The same student ``count`` times: every row after the first is a problem."""
    return class_workbook(path, (row(number, STUDENT_ROW) for number in range(2, count + 2)))


def entities(path: Path, sheet_name: str = "HocVien", header: Iterable[str] = HOCVIEN) -> Path:
    """ "Billion laughs": nested entities in the sheet's DTD, each ten times the one below."""
    declarations = '<!ENTITY a0 "ha ha ha ha ">' + "".join(
        f'<!ENTITY a{level} "{("&a" + str(level - 1) + ";") * 10}">' for level in range(1, 10)
    )
    prolog = f"<!DOCTYPE worksheet [{declarations}]>".encode()
    rows = [row(1, header), b'<row r="2"><c r="A2" t="inlineStr"><is><t>&a9;</t></is></c></row>']
    sheets = {sheet_name: sheet(rows, prolog=prolog)}
    if sheet_name == "HocVien":
        sheets = {"Lop": class_sheet(), **sheets}
    return write_workbook(path, sheets)


def deep(path: Path, depth: int = 5_000_000) -> Path:
    """Elements nested ``depth`` deep before the sheet data (35 MB of XML, 70 KB zipped)."""
    nested = itertools.chain(repeat(b"<x>", depth * 3), repeat(b"</x>", depth * 4))
    return write_workbook(
        path,
        {"Lop": class_sheet(), "HocVien": itertools.chain([f'<worksheet xmlns="{MAIN}">'.encode()], nested)},
    )


def huge_tag(path: Path, size: int = 60 * MB) -> Path:
    """One start tag of ``size`` bytes (an attribute value), which a parser must hold whole."""
    tag = b'<c r="A2" t="inlineStr" x="' + b"".join(repeat(b"y", size)) + b'"><is><t>TC-01</t></is></c>'
    return class_workbook(path, [b'<row r="2">' + tag + b"</row>"])


CORPUS: dict[str, Callable[[Path], Path]] = {
    "zip bomb (sheet)": zip_bomb_sheet,
    "zip bomb (shared strings)": zip_bomb_strings,
    "5 MB string": long_string,
    "a million empty rows": empty_rows,
    "row 1.048.576": last_row,
    "16.384 columns": wide,
    "200.000 duplicate rows": duplicate_rows,
    "entities (billion laughs)": entities,
    "deep nesting": deep,
    "60 MB tag": huge_tag,
}
