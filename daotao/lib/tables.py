"""A dashboard table in its three forms: the cells of the page (written the Vietnamese way,
``lib.vietnamese``), the headings in one or two rows (a group over several columns), and a
workbook (``lib.xlsx``, numbers kept as numbers). A section's charts are drawn from the
same rows: the board's (``dashboards/board_sections.py``) and the Academy's national
dashboard (``academy/sections.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openpyxl.utils import get_column_letter

from daotao.lib import xlsx
from daotao.lib.vietnamese import format_count, format_int, format_percent, format_percent_value

# How a table's value is written: text, a count of students (1.040), a count of classes
# (07), a ratio (0.2069 -> 20,69%), a value that is already a percentage (20 -> 20,00%).
TEXT, INT, CLASSES, RATIO, PERCENT = "text", "int", "classes", "ratio", "percent"
EMPTY = "–"


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = INT
    group: str = ""  # a heading over several neighbouring columns


@dataclass(frozen=True)
class Value:
    """A cell whose kind is not its column's (the target of a count among percentages)."""

    value: object
    kind: str


def formatted(value, kind: str) -> str:
    """A cell's text, the Vietnamese way (``lib.vietnamese``)."""
    if isinstance(value, Value):
        value, kind = value.value, value.kind
    if value is None:
        return EMPTY
    if kind == INT:
        return format_int(value)
    if kind == CLASSES:
        return format_count(value)
    if kind == RATIO:
        return format_percent(value)
    if kind == PERCENT:
        return format_percent_value(value)
    return str(value)


def _xlsx_value(value, kind: str):
    if isinstance(value, Value):
        value, kind = value.value, value.kind
    if value is None:
        return EMPTY
    formats = {INT: xlsx.INTEGER, CLASSES: xlsx.CLASSES, RATIO: xlsx.PERCENT, PERCENT: xlsx.PERCENT}
    if kind not in formats:
        return str(value)
    number = Decimal(str(value)) / 100 if kind == PERCENT else value
    return xlsx.number(number, formats[kind])


@dataclass
class Table:
    columns: list[Column]
    rows: list[list]
    total: list | None = None

    @property
    def has_groups(self) -> bool:
        return any(column.group for column in self.columns)

    def header(self) -> list[list[tuple[str, int, int]]]:
        """The heading rows as (text, colspan, rowspan): one row, or two when some columns
        are grouped under a common heading."""
        if not self.has_groups:
            return [[(column.heading, 1, 1) for column in self.columns]]
        top: list[tuple[str, int, int]] = []
        bottom: list[tuple[str, int, int]] = []
        index = 0
        while index < len(self.columns):
            column = self.columns[index]
            if not column.group:
                top.append((column.heading, 1, 2))
                index += 1
                continue
            span = 1
            while index + span < len(self.columns) and self.columns[index + span].group == column.group:
                span += 1
            top.append((column.group, span, 1))
            bottom += [(self.columns[i].heading, 1, 1) for i in range(index, index + span)]
            index += span
        return [top, bottom]

    def _cells(self, row: list) -> list[tuple[str, bool]]:
        return [
            (formatted(value, column.kind), column.kind != TEXT)
            for value, column in zip(row, self.columns, strict=True)
        ]

    def body(self) -> list[list[tuple[str, bool]]]:
        """Each row as (text, is a number) cells."""
        return [self._cells(row) for row in self.rows]

    def footer(self) -> list[tuple[str, bool]] | None:
        return self._cells(self.total) if self.total is not None else None


def table_xlsx(title: str, table: Table, notes: list[str], sheet_name: str) -> bytes:
    """The table as a workbook of one sheet: the title, the headings (a group's heading
    merged over its columns), the rows, the total and the notes; numbers stay numbers."""
    book = xlsx.Book(title=title)
    sheet = book.sheet(sheet_name[:31])
    sheet.append([title], xlsx.Style(bold=True, size=13))
    header_style = xlsx.HEADER | xlsx.Style(border=True)
    if table.has_groups:
        groups, headings = [], []
        for column in table.columns:
            groups.append(column.group or column.heading)
            headings.append(column.heading if column.group else "")
        first = sheet.table_header(groups, header_style)
        sheet.table_header(headings, header_style)
        _merge_groups(sheet, table, first)
    else:
        sheet.table_header([column.heading for column in table.columns], header_style)
    box = xlsx.Style(border=True)
    for row in table.rows:
        sheet.append([_xlsx_value(value, column.kind) for value, column in zip(row, table.columns, strict=True)], box)
    if table.total is not None:
        cells = [_xlsx_value(value, column.kind) for value, column in zip(table.total, table.columns, strict=True)]
        sheet.append(cells, box | xlsx.Style(bold=True, fill="E8ECF1"))
    for note in notes:
        sheet.append([note], xlsx.Style(italic=True))
    # The first column (the row's name) wide, numbers 14; other texts (a school's name beside
    # its province) as wide as their longest value (``finish_table``).
    widths = {get_column_letter(1): 40} | {
        get_column_letter(index): 14 for index, column in enumerate(table.columns[1:], start=2) if column.kind != TEXT
    }
    sheet.finish_table(widths, landscape=len(table.columns) > 6)
    return book.to_bytes()


def _letter(index: int) -> str:
    """The letter of a sheet's column, from 1 (A) to 702 (ZZ)."""
    first, second = divmod(index - 1, 26)
    return (chr(64 + first) if first else "") + chr(65 + second)


def _merge_groups(sheet, table: Table, first_row: int) -> None:
    """Merge each group's heading over its columns, and an ungrouped heading over its two rows."""
    index = 0
    while index < len(table.columns):
        column = table.columns[index]
        letter = _letter(index + 1)
        if not column.group:
            sheet.merge(f"{letter}{first_row}:{letter}{first_row + 1}")
            index += 1
            continue
        span = 1
        while index + span < len(table.columns) and table.columns[index + span].group == column.group:
            span += 1
        if span > 1:
            sheet.merge(f"{letter}{first_row}:{_letter(index + span)}{first_row}")
        index += span
