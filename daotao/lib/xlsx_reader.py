"""The cells of an .xlsx workbook, read within limits (for the imports; no Django here).

openpyxl's reader trusts what a file declares: it loads every shared string at once, fills
the gap between row 1 and row 1.048.576 with a million empty rows, builds a tree of
whatever the XML nests, and parses with expat, which expands entities. A 148 KB workbook
could hold a worker for minutes and gigabytes. This reader is for untrusted uploads:

- the zip's directory is checked before anything is inflated: only stored or deflated
  parts, all of them together at most ``Limits.xml_bytes`` once inflated, the shared
  strings at most ``Limits.strings_bytes`` and the other parts read whole at most
  ``SMALL_PART`` (Python's zipfile holds each part to the size its directory declares);
- every XML part is streamed through expat, a chunk at a time, and no tree is built: a DTD
  (hence any entity) is refused, so is nesting deeper than ``MAX_DEPTH`` and any single
  token (a tag, a comment) longer than ``MAX_TOKEN``, which expat would otherwise buffer;
- a sheet yields only its rows that hold a value, as they are parsed, so gaps cost nothing;
  rows, cells and columns are counted as they come, and the sheet is refused
  (``SheetRefused``) at the first one past ``Limits``, with where it is;
- text is counted as it comes, never kept past ``Limits.cell_chars``: such a cell's value is
  ``TooLong``, and a formula's is ``Formula``, so that the caller names the cell.

Values are as openpyxl gives them (``data_only=False``): numbers, text, booleans, dates by
the cell's number format, error codes as text.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

MB = 1024 * 1024
MAX_DEPTH = 64  # Excel nests a dozen elements at most
MAX_TOKEN = MB  # the longest tag or comment; text is streamed and not bound by this
SMALL_PART = 8 * MB  # the workbook, its relationships, its styles
MAX_PARTS = 10_000
MAX_MERGED = 10_000
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
_CHUNK = 64 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls, and .xlsx encrypted with a password

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships "
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships "
_WORKSHEET_TYPE = _RELATIONSHIP.strip() + "/worksheet"
_STRINGS_TYPE = _RELATIONSHIP.strip() + "/sharedStrings"
_STYLES_TYPE = _RELATIONSHIP.strip() + "/styles"
_COLUMNS = {get_column_letter(index): index for index in range(1, EXCEL_COLUMNS + 1)}
_DIGITS = "0123456789"


@dataclass(frozen=True)
class Limits:
    """What a workbook may hold. The imports take theirs from the settings
    (``daotao.cohorts.importing.reading.limits``); these defaults are the settings' own."""

    file_bytes: int = 10 * MB  # the file as uploaded
    xml_bytes: int = 100 * MB  # every part, inflated
    strings_bytes: int = 16 * MB  # the shared strings part, inflated
    rows: int = 20_010  # the last row read
    columns: int = 60  # the last column read
    cell_chars: int = 2_000  # the longest text kept

    @property
    def cells(self) -> int:
        return self.rows * self.columns


class WorkbookRefused(Exception):
    """The file as a whole is not read. ``reason``: ``empty``, ``too_large``, ``xls``,
    ``not_xlsx``, ``damaged``, ``inflated``, ``part``, ``dtd``, ``nesting`` or ``token``;
    ``figures``: the sizes and limits the reason names."""

    def __init__(self, reason: str, **figures):
        super().__init__(reason, figures)
        self.reason, self.figures = reason, figures


class SheetRefused(Exception):
    """A sheet is not read. ``reason``: ``rows``, ``cells``, ``columns``, ``merged`` or
    ``damaged``; ``row`` and ``column`` (a number) where the reader stopped."""

    def __init__(self, reason: str, row: int | None = None, column: int | None = None):
        super().__init__(reason, row, column)
        self.reason, self.row, self.column = reason, row, column


@dataclass(frozen=True)
class TooLong:
    """A cell's text longer than ``Limits.cell_chars``: only its length is kept."""

    length: int


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula (its text, at most ``Limits.cell_chars`` long)."""

    text: str


class _Text:
    """Text as it comes: its length counted, its pieces kept up to the limit."""

    __slots__ = ("length", "parts")

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0

    def value(self, limit: int) -> str | TooLong:
        return TooLong(self.length) if self.length > limit else "".join(self.parts)


class _Part:
    """An expat handler with the guards every part gets; subclasses add ``on_start``."""

    def __init__(self):
        self.depth = 0

    def start(self, name: str, attrs: dict) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise WorkbookRefused("nesting", depth=MAX_DEPTH)
        self.on_start(name, attrs)

    def end(self, name: str) -> None:
        self.depth -= 1

    def on_start(self, name: str, attrs: dict) -> None:
        raise NotImplementedError


def _no_dtd(*args) -> None:
    raise WorkbookRefused("dtd")


def _parse(handler: _Part, source, data=None) -> Iterator[None]:
    """Feed ``source`` to expat a chunk at a time, yielding after each chunk (so a sheet's
    rows can be handed on as they are parsed)."""
    # expat hands every name through this dictionary: seeded with the handler's own names,
    # it gives back those very objects, which the handler then tells apart by identity.
    interned = {name: name for name in getattr(handler, "NAMES", ())}
    parser = expat.ParserCreate(namespace_separator=" ", intern=interned)
    parser.buffer_text = True
    parser.buffer_size = _CHUNK
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    if data is not None:
        parser.CharacterDataHandler = data
    fed = 0
    while chunk := source.read(_CHUNK):
        parser.Parse(chunk, False)
        fed += len(chunk)
        # Text reaches the handlers as it comes; a tag or a comment is held whole first.
        if fed - max(parser.CurrentByteIndex, 0) > MAX_TOKEN:
            raise WorkbookRefused("token", limit=MAX_TOKEN)
        yield
    parser.Parse(b"", True)
    yield


class _Relationships(_Part):
    def __init__(self, folder: str):
        super().__init__()
        self.folder, self.targets = folder, {}

    def on_start(self, name, attrs):
        if name == _PACKAGE + "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.join(self.folder, target)
            self.targets[attrs.get("Id")] = (attrs.get("Type", ""), posixpath.normpath(path))


class _WorkbookPart(_Part):
    def __init__(self):
        super().__init__()
        self.sheets: list[tuple[str, str]] = []  # (name, relationship id)
        self.date1904 = False

    def on_start(self, name, attrs):
        if name == _MAIN + "sheet":
            self.sheets.append((attrs.get("name", ""), attrs.get(_RELATIONSHIP + "id", "")))
        elif name == _MAIN + "workbookPr":
            self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")


class _Styles(_Part):
    """Which cell formats (by index) show a number as a date or a duration."""

    def __init__(self):
        super().__init__()
        self.custom: dict[int, str] = {}
        self.formats: list[int] = []  # the number format of each cell format, in order
        self.in_cell_formats = False

    def on_start(self, name, attrs):
        if name == _MAIN + "numFmt":
            self.custom[int(attrs.get("numFmtId", 0))] = attrs.get("formatCode", "")
        elif name == _MAIN + "cellXfs":
            self.in_cell_formats = True
        elif name == _MAIN + "xf" and self.in_cell_formats:
            self.formats.append(int(attrs.get("numFmtId", 0)))

    def end(self, name):
        super().end(name)
        if name == _MAIN + "cellXfs":
            self.in_cell_formats = False

    def kinds(self) -> tuple[frozenset[int], frozenset[int]]:
        codes = [self.custom.get(number, BUILTIN_FORMATS.get(number)) for number in self.formats]
        dates = frozenset(index for index, code in enumerate(codes) if is_date_format(code))
        durations = frozenset(index for index, code in enumerate(codes) if is_timedelta_format(code))
        return dates, durations


class _SharedStrings(_Part):
    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit
        self.strings: list[str | TooLong] = []
        self.text: _Text | None = None
        self.collecting = False
        self.phonetic = 0  # inside <rPh>, a reading guide that is not part of the text

    def on_start(self, name, attrs):
        if name == _MAIN + "si":
            self.text = _Text()
        elif name == _MAIN + "t":
            self.collecting = self.text is not None and not self.phonetic
        elif name == _MAIN + "rPh":
            self.phonetic += 1

    def end(self, name):
        super().end(name)
        if name == _MAIN + "t":
            self.collecting = False
        elif name == _MAIN + "rPh":
            self.phonetic -= 1
        elif name == _MAIN + "si" and self.text is not None:
            value = self.text.value(self.limit)
            self.strings.append(value.replace("x005F_", "") if isinstance(value, str) else value)
            self.text = None

    def data(self, text: str) -> None:
        if self.collecting:
            self.text.length += len(text)
            if self.text.length <= self.limit:
                self.text.parts.append(text)


def _number(text: str) -> int | float:
    return float(text) if "." in text or "e" in text or "E" in text else int(text)


_ROW, _CELL, _VALUE = _MAIN + "row", _MAIN + "c", _MAIN + "v"
_INLINE, _TEXT = _MAIN + "is", _MAIN + "t"  # an inline string (as openpyxl writes text) and its text
_TEXT_KINDS = ("inlineStr", "str", "e")  # cell types whose value is the text as written


class _SheetPart(_Part):
    """The rows of a worksheet, each handed on (in ``pending``) once its last cell is read.

    A sheet of 10.000 rows is some 700.000 elements, each a call of ``start`` and of
    ``end``: the most frequent (a cell, its value or inline string and text) are handled
    there, told apart by identity (``NAMES``, interned by ``_parse``), the others by a
    method each."""

    NAMES = (_CELL, _VALUE, _INLINE, _TEXT)

    def __init__(self, book: Workbook):
        super().__init__()
        limits = book.limits
        self.strings, self.dates, self.durations, self.epoch = book.strings, book.dates, book.durations, book.epoch
        self.limits, self.chars = limits, limits.cell_chars
        self.most_elements = 4 * limits.cells + 1_000
        self.most_cells = limits.cells
        self.elements = self.rows = self.cells = 0
        self.row = self.column = 0
        self.current: dict[int, object] | None = None  # the row being read
        self.pending: list[tuple[int, dict[int, object]]] = []
        self.merged: list[tuple[int, int, int, int]] = []
        self.shared_formulas: dict[str, str] = {}
        self.kind = self.style = None
        self.value: _Text | None = None  # the open cell's value (<v>, or <t> of an inline string)
        self.formula: _Text | None = None
        self.formula_attrs: dict = {}
        self.target: _Text | None = None  # where text goes now
        self.inline = False
        self.phonetic = 0
        self.starts = {
            _ROW: self.start_row,
            _MAIN + "f": self.start_formula,
            _MAIN + "rPh": self.start_phonetic,
            _MAIN + "mergeCell": self.start_merged,
        }
        self.ends = {
            _ROW: self.end_row,
            _MAIN + "f": self.end_text,
            _MAIN + "rPh": self.end_phonetic,
        }

    def start(self, name, attrs):  # the guards of _Part.start, inlined: called for every element
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise WorkbookRefused("nesting", depth=MAX_DEPTH)
        self.elements += 1
        if self.elements > self.most_elements:
            raise SheetRefused("cells", self.row or None)
        if name is _CELL:  # counted, and its column found
            self.cells += 1
            if self.cells > self.most_cells:
                raise SheetRefused("cells", self.row or None)
            reference = attrs.get("r")
            if reference is None:
                column = self.column + 1
            else:
                column = _COLUMNS.get(reference.rstrip(_DIGITS))
                if column is None:
                    raise SheetRefused("damaged", self.row or None)
            if column > EXCEL_COLUMNS:
                raise SheetRefused("damaged", self.row or None)
            self.column = column
            self.kind, self.style = attrs.get("t", "n"), attrs.get("s")
            self.value, self.formula, self.target = _Text(), None, None
        elif name is _INLINE:
            self.inline = True
        elif name is _TEXT:
            if self.value is not None and self.inline and not self.phonetic:
                self.target = self.value
        elif name is _VALUE:
            if self.value is not None:
                self.target = self.value
        else:
            handle = self.starts.get(name)
            if handle is not None:
                handle(attrs)

    def end(self, name):
        self.depth -= 1
        if name is _TEXT or name is _VALUE:
            self.target = None
        elif name is _CELL:
            self.end_cell()
        elif name is _INLINE:
            self.inline = False
        else:
            handle = self.ends.get(name)
            if handle is not None:
                handle()

    def data(self, text: str) -> None:
        target = self.target
        if target is not None:
            target.length += len(text)
            if target.length <= self.chars:
                target.parts.append(text)

    # -- rows and cells ---------------------------------------------------------------

    def start_row(self, attrs):
        self.rows += 1
        number = attrs.get("r")
        if number is None:
            number = self.row + 1
        elif number.isdigit() and len(number) <= 7:
            number = int(number)
        else:
            raise SheetRefused("damaged", self.row or None)
        if not 1 <= number <= EXCEL_ROWS:
            raise SheetRefused("damaged", self.row or None)
        if self.rows > self.limits.rows:
            raise SheetRefused("rows", number)
        self.row, self.column, self.current = number, 0, {}

    def end_row(self):
        if self.current and self.row > self.limits.rows:
            raise SheetRefused("rows", self.row)
        if self.current:
            self.pending.append((self.row, self.current))
        self.current = None

    def end_cell(self):
        text = self.value
        if text is None:  # not in a cell
            return
        if self.formula is None and self.kind in _TEXT_KINDS:  # cell_value's first case, inlined
            value = TooLong(text.length) if text.length > self.chars else "".join(text.parts)
        else:
            value = self.cell_value()
        self.value = self.formula = self.target = None
        if value is None or value == "" or self.current is None:
            return
        if self.column > self.limits.columns:
            if isinstance(value, str) and not value.strip():
                return
            raise SheetRefused("columns", self.row, self.column)
        self.current[self.column] = value

    def cell_value(self):
        """The open cell's value, as openpyxl reads it with ``data_only=False``."""
        if self.formula is not None:
            return Formula(self.formula_text())
        text = self.value.value(self.chars)
        if isinstance(text, TooLong) or self.kind in _TEXT_KINDS:
            return text
        if not text:
            return None
        try:
            if self.kind == "n":
                number = _number(text)
                style = int(self.style) if self.style else 0
                if style in self.dates:
                    try:
                        return from_excel(number, self.epoch, timedelta=style in self.durations)
                    except (OverflowError, ValueError):
                        return "#VALUE!"
                return number
            if self.kind == "s":
                index = int(text)
                if index < 0:
                    raise IndexError(index)
                return self.strings[index]
            if self.kind == "b":
                return bool(int(text))
            if self.kind == "d":
                return from_ISO8601(text)
        except (ValueError, IndexError, TypeError):
            raise SheetRefused("damaged", self.row, self.column) from None
        return text

    def formula_text(self) -> str:
        """``=`` and the formula; a shared formula's later cells show the first one's."""
        text = self.formula.value(self.chars)
        text = "=" + (text if isinstance(text, str) else "…")
        if self.formula_attrs.get("t") == "shared":
            index = self.formula_attrs.get("si", "")
            if text == "=":
                return self.shared_formulas.get(index, text)
            if len(self.shared_formulas) < 1_000:
                self.shared_formulas[index] = text
        return text

    # -- what a cell holds --------------------------------------------------------------

    def start_formula(self, attrs):
        if self.value is not None:
            self.formula, self.formula_attrs = _Text(), attrs
            self.target = self.formula

    def end_text(self):
        self.target = None

    def start_phonetic(self, attrs):
        self.phonetic += 1

    def end_phonetic(self):
        self.phonetic -= 1

    def start_merged(self, attrs):
        if len(self.merged) >= MAX_MERGED:
            raise SheetRefused("merged")
        try:
            low_column, low_row, high_column, high_row = range_boundaries(attrs.get("ref", ""))
        except (ValueError, TypeError):
            raise SheetRefused("damaged") from None
        if None not in (low_column, low_row, high_column, high_row):
            self.merged.append((low_column, low_row, high_column, high_row))


class Sheet:
    """A worksheet's rows that hold a value, in file order, as ``(row number, {column
    number: value})``; its merged ranges (min column, min row, max column, max row) once
    the rows are read."""

    def __init__(self, book: Workbook, part: str):
        self.book, self.part = book, part
        self.merged: list[tuple[int, int, int, int]] = []

    def __iter__(self) -> Iterator[tuple[int, dict[int, object]]]:
        handler = _SheetPart(self.book)
        try:
            with self.book.archive.open(self.part) as source:
                for _ in _parse(handler, source, handler.data):
                    if handler.pending:
                        yield from handler.pending
                        handler.pending.clear()
        except expat.ExpatError:
            raise SheetRefused("damaged", handler.row or None) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
            raise SheetRefused("damaged", handler.row or None) from None
        self.merged = handler.merged


class Workbook:
    """An .xlsx opened for reading: ``sheet_names`` in the workbook's order, ``sheet(name)``
    for a worksheet's rows. Use as a context manager; raises WorkbookRefused."""

    def __init__(self, stream, size: int, limits: Limits):
        self.limits = limits
        self.archive = _open_archive(stream, size, limits)
        self.names = set(self.archive.namelist())
        try:
            self._read()
        except BaseException:
            self.archive.close()
            raise

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc) -> None:
        self.archive.close()

    def _read(self) -> None:
        workbook = self._parse("xl/workbook.xml", _WorkbookPart(), SMALL_PART)
        relations = _Relationships("xl")
        if "xl/_rels/workbook.xml.rels" in self.names:
            self._parse("xl/_rels/workbook.xml.rels", relations, SMALL_PART)
        by_type: dict[str, str] = {}
        for kind, target in relations.targets.values():
            by_type.setdefault(kind, target)
        self.epoch = MAC_EPOCH if workbook.date1904 else WINDOWS_EPOCH
        self.sheet_names = [name for name, _id in workbook.sheets]
        self._parts: dict[str, tuple[str, str]] = {}  # name -> (relationship type, part)
        for name, relation in workbook.sheets:
            kind, target = relations.targets.get(relation, ("", ""))
            if target in self.names:
                self._parts.setdefault(name, (kind, target))
        self.dates = self.durations = frozenset()
        styles = by_type.get(_STYLES_TYPE)
        if styles in self.names:
            self.dates, self.durations = self._parse(styles, _Styles(), SMALL_PART).kinds()
        self.strings: list[str | TooLong] = []
        strings = by_type.get(_STRINGS_TYPE)
        if strings in self.names:
            handler = _SharedStrings(self.limits.cell_chars)
            self.strings = self._parse(strings, handler, self.limits.strings_bytes, handler.data).strings

    def _parse(self, part: str, handler: _Part, limit: int, data=None):
        _check_part(self.archive.getinfo(part), limit)
        try:
            with self.archive.open(part) as source:
                for _ in _parse(handler, source, data):
                    pass
        except (expat.ExpatError, ValueError, TypeError):
            raise WorkbookRefused("damaged") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
            raise WorkbookRefused("damaged") from None
        return handler

    def has_sheet(self, name: str) -> bool:
        return name in self._parts

    def is_worksheet(self, name: str) -> bool:
        return self._parts[name][0] == _WORKSHEET_TYPE

    def sheet(self, name: str) -> Sheet:
        return Sheet(self, self._parts[name][1])


def _check_part(info: zipfile.ZipInfo, limit: int) -> None:
    if info.file_size > limit:
        raise WorkbookRefused("part", part=info.filename, size=info.file_size, limit=limit)


def _open_archive(stream, size: int, limits: Limits) -> zipfile.ZipFile:
    """The file as a zip whose directory passed every check, before anything is inflated."""
    if size == 0:
        raise WorkbookRefused("empty")
    if size > limits.file_bytes:
        raise WorkbookRefused("too_large", size=size, limit=limits.file_bytes)
    stream.seek(0)
    magic = stream.read(8)
    stream.seek(0)
    if magic.startswith(_OLE_MAGIC):
        raise WorkbookRefused("xls")
    if not zipfile.is_zipfile(stream):
        raise WorkbookRefused("not_xlsx")
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, io.UnsupportedOperation):
        raise WorkbookRefused("damaged") from None
    try:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise WorkbookRefused("damaged")
        names = {info.filename for info in infos}
        if "xl/workbook.xml" not in names:
            raise WorkbookRefused("not_xlsx")
        for info in infos:
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
                raise WorkbookRefused("damaged")
        inflated = sum(info.file_size for info in infos)
        if inflated > limits.xml_bytes:
            raise WorkbookRefused("inflated", size=inflated, limit=limits.xml_bytes)
        for info in infos:
            if info.filename.lower().endswith("sharedstrings.xml"):
                _check_part(info, limits.strings_bytes)
            elif info.filename in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"):
                _check_part(info, SMALL_PART)
    except BaseException:
        archive.close()
        raise
    return archive
