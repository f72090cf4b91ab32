"""Import of classes and their students from one .xlsx workbook (docs/import-format.md).

The sheet ``Lop`` holds one row per class, the sheet ``HocVien`` one row per student of a
class with the student's personal data. ``cohorts_import`` reads and checks every row
first and writes only when the whole file is right (all or nothing): cohorts by class code,
students by national ID, enrollments by (student, cohort), in one transaction of bulk
statements. Importing the same file again changes nothing.

The sheet and column names and the Vietnamese choice labels below are the file format, so
they are literals; every message is translated.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import logging
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Upper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from daotao.cohorts.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus, Funding, Mode
from daotao.lib import national_id as cccd
from daotao.lib.vietnamese import fold, format_date, format_decimal, format_int, normalize_space, parse_date
from daotao.org.models import Unit, UnitKind
from daotao.people.models import Student
from daotao.programs.models import Program

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_SEARCH_ROWS = 10  # the header may sit below a title row or two
IN_CHUNK = 900  # values per IN (...) lookup: under SQLite's oldest parameter limit
BATCH = 500
# A zip that inflates beyond this many times the upload limit is refused unread.
MAX_INFLATION = 50

HOST_KINDS = (UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.POLITICAL_CENTRE, UnitKind.SCHOOL)
LOCALITY_KINDS = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE)
AGENCY_KINDS = (UnitKind.AGENCY,)


# --- the file format ---------------------------------------------------------------


def _label_key(text) -> str:
    """Header and sheet names compared without case, accents, punctuation or extra spaces."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(str(text or ""))).split())


class Choices:
    """The accepted spellings of a choice column: Vietnamese labels and internal codes."""

    def __init__(self, labels: dict[str, tuple[str, ...]]):
        self.labels = labels
        self._lookup = {_label_key(name): code for code, names in labels.items() for name in (code, *names)}

    def __getitem__(self, text: str) -> str | None:
        return self._lookup.get(_label_key(text))

    def shown(self) -> str:
        return ", ".join([names[0] for names in self.labels.values()] + list(self.labels))

    def label(self, code: str) -> str:
        return self.labels[code][0]


MODES = Choices({Mode.CONCENTRATED: ("Tập trung",), Mode.NON_CONCENTRATED: ("Không tập trung",)})
FUNDINGS = Choices(
    {
        Funding.SUPPORTED: ("Được hỗ trợ kinh phí", "Được hỗ trợ", "Hỗ trợ"),
        Funding.SELF_FUNDED: ("Tự túc kinh phí", "Tự túc"),
    }
)
COHORT_STATUSES = Choices(
    {
        CohortStatus.PLANNED: ("Dự kiến",),
        CohortStatus.OPEN: ("Đang học",),
        CohortStatus.CLOSED: ("Đã kết thúc", "Kết thúc", "Đã bế giảng"),
        CohortStatus.CANCELLED: ("Đã hủy", "Hủy"),
    }
)
ENROLLMENT_STATUSES = Choices(
    {
        EnrollmentStatus.STUDYING: ("Đang học",),
        EnrollmentStatus.COMPLETED: ("Hoàn thành", "Đã hoàn thành"),
        EnrollmentStatus.WITHDRAWN: ("Thôi học",),
        EnrollmentStatus.DEFERRED: ("Bảo lưu",),
        EnrollmentStatus.TRANSFERRED: ("Chuyển lớp",),
        EnrollmentStatus.CANCELLED: ("Đã hủy", "Hủy"),
    }
)
GENDERS = Choices({cccd.MALE: ("Nam",), cccd.FEMALE: ("Nữ",)})


@dataclass(frozen=True)
class Column:
    key: str  # the model field it fills (or the reference it resolves)
    header: str  # as written in the workbook
    required: bool = False
    help: str = ""  # lazy, for the HuongDan sheet
    aliases: tuple[str, ...] = ()
    choices: Choices | None = None
    width: int = 18


@dataclass(frozen=True)
class SheetFormat:
    name: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def match(self, label) -> Column | None:
        key = _label_key(label)
        return next((c for c in self.columns if key and key in {_label_key(n) for n in (c.header, *c.aliases)}), None)


COHORTS = SheetFormat(
    "Lop",
    (
        Column(
            "code", "Mã lớp", True,
            gettext_lazy("Unique code of the class; a class on record with this code is updated."), width=16,
        ),
        Column("name", "Tên lớp", True, gettext_lazy("Full name of the class."), width=44),
        Column("program", "Mã chương trình", True, gettext_lazy("Code of the program."), ("Mã CT",)),
        Column(
            "mode", "Hình thức", True, gettext_lazy("How the class is held."),
            ("Hình thức đào tạo", "Hình thức học"), MODES,
        ),
        Column(
            "funding", "Kinh phí", True, gettext_lazy("Who pays the training costs."),
            ("Nguồn kinh phí",), FUNDINGS, 22,
        ),
        Column(
            "host_locality", "Mã địa phương", True,
            gettext_lazy("Code of the unit where the class is held: a locality, a political centre or the school."),
            ("Mã địa phương mở lớp",), width=16,
        ),
        Column("venue", "Địa điểm", False, gettext_lazy("Where the lessons take place."), ("Địa điểm học",), width=30),
        Column("opening_date", "Ngày khai giảng", True, gettext_lazy("Opening date (dd/mm/yyyy)."), width=16),
        Column(
            "closing_date", "Ngày bế giảng", False,
            gettext_lazy("Closing date (dd/mm/yyyy), not before the opening date."), width=16,
        ),
        Column(
            "status", "Trạng thái", False,
            gettext_lazy("Status of the class; empty means Studying for a new class."), (), COHORT_STATUSES, 14,
        ),
        Column(
            "plan_year", "Năm kế hoạch", False,
            gettext_lazy("Year of the annual plan whose quota the class fills."), width=14,
        ),
        Column("notes", "Ghi chú", False, gettext_lazy("Free text."), width=30),
    ),
)  # fmt: skip
STUDENTS = SheetFormat(
    "HocVien",
    (
        Column(
            "cohort", "Mã lớp", True,
            gettext_lazy("Code of the class: one of the sheet Lop or one on record."), width=16,
        ),
        Column(
            "national_id", "Số CCCD", True,
            gettext_lazy("Citizen identity card number (12 digits); it identifies the student across classes."),
            ("CCCD", "Số căn cước công dân", "Số căn cước", "Số định danh cá nhân"), width=16,
        ),
        Column("full_name", "Họ và tên", True, gettext_lazy("Full name, with diacritics."), ("Họ tên",), width=28),
        Column(
            "date_of_birth", "Ngày sinh", True,
            gettext_lazy("Date of birth (dd/mm/yyyy); the year must match digits 4-6 of the national ID."), width=14,
        ),
        Column(
            "gender", "Giới tính", False, gettext_lazy("Must match digit 4 of the national ID."), (), GENDERS, 10,
        ),
        Column("ethnicity", "Dân tộc", False, gettext_lazy("Ethnic group."), width=12),
        Column("phone", "Điện thoại", False, gettext_lazy("Phone number."), ("Số điện thoại",), width=14),
        Column("email", "Email", False, gettext_lazy("Email address."), ("Thư điện tử",), width=26),
        Column("position", "Chức vụ", False, gettext_lazy("Current position."), width=28),
        Column(
            "workplace", "Đơn vị công tác", False, gettext_lazy("Workplace."),
            ("Nơi công tác", "Cơ quan công tác"), width=30,
        ),
        Column(
            "locality", "Mã địa phương", False,
            gettext_lazy("Code of the locality that sends the student and receives the results."), width=16,
        ),
        Column(
            "agency", "Mã cơ quan", False, gettext_lazy("Code of the sending agency, if any."),
            ("Mã cơ quan cử đi học",), width=14,
        ),
        Column(
            "status", "Trạng thái", False,
            gettext_lazy("Status of the student in the class; empty means Studying for a new enrollment."),
            (), ENROLLMENT_STATUSES, 14,
        ),
        Column("notes", "Ghi chú", False, gettext_lazy("Notes on the student in this class."), width=30),
    ),
)  # fmt: skip
SHEETS = (COHORTS, STUDENTS)

# Fields an import may change on a record already in the database.
COHORT_FIELDS = [c.key for c in COHORTS.columns if c.key != "code"]
STUDENT_FIELDS = [
    "date_of_birth", "gender", "ethnicity", "phone", "email", "position", "workplace", "locality", "agency",
]  # fmt: skip
ENROLLMENT_FIELDS = ["status", "notes"]
_DERIVED_NAME_FIELDS = ("given_name", "sort_key", "search_key")


def _state(instance: models.Model, fields: list[str]) -> tuple:
    """The values of ``fields`` (foreign keys by id, so nothing is fetched) to detect changes."""
    return tuple(getattr(instance, instance._meta.get_field(name).attname) for name in fields)


# --- problems and results ----------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """One reason the file was refused; ``row`` is the row number Excel shows."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""  # the header as the format names it, with the column letter

    def __str__(self) -> str:
        params = {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}
        if self.sheet and self.row and self.column:
            return _("Sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s") % params
        if self.sheet and self.row:
            return _("Sheet %(sheet)s, row %(row)s: %(message)s") % params
        if self.sheet:
            return _("Sheet %(sheet)s: %(message)s") % params
        return self.message


class ImportRejected(Exception):
    """The workbook was refused and nothing was written; ``problems`` says why."""

    def __init__(self, problems: list[ImportProblem]):
        rank = {sheet.name: index for index, sheet in enumerate(SHEETS, start=1)}
        self.problems = sorted(problems, key=lambda p: (rank.get(p.sheet, 0), p.row or 0))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    cohorts: Tally = field(default_factory=Tally)
    students: Tally = field(default_factory=Tally)
    enrollments: Tally = field(default_factory=Tally)
    dry_run: bool = False

    def lines(self) -> list[str]:
        counts = [
            (_("Classes: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."), self.cohorts),
            (_("Students: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."), self.students),
            (_("Enrollments: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."), self.enrollments),
        ]
        head = _("The file is valid; nothing was written (check only).") if self.dry_run else _("Import finished.")
        return [head] + [
            text % {k: format_int(getattr(tally, k)) for k in ("created", "updated", "unchanged")}
            for text, tally in counts
        ]

    def summary(self) -> str:
        return " ".join(self.lines())


# --- reading the workbook ----------------------------------------------------------


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


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheet(worksheet, sheet: SheetFormat) -> tuple[SheetRows | None, list[ImportProblem]]:
    """The data rows of a sheet, keyed by column; or the problems of its header row."""
    if not hasattr(worksheet, "iter_rows"):
        return None, [ImportProblem(_("This is not a worksheet."), sheet.name)]
    worksheet.reset_dimensions()  # the stored size may be wrong; read what is there
    rows = enumerate(worksheet.iter_rows(values_only=True), start=1)
    top = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    filled = [(number, values) for number, values in top if any(not _is_empty(v) for v in values)]
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
    data: list[tuple[int, dict[str, object]]] = []
    for number, values in itertools.chain(top, rows):
        if number <= header_row:
            continue
        cells = {key: values[index] if index < len(values) else None for key, index in positions.items()}
        if not all(_is_empty(v) for v in cells.values()):
            data.append((number, cells))
    if not data:
        return None, [ImportProblem(_("The sheet has no data rows below its header."), sheet.name, header_row)]
    letters = {key: get_column_letter(index + 1) for key, index in positions.items()}
    return SheetRows(sheet, letters, data), []


def read_workbook(source) -> dict[str, SheetRows]:
    """Both sheets of the workbook, or ImportRejected with every file and header problem."""
    stream, size, owned = _open(source)
    try:
        problem = _file_problem(stream, size)
        if problem:
            raise ImportRejected([ImportProblem(problem)])
        try:
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds of errors on a broken file
            logger.info("unreadable workbook", exc_info=True)
            raise ImportRejected([ImportProblem(_("The workbook is damaged and cannot be read."))]) from None
        try:
            titles = {_label_key(title).replace(" ", ""): title for title in workbook.sheetnames}
            result: dict[str, SheetRows] = {}
            problems: list[ImportProblem] = []
            for sheet in SHEETS:
                title = titles.get(_label_key(sheet.name).replace(" ", ""))
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
        raise ImportRejected(problems)
    return result


# --- checking each row -------------------------------------------------------------

_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$")
_PHONE = re.compile(r"^\+?[0-9 .()-]{6,20}$")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return format_date(value)
    return normalize_space(str(value))


def _national_id(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        # A number cell loses the leading zero that every province code starts with.
        return str(int(value)).zfill(12)
    return re.sub(r"\s+", "", _text(value))


def _same_name(first: str, second: str) -> bool:
    return normalize_space(first).casefold() == normalize_space(second).casefold()


def _validation_message(name: str, error: ValidationError) -> str:
    params = error.params or {}
    if error.code == "max_length":
        return _("Too long: at most %(limit)s characters (this one has %(length)s).") % {
            "limit": params.get("limit_value"),
            "length": params.get("show_value"),
        }
    if name == "email" and error.code == "invalid":
        return _("“%(value)s” is not a valid email address.") % {"value": params.get("value", "")}
    return " ".join(error.messages)


class RowReader:
    """Reads the cells of one row into Python values, recording every problem."""

    def __init__(self, sheet: SheetRows, number: int, cells: dict[str, object], problems: list[ImportProblem]):
        self.sheet, self.number, self.cells, self.problems = sheet, number, cells, problems
        self.failed: set[str] = set()

    def fail(self, key: str, message: str) -> None:
        self.failed.add(key)
        self.problems.append(ImportProblem(message, self.sheet.format.name, self.number, self.sheet.where(key)))

    def raw(self, key: str):
        value = self.cells.get(key)
        if _is_empty(value):
            if self.sheet.format.column(key).required:
                self.fail(key, _("A value is required."))
            return None
        return value

    def text(self, key: str) -> str:
        value = self.raw(key)
        return "" if value is None else _text(value)

    def code(self, key: str) -> str:
        return self.text(key).upper()

    def choice(self, key: str) -> str:
        value = self.raw(key)
        if value is None:
            return ""
        choices = self.sheet.format.column(key).choices
        code = choices[_text(value)]
        if code is None:
            self.fail(
                key,
                _("“%(value)s” is not an accepted value; use one of: %(choices)s.")
                % {"value": _text(value), "choices": choices.shown()},
            )
            return ""
        return code

    def date(self, key: str, *, past: bool = False) -> dt.date | None:
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        else:
            text = _text(value)
            match = _DATE.match(text)
            try:
                if match and len(match[3]) != 4:
                    raise ValueError(text)
                day = parse_date(f"{match[1]}/{match[2]}/{match[3]}" if match else text)
            except ValueError:
                self.fail(key, _("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": text})
                return None
        if not 1900 <= day.year <= 2100:
            self.fail(key, _("The date %(value)s is out of range.") % {"value": format_date(day)})
            return None
        if past and day >= dt.date.today():
            self.fail(key, _("The date of birth must be in the past."))
            return None
        return day

    def year(self, key: str) -> int | None:
        value = self.raw(key)
        if value is None:
            return None
        text = _text(value)
        if not text.isdigit() or not 1945 <= int(text) <= 2100:
            self.fail(key, _("“%(value)s” is not a year.") % {"value": text})
            return None
        return int(text)

    def national_id(self, key: str) -> str:
        value = self.raw(key)
        return "" if value is None else _national_id(value)

    def phone(self, key: str) -> str:
        value = self.raw(key)
        if value is None:
            return ""
        text = _text(value)
        if isinstance(value, int | float) and len(text) == 9:
            text = "0" + text  # a number cell drops the leading zero of a mobile number
        if not _PHONE.match(text):
            self.fail(key, _("“%(value)s” is not a phone number.") % {"value": text})
            return ""
        return text

    def unit(self, key: str, units: dict[str, Unit], kinds: Iterable[str], wrong_kind: str) -> Unit | None:
        code = self.code(key)
        if not code:
            return None
        unit = units.get(code)
        if unit is None:
            self.fail(key, _("Unknown unit code “%(code)s”.") % {"code": code})
        elif unit.kind not in kinds:
            self.fail(key, wrong_kind % {"code": code, "name": unit.name})
            return None
        return unit

    def clean(self, instance: models.Model, exclude: Iterable[str] = ()) -> None:
        """The model's own validation (lengths, formats, ``clean``), reported per column.

        Foreign keys are resolved from preloaded codes and uniqueness is checked across the
        whole file, so neither is left to ``full_clean`` (which would query once per row).
        """
        keys = {c.key for c in self.sheet.format.columns}
        try:
            instance.full_clean(exclude=[*exclude, *self.failed], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, errors in error.error_dict.items():
                key = "full_name" if name in _DERIVED_NAME_FIELDS else name
                if key in self.failed:
                    continue  # already reported from the cell itself
                for problem in errors:
                    message = _validation_message(name, problem)
                    if key in keys:
                        self.fail(key, message)
                    else:
                        self.problems.append(ImportProblem(message, self.sheet.format.name, self.number))


def _chunks(values: list, size: int = IN_CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class _Changes:
    """What writing does to one model: rows to insert, rows to update."""

    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)


class Plan:
    """Every row checked against the rest of the file and the database, and what writing
    it would change. ``problems`` lists every bad row; when it is empty, ``write`` applies."""

    def __init__(self, sheets: dict[str, SheetRows]):
        self.problems: list[ImportProblem] = []
        self.cohort_sheet = sheets[COHORTS.name]
        self.student_sheet = sheets[STUDENTS.name]
        self.cohorts, self.students, self.enrollments = _Changes(), _Changes(), _Changes()
        self.result = ImportResult()
        self._load_records()
        cohorts = self._check_cohorts()
        self._check_students(cohorts)

    def _load_records(self) -> None:
        """Everything the file refers to, in a few queries whatever its length."""
        lop, hocvien = self.cohort_sheet.rows, self.student_sheet.rows
        program_codes = {_text(cells.get("program")).upper() for _, cells in lop} - {""}
        unit_codes = {_text(cells.get("host_locality")).upper() for _, cells in lop}
        unit_codes |= {_text(cells.get(key)).upper() for _, cells in hocvien for key in ("locality", "agency")}
        cohort_codes = {_text(cells.get("code")).upper() for _, cells in lop}
        cohort_codes |= {_text(cells.get("cohort")).upper() for _, cells in hocvien}
        national_ids = {_national_id(cells.get("national_id")) for _, cells in hocvien}
        # Program and unit tables are small: match their codes case-insensitively. No
        # ORDER BY: the look-ups fill dictionaries.
        programs = Program.objects.annotate(upper_code=Upper("code")).filter(upper_code__in=program_codes).order_by()
        self.programs = {p.upper_code: p for p in programs}
        units = Unit.objects.annotate(upper_code=Upper("code")).filter(upper_code__in=unit_codes - {""}).order_by()
        self.units = {u.upper_code: u for u in units}
        self.cohorts_on_record = {
            c.code: c
            for chunk in _chunks(sorted(cohort_codes - {""}))
            for c in Cohort.objects.filter(code__in=chunk).order_by()
        }
        self.students_on_record = {
            s.national_id: s
            for chunk in _chunks(sorted(national_ids - {""}))
            for s in Student.objects.filter(national_id__in=chunk).order_by()
        }
        student_pks = sorted(s.pk for s in self.students_on_record.values())
        cohort_pks = sorted(c.pk for c in self.cohorts_on_record.values())
        self.enrollments_on_record = {}
        if student_pks and cohort_pks:
            for chunk in _chunks(student_pks):
                for enrollment in Enrollment.objects.filter(student_id__in=chunk, cohort_id__in=cohort_pks):
                    self.enrollments_on_record[enrollment.student_id, enrollment.cohort_id] = enrollment

    def _tally(self, changes: _Changes, tally: Tally, instance: models.Model, before: tuple, after: tuple) -> None:
        if instance.pk is None:
            changes.new.append(instance)
            tally.created += 1
        elif before != after:
            changes.changed.append(instance)
            tally.updated += 1
        else:
            tally.unchanged += 1

    def _check_cohorts(self) -> dict[str, Cohort]:
        """Each class row, merged onto the class on record; the classes by code."""
        sheet = self.cohort_sheet
        first_rows: dict[str, int] = {}
        cohorts: dict[str, Cohort] = {}
        for number, cells in sheet.rows:
            row = RowReader(sheet, number, cells, self.problems)
            code = row.code("code")
            program_code = row.code("program")
            if program_code and program_code not in self.programs:
                row.fail("program", _("Unknown program code “%(code)s”.") % {"code": program_code})
            values = {
                "name": row.text("name"),
                "program": self.programs.get(program_code),
                "mode": row.choice("mode"),
                "funding": row.choice("funding"),
                "host_locality": row.unit(
                    "host_locality",
                    self.units,
                    HOST_KINDS,
                    _(
                        "The unit “%(code)s” (%(name)s) cannot host a class: "
                        "use a locality, a political centre or the school."
                    ),
                ),
                "venue": row.text("venue"),
                "opening_date": row.date("opening_date"),
                "closing_date": row.date("closing_date"),
                "status": row.choice("status"),
                "plan_year": row.year("plan_year"),
                "notes": row.text("notes"),
            }
            if code and code in first_rows:
                row.fail(
                    "code",
                    _("The class code %(code)s is already on row %(row)s of this sheet.")
                    % {"code": code, "row": first_rows[code]},
                )
                continue
            first_rows.setdefault(code, number)
            cohort = self.cohorts_on_record.get(code) or Cohort(code=code)
            before = _state(cohort, COHORT_FIELDS)
            for name, value in values.items():
                if value not in ("", None):  # an empty cell never erases what is on record
                    setattr(cohort, name, value)
            host, opening = values["host_locality"], cohort.opening_date
            if host and opening and not host.is_valid_on(opening):
                row.fail(
                    "host_locality",
                    _("The unit “%(code)s” (%(name)s) did not exist on the opening date %(date)s.")
                    % {"code": host.code, "name": host.name, "date": format_date(opening)},
                )
            row.clean(cohort, exclude=["program", "host_locality", "homeroom_lecturer"])
            if not row.failed:
                cohorts[code] = cohort
                self._tally(self.cohorts, self.result.cohorts, cohort, before, _state(cohort, COHORT_FIELDS))
        return cohorts

    def _check_students(self, cohorts: dict[str, Cohort]) -> None:
        """Each enrollment row; the students merged by national ID, then the enrollments."""
        sheet = self.student_sheet
        listed = {_text(cells.get("code")).upper() for _, cells in self.cohort_sheet.rows}
        first_rows: dict[str, tuple[int, str, dt.date | None]] = {}  # national ID -> row, name, birth
        pairs: dict[tuple[str, str], int] = {}  # (national ID, class code) -> row
        students: dict[str, tuple[Student, tuple]] = {}  # national ID -> student, state before
        enrollments: list[tuple[str, str, str, str]] = []
        for number, cells in sheet.rows:
            row = RowReader(sheet, number, cells, self.problems)
            cohort_code, number_id = row.code("cohort"), row.national_id("national_id")
            name, birth = row.text("full_name"), row.date("date_of_birth", past=True)
            values = {
                "gender": row.choice("gender"),
                "ethnicity": row.text("ethnicity"),
                "phone": row.phone("phone"),
                "email": row.text("email"),
                "position": row.text("position"),
                "workplace": row.text("workplace"),
                "locality": row.unit(
                    "locality", self.units, LOCALITY_KINDS, _("The unit “%(code)s” (%(name)s) is not a locality.")
                ),
                "agency": row.unit(
                    "agency", self.units, AGENCY_KINDS, _("The unit “%(code)s” (%(name)s) is not a sending agency.")
                ),
            }
            status, notes = row.choice("status"), row.text("notes")
            # This row's own data must make a valid student and enrollment (national ID
            # digits against birth year and gender, lengths, email).
            candidate = Student(national_id=number_id, date_of_birth=birth, **values)
            candidate.set_name(name)
            row.clean(candidate, exclude=["locality", "agency"])
            row.clean(
                Enrollment(status=status or EnrollmentStatus.STUDYING, notes=notes), exclude=["cohort", "student"]
            )
            if cohort_code and cohort_code not in listed and cohort_code not in self.cohorts_on_record:
                row.fail(
                    "cohort",
                    _("The class %(code)s is neither in the sheet %(sheet)s nor on record.")
                    % {"code": cohort_code, "sheet": COHORTS.name},
                )
            if number_id and "national_id" not in row.failed:
                self._check_same_person(row, number_id, name, birth, first_rows)
                if cohort_code and (number_id, cohort_code) in pairs:
                    row.fail(
                        "national_id",
                        _("This national ID is already in class %(code)s on row %(row)s.")
                        % {"code": cohort_code, "row": pairs[number_id, cohort_code]},
                    )
                pairs.setdefault((number_id, cohort_code), number)
            if row.failed:
                continue
            if number_id not in students:
                # A new student is this first row's candidate, whose name keys set_name()
                # derived above (bulk_create skips save(), which would derive them).
                student = self.students_on_record.get(number_id) or candidate
                students[number_id] = (student, _state(student, STUDENT_FIELDS))
            student = students[number_id][0]
            if student.date_of_birth is None:
                student.date_of_birth = birth
            for attribute, value in values.items():
                if value not in ("", None):  # the last non-empty value in the file wins
                    setattr(student, attribute, value)
            enrollments.append((number_id, cohort_code, status, notes))
        if self.problems:
            return
        for student, before in students.values():
            self._tally(self.students, self.result.students, student, before, _state(student, STUDENT_FIELDS))
        for number_id, cohort_code, status, notes in enrollments:
            cohort = cohorts.get(cohort_code) or self.cohorts_on_record[cohort_code]
            self._plan_enrollment(students[number_id][0], cohort, status, notes)

    def _check_same_person(self, row: RowReader, number_id: str, name: str, birth, first_rows: dict) -> None:
        """One national ID is one person: the same name and date of birth everywhere."""
        if number_id in first_rows:
            first_row, first_name, first_birth = first_rows[number_id]
            if name and first_name and not _same_name(name, first_name):
                row.fail(
                    "full_name",
                    _("The same national ID is on row %(row)s with another name (%(name)s).")
                    % {"row": first_row, "name": first_name},
                )
            if birth and first_birth and birth != first_birth:
                row.fail(
                    "date_of_birth",
                    _("The same national ID is on row %(row)s with another date of birth (%(date)s).")
                    % {"row": first_row, "date": format_date(first_birth)},
                )
            return
        first_rows[number_id] = (row.number, name, birth)
        on_record = self.students_on_record.get(number_id)
        if on_record is None:
            return
        if name and not _same_name(name, on_record.full_name):
            row.fail(
                "full_name",
                _("A student with this national ID is already on record as %(name)s.") % {"name": on_record.full_name},
            )
        if birth and on_record.date_of_birth and birth != on_record.date_of_birth:
            row.fail(
                "date_of_birth",
                _("A student with this national ID is already on record with the date of birth %(date)s.")
                % {"date": format_date(on_record.date_of_birth)},
            )

    def _plan_enrollment(self, student: Student, cohort: Cohort, status: str, notes: str) -> None:
        enrollment = self.enrollments_on_record.get((student.pk, cohort.pk)) if student.pk and cohort.pk else None
        if enrollment is None:
            enrollment = Enrollment(student=student, cohort=cohort, status=status or EnrollmentStatus.STUDYING)
            enrollment.notes, before = notes, ()
        else:
            before = _state(enrollment, ENROLLMENT_FIELDS)
            enrollment.status = status or enrollment.status
            enrollment.notes = notes or enrollment.notes
        self._tally(
            self.enrollments, self.result.enrollments, enrollment, before, _state(enrollment, ENROLLMENT_FIELDS)
        )

    def write(self) -> None:
        Cohort.objects.bulk_create(self.cohorts.new, batch_size=BATCH)
        _fill_pks(self.cohorts.new, Cohort, "code")
        Cohort.objects.bulk_update(self.cohorts.changed, COHORT_FIELDS, batch_size=BATCH)
        Student.objects.bulk_create(self.students.new, batch_size=BATCH)
        _fill_pks(self.students.new, Student, "national_id")
        Student.objects.bulk_update(self.students.changed, STUDENT_FIELDS, batch_size=BATCH)
        for enrollment in self.enrollments.new:
            enrollment.cohort_id, enrollment.student_id = enrollment.cohort.pk, enrollment.student.pk
        Enrollment.objects.bulk_create(self.enrollments.new, batch_size=BATCH)
        Enrollment.objects.bulk_update(self.enrollments.changed, ENROLLMENT_FIELDS, batch_size=BATCH)


def _fill_pks(objects: list[models.Model], model: type[models.Model], key: str) -> None:
    """Primary keys of bulk-created rows, for databases that do not return them."""
    missing = {getattr(obj, key): obj for obj in objects if obj.pk is None}
    for chunk in _chunks(list(missing)):
        for value, pk in model.objects.filter(**{f"{key}__in": chunk}).values_list(key, "pk"):
            missing[value].pk = pk


def cohorts_import(source, *, dry_run: bool = False) -> ImportResult:
    """Import a workbook (path, bytes or file object): all rows, or nothing.

    Raises ImportRejected listing every problem when any row is wrong; returns what was
    (or, with ``dry_run``, would be) created, updated and left unchanged.
    """
    sheets = read_workbook(source)
    try:
        with transaction.atomic():
            plan = Plan(sheets)
            if plan.problems:
                raise ImportRejected(plan.problems)
            if not dry_run:
                plan.write()
    except IntegrityError:
        logger.warning("import collided with a concurrent change", exc_info=True)
        raise ImportRejected(
            [ImportProblem(_("The records changed while the file was being imported; nothing was written. Try again."))]
        ) from None
    plan.result.dry_run = dry_run
    return plan.result


# --- the template workbook ----------------------------------------------------------


def _example_rows() -> tuple[dict[str, object], dict[str, object]]:
    program = Program.objects.filter(code="TC-LLCT-HC").first() or Program.objects.order_by("code").first()
    host = Unit.objects.filter(kind__in=(UnitKind.DISTRICT, UnitKind.COMMUNE)).order_by("code").first()
    born = dt.date(1985, 5, 17)
    cohort = {
        "code": "TC-K01",
        "name": "Lớp Trung cấp lý luận chính trị - hành chính K01",
        "program": program.code if program else "TC-LLCT-HC",
        "mode": MODES.label(Mode.NON_CONCENTRATED),
        "funding": FUNDINGS.label(Funding.SUPPORTED),
        "host_locality": host.code if host else "H01",
        "venue": "Hội trường Trung tâm Chính trị",
        "opening_date": dt.date(2025, 3, 10),
        "closing_date": dt.date(2026, 6, 30),
        "status": COHORT_STATUSES.label(CohortStatus.OPEN),
        "plan_year": 2025,
    }
    student = {
        "cohort": "TC-K01",
        "national_id": cccd.make("052", cccd.MALE, born, 1),
        "full_name": "Nguyễn Văn An",
        "date_of_birth": born,
        "gender": GENDERS.label(cccd.MALE),
        "ethnicity": "Kinh",
        "phone": "0912345678",
        "position": "Phó Chủ tịch UBND xã",
        "workplace": "UBND xã An Lạc",
        "locality": cohort["host_locality"],
        "status": ENROLLMENT_STATUSES.label(EnrollmentStatus.STUDYING),
    }
    return cohort, student


def _accepted(column: Column) -> str:
    if column.choices:
        return column.choices.shown()
    if column.key == "program":
        return ", ".join(Program.objects.order_by("code").values_list("code", flat=True))
    if column.key.endswith("date") or column.key == "date_of_birth":
        return "dd/mm/yyyy"
    return ""


def template_workbook() -> bytes:
    """An empty import workbook: both sheets with headers and an example row, and a
    HuongDan sheet that explains every column (in the active language)."""
    workbook = openpyxl.Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF1F5")
    for sheet, example in zip(SHEETS, _example_rows(), strict=True):
        worksheet = workbook.active if sheet is COHORTS else workbook.create_sheet()
        worksheet.title = sheet.name
        for index, column in enumerate(sheet.columns, start=1):
            header = worksheet.cell(row=1, column=index, value=column.header)
            header.font, header.fill = bold, fill
            cell = worksheet.cell(row=2, column=index, value=example.get(column.key))
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            elif column.key == "national_id" or column.key == "phone":
                cell.number_format = "@"  # text, so leading zeros stay
            worksheet.column_dimensions[get_column_letter(index)].width = column.width
        worksheet.freeze_panes = "A2"
    guide = workbook.create_sheet("HuongDan")
    guide.append([_("How to fill in this workbook")])
    guide["A1"].font = Font(bold=True, size=13)
    for rule in (
        _("One row per class in the sheet %(classes)s; one row per student of a class in the sheet %(students)s.")
        % {"classes": COHORTS.name, "students": STUDENTS.name},
        _("The first row of each sheet holds the column names; the order of the columns is free."),
        _("Dates: dd/mm/yyyy, or a date cell."),
        _("The whole file is checked before anything is written: if any row is wrong, nothing is imported "
          "and every problem is listed with its sheet, row and column."),
        _("Importing the same file again changes nothing: classes are matched by class code, students by "
          "national ID, and a student in several classes is one person."),
        _("An empty cell never erases a value already on record."),
    ):  # fmt: skip
        guide.append([rule])
    guide.append([])
    guide.append([_("Sheet"), _("Column"), _("Required"), _("Description"), _("Accepted values")])
    for cell in guide[guide.max_row]:
        cell.font, cell.fill = bold, fill
    for sheet in SHEETS:
        for column in sheet.columns:
            guide.append(
                [
                    sheet.name,
                    column.header,
                    _("Yes") if column.required else _("No"),
                    str(column.help),
                    _accepted(column),
                ]
            )
    for letter, width in zip("ABCDE", (12, 20, 10, 70, 50), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
