"""Import of a school's past records from one .xlsx workbook (docs/onboarding.md, "Past
records"): the final results and graduation decisions of past classes (sheet ``KetQua``) and
the register of diplomas, certificates and confirmations already issued, with their numbers
(sheet ``VanBang``). Either sheet may be left out or left empty.

The classes and their students come first, from the class import (``cohorts_import``); this
workbook names them. Reading and cells are the class import's (``daotao.cohorts.importing``);
the format is ``history_format``, the checks and writes ``history_plan``. Every row is checked
first and nothing is written unless all are right; importing the same file again changes
nothing. The page, the command and the tests call ``history_import``; ``history_apply``
takes rows already read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from decimal import Decimal
from types import MappingProxyType

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office
from daotao.accounts.scope import SYSTEM
from daotao.cohorts.importing.reading import SheetRows, read_workbook
from daotao.cohorts.importing.rows import RowReader, cell_text
from daotao.cohorts.importing.template import accepted_values, build_template
from daotao.grading.models import GraduationEntry
from daotao.grading.register import register_number, serial_number
from daotao.grading.rules import DEFAULT_RULES, Classification, ScoreError, parse_score
from daotao.lib import national_id as cccd
from daotao.lib.dates import MAX_YEAR, MIN_YEAR
from daotao.lib.vietnamese import is_whole_number
from daotao.onboarding.importing.history_format import (
    CLASSIFICATIONS,
    KINDS,
    REGISTER,
    RESULTS,
    SHEETS,
    CredentialRow,
    ResultRow,
)
from daotao.onboarding.importing.history_plan import DECISION_LENGTH, HistoryImportResult, HistoryPlan, Progress
from daotao.onboarding.importing.history_register import NUMBER_LENGTH
from daotao.web.import_results import ImportProblem, ImportRejected, ProblemList

__all__ = [
    "REGISTER",
    "RESULTS",
    "SHEETS",
    "CredentialRow",
    "HistoryImportResult",
    "ResultRow",
    "history_apply",
    "history_import",
    "template_workbook",
]

logger = logging.getLogger(__name__)

# The average is read as a score with the decimals the graduation entry keeps (7,25).
AVERAGE_RULES = dataclasses.replace(
    DEFAULT_RULES, score_decimals=GraduationEntry._meta.get_field("average").decimal_places
)


def _rejected(message: str) -> ImportRejected:
    return ImportRejected([ImportProblem(message)], SHEETS)


def _check_user(user) -> None:
    if user is not SYSTEM and not is_training_office(user):
        raise _rejected(_("Only the training office imports past records."))


def history_apply(
    results: list[ResultRow],
    credentials: list[CredentialRow],
    *,
    user,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> HistoryImportResult:
    """Record the graduates and credentials of rows already read: all of them, or nothing
    (ImportRejected listing every problem). Returns what was, or with ``dry_run`` would be,
    created, updated and left unchanged."""
    _check_user(user)
    return _apply(results, credentials, ProblemList(), set(), user=user, dry_run=dry_run, progress=progress)


def history_import(source, *, user, dry_run: bool = False, progress: Progress | None = None) -> HistoryImportResult:
    """Import a past-records workbook (path, bytes or file object): every row, or nothing.

    Raises ImportRejected listing every problem (sheet, row, column, reason) when the file
    or any row is wrong; ``progress(done, total)`` is called every few hundred rows."""
    _check_user(user)
    sheets = _read(source)
    problems = ProblemList()
    results, unread = _results(sheets.get(RESULTS.name), problems)
    credentials = _credentials(sheets.get(REGISTER.name), problems)
    return _apply(results, credentials, problems, unread, user=user, dry_run=dry_run, progress=progress)


def _apply(results, credentials, problems, unread, *, user, dry_run, progress) -> HistoryImportResult:
    plan = HistoryPlan(results, credentials, problems=problems, unread=unread, progress=progress)
    if plan.problems:
        raise ImportRejected(plan.problems, SHEETS)
    plan.result.dry_run = dry_run
    if not dry_run:
        try:
            with transaction.atomic():
                plan.write(user)
        except IntegrityError:  # a number given or a graduate decided meanwhile
            logger.warning("past-records import collided with a concurrent change", exc_info=True)
            raise _rejected(
                _("The records changed while the file was being imported; nothing was written. Try again.")
            ) from None
    return plan.result


def _read(source) -> dict[str, SheetRows]:
    """Both sheets, or the one the workbook fills: the other may be missing or have no row
    below its header (a workbook with neither filled is refused)."""
    return read_workbook(source, SHEETS, optional=True)


def _columns(sheet: SheetRows):
    return MappingProxyType({key: sheet.where(key) for key in sheet.letters})


def _results(sheet: SheetRows | None, problems: ProblemList) -> tuple[list[ResultRow], set[tuple[str, str]]]:
    """The rows of KetQua whose cells read, and (class code, national ID) of those that did not."""
    if sheet is None:
        return [], set()
    rows, unread, columns = [], set(), _columns(sheet)
    for number, cells in sheet.rows:
        reader = RowReader(sheet, number, cells, problems)
        values = {
            "cohort": reader.code("cohort"),
            "national_id": reader.national_id("national_id"),
            "average": _average(reader),
            # A band of the class's program, known once the class is (``history_plan``).
            "classification": reader.text("classification", 40),
            "decision_number": reader.text("decision_number", DECISION_LENGTH),
            "decision_date": reader.date("decision_date"),
        }
        if reader.failed:
            unread.add((values["cohort"], values["national_id"]))
        else:
            rows.append(ResultRow(**values, row=number, columns=columns))
    return rows, unread


def _credentials(sheet: SheetRows | None, problems: ProblemList) -> list[CredentialRow]:
    if sheet is None:
        return []
    rows, columns = [], _columns(sheet)
    for number, cells in sheet.rows:
        reader = RowReader(sheet, number, cells, problems)
        values = {
            "kind": reader.choice("kind"),
            "cohort": reader.code("cohort"),
            "national_id": reader.national_id("national_id"),
            "register_number": reader.text("register_number", NUMBER_LENGTH),
            "serial_number": reader.text("serial_number", NUMBER_LENGTH),
            "issued_on": reader.date("issued_on"),
            "year": reader.year("year"),
            "sequence": _whole_number(reader, "sequence"),
        }
        if not reader.failed:
            rows.append(CredentialRow(**values, row=number, columns=columns))
    return rows


def _average(reader: RowReader) -> Decimal | None:
    value = reader.raw("average")
    if value is None:
        return None
    try:
        return parse_score(cell_text(value), AVERAGE_RULES)
    except ScoreError as error:
        reader.fail("average", str(error))
        return None


def _whole_number(reader: RowReader, key: str) -> int | None:
    value = reader.raw(key)
    if value is None:
        return None
    text = cell_text(value)
    if not is_whole_number(text):
        reader.fail(key, _("“%(value)s” is not a whole number.") % {"value": text})
        return None
    return int(text)


# --- the template -------------------------------------------------------------------------

# The example names a past class and the student of the class template's example.
EXAMPLE_CLASS = "TC-2019-01"
EXAMPLE_STUDENT = cccd.make("052", cccd.MALE, dt.date(1985, 5, 17), 1)


def _examples() -> tuple[dict, dict]:
    result = {
        "cohort": EXAMPLE_CLASS,
        "national_id": EXAMPLE_STUDENT,
        "average": Decimal("8.25"),
        "classification": CLASSIFICATIONS.label(Classification.GOOD),
        "decision_number": "125/QĐ-TCT",
        "decision_date": dt.date(2019, 12, 20),
    }
    credential = {
        "kind": KINDS.label("diploma"),
        "cohort": EXAMPLE_CLASS,
        "national_id": EXAMPLE_STUDENT,
        "register_number": register_number("diploma", 2019, 15),
        "serial_number": serial_number("diploma", 1234),
        "issued_on": dt.date(2019, 12, 27),
        "year": 2019,
        "sequence": 15,
    }
    return result, credential


def _accepted(column) -> str:
    if column.key == "average":
        return _("0 to 10, e.g. 7,25")
    if column.key == "issued_on":
        return "dd/mm/yyyy"
    if column.key == "year":
        return f"{MIN_YEAR}–{MAX_YEAR}"
    return accepted_values(column)


def template_workbook() -> bytes:
    """An empty past-records workbook: both sheets with their headers and an example row,
    and a HuongDan sheet that explains every column (in the active language)."""
    rules = [
        _("Import the classes and their students first (the class workbook, sheets Lop and HocVien): this "
          "workbook names classes and students already on record, of classes that are closed or past their "
          "closing date."),
        _("One row per graduate of a past class in the sheet %(results)s; one row per diploma, certificate or "
          "confirmation already issued in the sheet %(register)s. Either sheet may be left out or left empty.")
        % {"results": RESULTS.name, "register": REGISTER.name},
        _("A diploma, certificate or confirmation needs its holder to be a graduate of the class: in the sheet "
          "%(results)s of the same file, or already on record.") % {"results": RESULTS.name},
        _("Dates: dd/mm/yyyy, or a date cell. Type values, not formulas, and do not merge cells."),
        _("The whole file is checked before anything is written: if any row is wrong, nothing is imported "
          "and every problem is listed with its sheet, row and column."),
        _("Importing the same file again changes nothing: graduates are matched by class and national ID, "
          "decisions by class and number, credentials by register number. An import never changes a credential "
          "on record."),
        _("After the import, the next numbers DaoTao gives in each register come after the imported ones."),
    ]  # fmt: skip
    return build_template(list(zip(SHEETS, _examples(), strict=True)), rules, _accepted)
