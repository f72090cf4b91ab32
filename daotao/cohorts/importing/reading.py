"""Opening the uploaded file and reading its sheets into rows keyed by column: the one
reader of every workbook import (classes, nominations, quotas, grade sheets, career events).

Everything wrong with the file itself (not an .xlsx, too large, damaged, a sheet or a
required column missing, a column twice, merged cells, formulas or overlong text in the
table) is found here, before any row is checked, and refused with ImportRejected.

The workbook is read by ``daotao.lib.xlsx_reader`` within the limits of the settings
(``limits()``): the file's size, the size it inflates to, rows, columns and the length of a
cell's text are all checked while the file is read, before any row is looked at, so a file
built to exhaust the server is refused in a second or two with a message saying why.
"""

from __future__ import annotations

import io
import itertools
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

from daotao.cohorts.importing.columns import SHEETS, SheetFormat, label_key
from daotao.lib import xlsx_reader
from daotao.lib.vietnamese import format_decimal, format_file_size, format_int
from daotao.web.import_results import ImportProblem, ImportRejected, ProblemList, too_long

HEADER_SEARCH_ROWS = 10  # the header may sit below a title row or two


def limits() -> xlsx_reader.Limits:
    """The reader's limits, from the settings (read when a file is read, not at import)."""
    return xlsx_reader.Limits(
        file_bytes=settings.DAOTAO_MAX_IMPORT_BYTES,
        xml_bytes=settings.DAOTAO_MAX_IMPORT_XML_BYTES,
        strings_bytes=settings.DAOTAO_MAX_IMPORT_STRINGS_BYTES,
        rows=settings.DAOTAO_MAX_IMPORT_ROWS + HEADER_SEARCH_ROWS,
        columns=settings.DAOTAO_MAX_IMPORT_COLUMNS,
        cell_chars=settings.DAOTAO_MAX_IMPORT_CELL_CHARS,
    )


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


def _megabytes(size: int) -> str:
    return format_decimal(size / 1_048_576, 1)


def _workbook_problem(refused: xlsx_reader.WorkbookRefused) -> str:
    """Why the file as a whole is not read, in the user's words."""
    figures = refused.figures
    reason = refused.reason
    if reason == "empty":
        return _("The file is empty.")
    if reason == "too_large":
        return _("The file is too large (%(size)s MB); the limit is %(limit)s MB.") % {
            "size": _megabytes(figures["size"]),
            "limit": _megabytes(figures["limit"]),
        }
    if reason == "xls":
        return _("The file is an old Excel 97-2003 (.xls) or password-protected workbook: save it as .xlsx.")
    if reason == "not_xlsx":
        return _("The file is not an Excel workbook (.xlsx).")
    if reason == "inflated":
        return _("The workbook is too large to read: it unpacks to %(size)s, and at most %(limit)s are read.") % {
            "size": format_file_size(figures["size"]),
            "limit": format_file_size(figures["limit"]),
        }
    if reason == "part":
        return _(
            "The workbook is too large to read: its part %(part)s unpacks to %(size)s, and at most %(limit)s are read."
        ) % {
            "part": figures["part"],
            "size": format_file_size(figures["size"]),
            "limit": format_file_size(figures["limit"]),
        }
    if reason == "dtd":
        return _(
            "The workbook contains a DTD, XML that Excel never writes, and is refused: "
            "open it in Excel and save it again."
        )
    if reason == "nesting":
        return _(
            "The workbook contains XML nested deeper than Excel ever writes and is refused: "
            "open it in Excel and save it again."
        )
    if reason == "token":
        return _(
            "The workbook contains a piece of XML longer than %(limit)s, which Excel never writes, and is refused: "
            "open it in Excel and save it again."
        ) % {"limit": format_file_size(figures["limit"])}
    return _("The workbook is damaged and cannot be read.")


def _sheet_problem(refused: xlsx_reader.SheetRefused, sheet: SheetFormat, reading: xlsx_reader.Limits) -> ImportProblem:
    """Why a sheet is not read, with the row and column where reading stopped."""
    if refused.reason == "rows":
        message = _(
            "The sheet has more than %(limit)s rows of data: delete the rows below the table, including empty rows "
            "that still carry formatting."
        ) % {"limit": format_int(settings.DAOTAO_MAX_IMPORT_ROWS)}
    elif refused.reason == "cells":
        message = _(
            "The sheet has more than %(limit)s cells, counting empty ones that carry formatting: "
            "delete the rows and columns outside the table."
        ) % {"limit": format_int(reading.cells)}
    elif refused.reason == "columns":
        message = _(
            "This cell holds a value, but at most %(limit)s columns are read: delete the columns to the right of "
            "the table."
        ) % {"limit": format_int(reading.columns)}
        return ImportProblem(message, sheet.name, refused.row, get_column_letter(refused.column))
    elif refused.reason == "merged":
        message = _("The sheet has more than %(limit)s merged ranges: unmerge them and fill in every cell.") % {
            "limit": format_int(xlsx_reader.MAX_MERGED)
        }
    else:
        message = _("The sheet is damaged and cannot be read.")
    return ImportProblem(message, sheet.name, refused.row)


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_problem(value, chars: int) -> str | None:
    """Why a cell of the table is refused: overlong text, or a formula (typed or one that
    would be stored as one once the spaces around it are stripped: `` =HYPERLINK(...)``)."""
    if isinstance(value, xlsx_reader.TooLong):
        return too_long(chars, value.length)
    formula = value.text if isinstance(value, xlsx_reader.Formula) else None
    if isinstance(value, str) and value.lstrip().startswith("="):  # stored stripped (normalize_space)
        formula = value.strip()
    if formula is not None:
        # Formulas are refused, not read as their value: a file saved by another program may
        # hold none, and a value typed in is what the school vouches for.
        return _("The cell holds a formula (%(formula)s): type its value instead.") % {"formula": formula[:40]}
    return None


def _header(top: list[tuple[int, dict[int, object]]], sheet: SheetFormat) -> tuple[int, dict[int, object]]:
    """The first row naming two known columns (a title row may sit above it), else the first."""

    def known(labels: dict[int, object]) -> int:
        return sum(1 for label in labels.values() if isinstance(label, str) and sheet.match(label))

    return next(((number, labels) for number, labels in top if known(labels) >= 2), top[0])


def _read_sheet(cells: xlsx_reader.Sheet, sheet: SheetFormat, problems: ProblemList) -> SheetRows | None:
    """The data rows of a sheet, keyed by column; or None, with the problems of its header,
    its size or its cells added to ``problems``."""
    found = ProblemList()
    try:
        table = _read_rows(cells, sheet, found)
    except xlsx_reader.SheetRefused as refused:
        found.append(_sheet_problem(refused, sheet, limits()))
        table = None
    problems += found
    return None if found else table


def _read_rows(cells: xlsx_reader.Sheet, sheet: SheetFormat, found: ProblemList) -> SheetRows | None:
    reading = limits()
    rows = iter(cells)
    top: list[tuple[int, dict[int, object]]] = []
    for number, values in rows:
        if number > HEADER_SEARCH_ROWS:
            rows = itertools.chain([(number, values)], rows)
            break
        if any(not is_empty(value) for value in values.values()):
            top.append((number, values))
    if not top:
        found.append(ImportProblem(_("The sheet is empty."), sheet.name))
        return None
    header_row, labels = _header(top, sheet)
    positions: dict[str, int] = {}  # column key -> column number
    for index in sorted(labels):
        label = labels[index]
        column = sheet.match(label) if isinstance(label, str) else None
        if column is None:
            continue
        if column.key in positions:
            found.append(
                ImportProblem(
                    _("The column %(column)s appears twice (columns %(first)s and %(second)s).")
                    % {
                        "column": column.header,
                        "first": get_column_letter(positions[column.key]),
                        "second": get_column_letter(index),
                    },
                    sheet.name,
                    header_row,
                )
            )
        else:
            positions[column.key] = index
    missing = [c.header for c in sheet.columns if c.required and c.key not in positions]
    if missing:
        found.append(
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
    if found:
        return None
    table = SheetRows(sheet, {key: get_column_letter(index) for key, index in positions.items()}, [])
    for number, values in itertools.chain(top, rows):
        if number <= header_row:
            continue
        row = {key: values.get(index) for key, index in positions.items()}
        for key, value in row.items():
            if value is not None and (problem := _cell_problem(value, reading.cell_chars)):
                found.append(ImportProblem(problem, sheet.name, number, table.where(key)))
        if not found and not all(is_empty(value) for value in row.values()):
            table.rows.append((number, row))
    for low_column, low_row, high_column, high_row in cells.merged:
        if high_row >= header_row:  # a title merged above the header is fine
            where = get_column_letter(low_column)
            key = next((k for k, index in positions.items() if low_column <= index <= high_column), None)
            found.append(
                ImportProblem(
                    _("The cells %(cells)s are merged: unmerge them and fill in every cell.")
                    % {"cells": f"{where}{low_row}:{get_column_letter(high_column)}{high_row}"},
                    sheet.name,
                    low_row,
                    table.where(key) if key else where,
                )
            )
    if not found and not table.rows:
        found.append(ImportProblem(_("The sheet has no data rows below its header."), sheet.name, header_row))
    return table


def _unfilled(sheet: SheetFormat, problems: list[ImportProblem]) -> bool:
    """Whether every problem of ``sheet`` is that it is missing, empty or has no data row."""
    missing = _("The workbook has no sheet named %(sheet)s.") % {"sheet": sheet.name}
    empty = {_("The sheet is empty."), _("The sheet has no data rows below its header.")}
    return bool(problems) and all(p.message == missing or p.message in empty for p in problems)


def read_workbook(source, sheets: tuple[SheetFormat, ...] = SHEETS, *, optional: bool = False) -> dict[str, SheetRows]:
    """The ``sheets`` of the workbook (by default those of the class import), by sheet name;
    or ImportRejected with every problem of the file, its headers and its cells.

    ``optional``: a sheet that is missing, empty or without a data row is left out of the
    answer rather than refused, as long as one sheet has rows."""
    stream, size, owned = _open(source)
    problems = ProblemList()
    result: dict[str, SheetRows] = {}
    left_out = ProblemList()
    try:
        with xlsx_reader.Workbook(stream, size, limits()) as book:
            titles = {label_key(title).replace(" ", ""): title for title in book.sheet_names if book.has_sheet(title)}
            for sheet in sheets:
                found = ProblemList()
                title = titles.get(label_key(sheet.name).replace(" ", ""))
                if title is None:
                    found.append(ImportProblem(_("The workbook has no sheet named %(sheet)s.") % {"sheet": sheet.name}))
                elif not book.is_worksheet(title):
                    found.append(ImportProblem(_("This is not a worksheet."), sheet.name))
                elif (rows := _read_sheet(book.sheet(title), sheet, found)) is not None:
                    result[sheet.name] = rows
                if optional and _unfilled(sheet, found):
                    left_out += found
                else:
                    problems += found
    except xlsx_reader.WorkbookRefused as refused:
        raise ImportRejected([ImportProblem(_workbook_problem(refused))], sheets) from None
    finally:
        if owned:
            stream.close()
    if problems or not result:
        raise ImportRejected(problems or left_out, sheets)
    return result
