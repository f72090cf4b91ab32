"""Opening the uploaded file and reading its two sheets into rows keyed by column.

Everything wrong with the file itself (not an .xlsx, too large, damaged, a sheet or a
required column missing, a column twice, merged cells or formulas in the table) is found
here, before any row is checked, and refused with ImportRejected.
"""

from __future__ import annotations

import io
import itertools
import logging
import os
import re
import zipfile
from dataclasses import dataclass

import openpyxl
from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter, range_boundaries

from daotao.cohorts.importing.columns import SHEETS, SheetFormat, label_key
from daotao.cohorts.importing.results import ImportProblem, ImportRejected
from daotao.lib.vietnamese import format_decimal

logger = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 10  # the header may sit below a title row or two
# A zip that inflates beyond this many times the upload limit is refused unread.
MAX_INFLATION = 50
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


@dataclass
class SheetRows:
    format: SheetFormat
    letters: dict[str, str]  # column key -> column letter
    rows: list[tuple[int, dict[str, object]]]  # (Excel row number, column key -> cell value)

    def where(self, key: str) -> str:
        column = self.format.column(key)
        return f"{column.header} ({self.letters[key]})" if key in self.letters else column.header


def _open(source) -> tuple[io.IOBase, int, bool]:
    """A binary file object at offset 0, its size, and whether we opened it (and close it)."""
    if isinstance(source, str | os.PathLike):
        return open(source, "rb"), os.path.getsize(source), True
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(source), len(source), True
    size = getattr(source, "size", None)
    if isinstance(source, File):  # an upload: read the underlying file object
        source = source.file
    if size is None:
        source.seek(0, os.SEEK_END)
        size = source.tell()
    source.seek(0)
    return source, size, False


def _file_problem(stream, size: int) -> str | None:
    """Why the bytes cannot be an .xlsx we are willing to read, or None."""
    limit = settings.DAOTAO_MAX_IMPORT_BYTES
    if size == 0:
        return _("The file is empty.")
    if size > limit:
        return _("The file is too large (%(size)s MB); the limit is %(limit)s MB.") % {
            "size": format_decimal(size / 1_048_576, 1),
            "limit": format_decimal(limit / 1_048_576, 1),
        }
    magic = stream.read(8)
    stream.seek(0)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        return _("The file is an old Excel 97-2003 (.xls) or password-protected workbook: save it as .xlsx.")
    if not zipfile.is_zipfile(stream):
        return _("The file is not an Excel workbook (.xlsx).")
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return _("The workbook is damaged and cannot be read.")
    finally:
        stream.seek(0)
    if "xl/workbook.xml" not in names:
        return _("The file is not an Excel workbook (.xlsx).")
    if inflated > MAX_INFLATION * limit:
        return _("The workbook is too large to read.")
    return None


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _merged_ranges(worksheet) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a read-only sheet (min column, min row, max column, max row).

    openpyxl does not read them in read-only mode; they follow the cell data in the sheet's
    XML, so the raw XML is scanned for them, a chunk at a time."""
    found, tail = [], b""
    with worksheet._get_source() as source:
        while chunk := source.read(1 << 20):
            data = tail + chunk
            found += [range_boundaries(m.decode()) for m in _MERGE_REF.findall(data)]
            cut = data.rfind(b"<")  # a tag cut at the chunk's end is read with the next chunk
            tail = data[cut:] if cut >= 0 else b""
            if tail and _MERGE_REF.match(tail):
                tail = b""
    return found


def _read_sheet(worksheet, sheet: SheetFormat) -> tuple[SheetRows | None, list[ImportProblem]]:
    """The data rows of a sheet, keyed by column; or the problems of its header or its cells."""
    if not hasattr(worksheet, "iter_rows"):
        return None, [ImportProblem(_("This is not a worksheet."), sheet.name)]
    worksheet.reset_dimensions()  # the stored size may be wrong; read what is there
    rows = enumerate(worksheet.iter_rows(values_only=True), start=1)
    top = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    filled = [(number, values) for number, values in top if any(not is_empty(v) for v in values)]
    if not filled:
        return None, [ImportProblem(_("The sheet is empty."), sheet.name)]
    # The header is the first row naming two known columns (a title row may sit above it).
    header = next(((n, v) for n, v in filled if sum(1 for label in v if sheet.match(label)) >= 2), filled[0])
    header_row, labels = header
    problems: list[ImportProblem] = []
    positions: dict[str, int] = {}
    for index, label in enumerate(labels):
        column = sheet.match(label)
        if column is None:
            continue
        if column.key in positions:
            first = get_column_letter(positions[column.key] + 1)
            problems.append(
                ImportProblem(
                    _("The column %(column)s appears twice (columns %(first)s and %(second)s).")
                    % {"column": column.header, "first": first, "second": get_column_letter(index + 1)},
                    sheet.name,
                    header_row,
                )
            )
        else:
            positions[column.key] = index
    missing = [c.header for c in sheet.columns if c.required and c.key not in positions]
    if missing:
        problems.append(
            ImportProblem(
                ngettext(
                    "The required column %(columns)s is missing.",
                    "The required columns %(columns)s are missing.",
                    len(missing),
                )
                % {"columns": ", ".join(missing)},
                sheet.name,
                header_row,
            )
        )
    if problems:
        return None, problems
    letters = {key: get_column_letter(index + 1) for key, index in positions.items()}
    table = SheetRows(sheet, letters, [])
    for low_column, low_row, high_column, high_row in _merged_ranges(worksheet):
        if high_row >= header_row:  # a title merged above the header is fine
            where = get_column_letter(low_column)
            key = next((k for k, index in positions.items() if low_column <= index + 1 <= high_column), None)
            problems.append(
                ImportProblem(
                    _("The cells %(cells)s are merged: unmerge them and fill in every cell.")
                    % {"cells": f"{where}{low_row}:{get_column_letter(high_column)}{high_row}"},
                    sheet.name,
                    low_row,
                    table.where(key) if key else where,
                )
            )
    for number, values in itertools.chain(top, rows):
        if number <= header_row:
            continue
        cells = {key: values[index] if index < len(values) else None for key, index in positions.items()}
        for key, value in cells.items():
            # Formulas are read as their text, not their value: a file saved by another
            # program may hold none, and a value typed in is what the school vouches for.
            if isinstance(value, str) and value.startswith("="):
                problems.append(
                    ImportProblem(
                        _("The cell holds a formula (%(formula)s): type its value instead.") % {"formula": value[:40]},
                        sheet.name,
                        number,
                        table.where(key),
                    )
                )
        if not all(is_empty(v) for v in cells.values()):
            table.rows.append((number, cells))
    if problems:
        return None, problems
    if not table.rows:
        return None, [ImportProblem(_("The sheet has no data rows below its header."), sheet.name, header_row)]
    return table, []


def read_workbook(source, sheets: tuple[SheetFormat, ...] = SHEETS) -> dict[str, SheetRows]:
    """The ``sheets`` of the workbook (by default those of the class import), by sheet name;
    or ImportRejected with every problem of the file, its headers and its cells."""
    stream, size, owned = _open(source)
    try:
        problem = _file_problem(stream, size)
        if problem:
            raise ImportRejected([ImportProblem(problem)])
        try:
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=False)
        except Exception:  # openpyxl raises many kinds of errors on a broken file
            logger.info("unreadable workbook", exc_info=True)
            raise ImportRejected([ImportProblem(_("The workbook is damaged and cannot be read."))]) from None
        try:
            titles = {label_key(title).replace(" ", ""): title for title in workbook.sheetnames}
            result: dict[str, SheetRows] = {}
            problems: list[ImportProblem] = []
            for sheet in sheets:
                title = titles.get(label_key(sheet.name).replace(" ", ""))
                if title is None:
                    problems.append(
                        ImportProblem(_("The workbook has no sheet named %(sheet)s.") % {"sheet": sheet.name})
                    )
                    continue
                try:
                    rows, found = _read_sheet(workbook[title], sheet)
                except Exception:
                    logger.info("unreadable sheet", exc_info=True)
                    rows, found = None, [ImportProblem(_("The sheet is damaged and cannot be read."), sheet.name)]
                problems += found
                if rows is not None:
                    result[sheet.name] = rows
        finally:
            workbook.close()
    finally:
        if owned:
            stream.close()
    if problems:
        raise ImportRejected(problems, sheets)
    return result
