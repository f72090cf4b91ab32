"""Reading the cells of one row into Python values, and the model's own validation of them.

Every problem is recorded against its sheet, row and column, and reading goes on, so one
pass over the file lists everything that is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.cohorts.importing.reading import SheetRows, is_empty
from daotao.lib.dates import parse_year
from daotao.lib.vietnamese import format_date, normalize_space, parse_date
from daotao.org.models import Unit
from daotao.web.import_results import ImportProblem, too_long

_DERIVED_NAME_FIELDS = ("given_name", "sort_key", "search_key")
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$")
_PHONE = re.compile(r"^\+?[0-9 .()-]{6,20}$")


def cell_text(value) -> str:
    """A cell's value as text: whole numbers without ``.0``, dates as dd/mm/yyyy, spaces normalised."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return format_date(value)
    return normalize_space(str(value))


def cell_national_id(value) -> str:
    """A national ID from a cell, without spaces, with the leading zero a number cell drops."""
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        # A number cell loses the leading zero that every province code starts with.
        return str(int(value)).zfill(12)
    return re.sub(r"\s+", "", cell_text(value))


def _validation_message(name: str, error: ValidationError) -> str:
    params = error.params or {}
    if error.code == "max_length":
        return too_long(params.get("limit_value"), params.get("show_value"))
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
        if is_empty(value):
            if self.sheet.format.column(key).required:
                self.fail(key, _("A value is required."))
            return None
        return value

    def text(self, key: str, max_length: int | None = None) -> str:
        """The cell's text; with ``max_length``, "" and a problem when it is longer (for a
        name, before its sort and search keys are computed)."""
        value = self.raw(key)
        text = "" if value is None else cell_text(value)
        if max_length is not None and len(text) > max_length:
            self.fail(key, too_long(max_length, len(text)))
            return ""
        return text

    def code(self, key: str) -> str:
        return self.text(key).upper()

    def choice(self, key: str) -> str:
        value = self.raw(key)
        if value is None:
            return ""
        choices = self.sheet.format.column(key).choices
        code = choices[cell_text(value)]
        if code is None:
            self.fail(
                key,
                _("“%(value)s” is not an accepted value; use one of: %(choices)s.")
                % {"value": cell_text(value), "choices": choices.shown()},
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
            text = cell_text(value)
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
        if past and day >= timezone.localdate():
            self.fail(key, _("The date of birth must be in the past."))
            return None
        return day

    def year(self, key: str) -> int | None:
        value = self.raw(key)
        if value is None:
            return None
        text = cell_text(value)
        year = parse_year(text)
        if year is None:
            self.fail(key, _("“%(value)s” is not a year.") % {"value": text})
        return year

    def national_id(self, key: str) -> str:
        value = self.raw(key)
        return "" if value is None else cell_national_id(value)

    def phone(self, key: str) -> str:
        value = self.raw(key)
        if value is None:
            return ""
        text = cell_text(value)
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
