"""Workbooks written by hand, part by part, for the tests of the reader: what a program
other than Excel may write (cells without references, shared strings, rich text, a DTD...)
and files built to be hostile (``daotao/cohorts/tests/hostile.py``). Parts are streamed
into the zip, so that one inflating to hundreds of megabytes costs a second to make."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MB = 1024 * 1024


Chunks = Iterable[bytes]


def cell(column: int, value: str, row: int | None = None) -> str:
    """An inline-string cell; with ``row``, its reference (``r="B7"``)."""
    reference = f' r="{get_column_letter(column)}{row}"' if row else ""
    return f'<c{reference} t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def row(number: int | None, values: Iterable[str]) -> bytes:
    """A row of inline strings; ``number`` None leaves the row and its cells unnumbered."""
    cells = "".join(cell(index, value, number) for index, value in enumerate(values, start=1))
    head = f'<row r="{number}">' if number else "<row>"
    return f"{head}{cells}</row>".encode()


def sheet(rows: Chunks, *, before: bytes = b"", after: bytes = b"", prolog: bytes = b"") -> Iterator[bytes]:
    """A worksheet part: ``prolog`` (before the root element), ``before`` and ``after`` the
    ``sheetData`` holding ``rows``."""
    yield b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + prolog
    yield f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'.encode() + before + b"<sheetData>"
    yield from rows
    yield b"</sheetData>" + after + b"</worksheet>"


def write_workbook(path: Path, sheets: dict[str, Chunks], *, strings: Chunks | None = None) -> Path:
    """An .xlsx at ``path`` with ``sheets`` (name -> the chunks of its XML) and, if given, the
    shared strings part. Parts are deflated at level 1, which is fast and still shrinks a
    repeated row a hundredfold."""
    names = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{index}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for index in range(1, len(names) + 1)
    )
    if strings is not None:
        overrides += (
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    relations = "".join(
        f'<Relationship Id="rId{index}" Target="worksheets/sheet{index}.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        for index in range(1, len(names) + 1)
    )
    if strings is not None:
        relations += (
            '<Relationship Id="rIdS" Target="sharedStrings.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
        )
    listed = "".join(
        f'<sheet name="{escape(name)}" sheetId="{index}" r:id="rId{index}"/>'
        for index, name in enumerate(names, start=1)
    )
    fixed = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="xl/workbook.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
            f"<sheets>{listed}</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{relations}'
            "</Relationships>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in fixed.items():
            archive.writestr(name, text)
        parts = {f"xl/worksheets/sheet{index}.xml": sheets[name] for index, name in enumerate(names, start=1)}
        if strings is not None:
            parts["xl/sharedStrings.xml"] = strings
        for name, chunks in parts.items():
            with archive.open(name, "w", force_zip64=True) as part:
                buffer = bytearray()
                for chunk in chunks:
                    buffer += chunk
                    if len(buffer) >= MB:
                        part.write(buffer)
                        buffer.clear()
                part.write(buffer)
    return path


def repeat(chunk: bytes, size: int) -> Iterator[bytes]:
    """``chunk`` again and again, about ``size`` bytes in all."""
    block = chunk * max(1, MB // len(chunk))
    for _ in range(max(1, size // len(block))):
        yield block
