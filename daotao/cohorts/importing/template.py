"""The empty import workbook offered for download, written from the column definitions."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from django.utils.translation import gettext as _

from daotao.cohorts.importing.columns import (
    COHORT_STATUSES,
    COHORTS,
    ENROLLMENT_STATUSES,
    FUNDINGS,
    GENDERS,
    MODES,
    SHEETS,
    STUDENTS,
    Column,
    SheetFormat,
)
from daotao.cohorts.models import CohortStatus, EnrollmentStatus, Funding, Mode
from daotao.lib import national_id as cccd
from daotao.lib import xlsx
from daotao.org.models import Unit, UnitKind
from daotao.programs.models import Program

HEADER = xlsx.Style(bold=True, fill="EEF1F5")
WRAP_TOP = xlsx.Style(wrap=True, vertical="top")
# Typed into later, these stay text so that leading zeros stay.
TEXT_COLUMNS = ("national_id", "phone")


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


def accepted_values(column: Column) -> str:
    """What the HuongDan sheet says a column accepts: its choices, the program codes, a date format."""
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
    rules = [
        _("One row per class in the sheet %(classes)s; one row per student of a class in the sheet %(students)s.")
        % {"classes": COHORTS.name, "students": STUDENTS.name},
        _("The first row of each sheet holds the column names; the order of the columns is free."),
        _("Dates: dd/mm/yyyy, or a date cell."),
        _("The whole file is checked before anything is written: if any row is wrong, nothing is imported "
          "and every problem is listed with its sheet, row and column."),
        _("Importing the same file again changes nothing: classes are matched by class code, students by "
          "national ID, and a student in several classes is one person."),
        _("An empty cell never erases a value already on record."),
    ]  # fmt: skip
    return build_template(list(zip(SHEETS, _example_rows(), strict=True)), rules, accepted_values)


def _example_cell(column: Column, value):
    """An example value as the import reads it: a text column typed into later stays text
    (leading zeros), a decimal shows its decimals (8,25)."""
    if column.key in TEXT_COLUMNS:
        return xlsx.Cell(value, xlsx.Style(number_format=xlsx.TEXT))
    if isinstance(value, Decimal):
        return xlsx.number(value, xlsx.decimals(max(0, -value.as_tuple().exponent)))
    return value


def build_template(sheets: list[tuple[SheetFormat, dict | list[dict]]], rules: list[str], accepted) -> bytes:
    """A workbook with each sheet's headers and example row or rows (column key -> value; a
    list of them for several, e.g. a tree of units), and a HuongDan sheet: the ``rules``,
    then every column with ``accepted(column)``. Every sheet's headings stay in view and
    head every printed page."""
    book = xlsx.Book()
    for sheet_format, examples in sheets:
        sheet = book.sheet(sheet_format.name)
        sheet.table_header([column.header for column in sheet_format.columns], HEADER)
        for example in [examples] if isinstance(examples, dict) else examples:
            sheet.append([_example_cell(column, example.get(column.key)) for column in sheet_format.columns])
        sheet.finish_table([column.width for column in sheet_format.columns])
    guide = book.sheet("HuongDan")
    guide.append([_("How to fill in this workbook")], xlsx.Style(bold=True, size=13))
    widths = (12, 20, 10, 70, 50)
    for rule in rules:
        row = guide.append([rule], WRAP_TOP)
        # A rule runs across the table's columns; Excel does not grow a merged row to fit.
        guide.merge(f"A{row}:E{row}")
        guide.height(row, 15 * max(1, math.ceil(len(str(rule)) / (sum(widths) * 1.1))))
    guide.append()
    guide.table_header(
        [_("Sheet"), _("Column"), _("Required"), _("Description"), _("Accepted values")], HEADER | WRAP_TOP
    )
    for sheet_format, _example in sheets:
        for column in sheet_format.columns:
            guide.append(
                [
                    sheet_format.name,
                    column.header,
                    _("Yes") if column.required else _("No"),
                    str(column.help),
                    accepted(column),
                ],
                WRAP_TOP,
            )
    guide.finish_table(widths)
    return book.to_bytes()
