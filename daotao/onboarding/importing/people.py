"""The people workbook: the school's lecturers (sheet ``GiangVien``) and the user accounts
(sheet ``TaiKhoan``) with their roles and scope, imported all or nothing (docs/onboarding.md).

Reading the file and its cells is the class import's (``daotao.cohorts.importing``). The
rows become ``LecturerRow`` and ``AccountRow``; ``people_apply`` checks them against each
other and the records, then writes them in one transaction and audits every record it
creates or changes. ``people_apply`` takes rows made in code too (the demo's).

- An account is matched by its username, whatever its case; a lecturer by their email when
  the file gives one that is on record, else by name and faculty among the lecturers with
  no email on record.
- A new account gets no password it could be signed in with: once the import is saved, an
  email with a one-time link to set one (``accounts:password_reset_confirm``'s page, valid for
  ``PASSWORD_RESET_TIMEOUT``) goes to it. No password is ever shown or sent. An account on
  record is updated, never sent anything; the same file again changes and sends nothing.
- A role is a Django group (``accounts.roles``); a coordinator's or an agency's unit is their
  scope (``accounts.scope``). Students' accounts are not made here, and superusers are the
  administrator's alone: a workbook neither creates nor changes one.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from daotao.accounts import roles
from daotao.accounts.access import is_training_office
from daotao.accounts.scope import SYSTEM
from daotao.admissions.importing.columns import YES_NO
from daotao.cohorts.importing.columns import Column, SheetFormat
from daotao.cohorts.importing.reading import SheetRows, read_workbook
from daotao.cohorts.importing.rows import RowReader
from daotao.cohorts.importing.template import accepted_values, build_template
from daotao.onboarding.importing.people_columns import (
    ACCOUNTS,
    LECTURERS,
    ROLE_SEPARATORS,
    ROLES,
    SHEETS,
    AccountRow,
    LecturerRow,
    PeopleResult,
    Progress,
)
from daotao.onboarding.importing.people_plan import Check, write
from daotao.org.models import Unit, UnitKind
from daotao.web.import_results import ImportProblem, ImportRejected, ProblemList

__all__ = [
    "ACCOUNTS", "LECTURERS", "SHEETS", "AccountRow", "LecturerRow", "PeopleResult", "people_apply", "people_import",
    "template_workbook",
]  # fmt: skip

logger = logging.getLogger(__name__)

# --- reading the workbook's rows ----------------------------------------------------------


def _read_lecturer(row: RowReader) -> LecturerRow:
    values = {
        "full_name": row.text("full_name"),
        "faculty": row.code("faculty"),
        "academic_title": row.text("academic_title"),
        "email": row.text("email"),
        "phone": row.phone("phone"),
        "username": row.text("username"),
        "is_active": _yes_no(row, "is_active"),
    }
    return LecturerRow(**values, number=row.number, failed=frozenset(row.failed))


def _read_account(row: RowReader) -> AccountRow:
    values = {
        "username": row.text("username"),
        "full_name": row.text("full_name"),
        "email": row.text("email"),
        "roles": _roles(row),
        "unit": row.code("unit"),
        "is_active": _yes_no(row, "is_active"),
    }
    return AccountRow(**values, number=row.number, failed=frozenset(row.failed))


def _yes_no(row: RowReader, key: str) -> bool | None:
    answer = row.choice(key)
    return None if answer == "" else answer


def _roles(row: RowReader) -> tuple[str, ...]:
    """The role codes of a cell naming one role or several, separated by commas."""
    codes = []
    for label in ROLE_SEPARATORS.split(row.text("roles")):
        if not label.strip():
            continue
        code = ROLES[label]
        if code is None:
            row.fail(
                "roles",
                _("“%(value)s” is not an accepted value; use one of: %(choices)s.")
                % {"value": label.strip(), "choices": ROLES.shown()},
            )
        elif code not in codes:
            codes.append(code)
    return tuple(codes)


def _read_sheets(source) -> dict[str, SheetRows]:
    """The sheets of the workbook that hold rows. Either may be left out or left empty (a
    file of new coordinators' accounts only), not both."""
    return read_workbook(source, SHEETS, optional=True)


def _read(source) -> tuple[list[LecturerRow], list[AccountRow], dict[str, SheetRows], ProblemList]:
    """The rows of the sheets, the sheets read (for the columns' letters) and the problems
    of their cells."""
    tables = _read_sheets(source)
    problems = ProblemList()
    sheet = tables.get(LECTURERS.name)
    lecturers = [_read_lecturer(RowReader(sheet, n, cells, problems)) for n, cells in sheet.rows] if sheet else []
    sheet = tables.get(ACCOUNTS.name)
    accounts = [_read_account(RowReader(sheet, n, cells, problems)) for n, cells in sheet.rows] if sheet else []
    return lecturers, accounts, tables, problems


# --- the entry points -------------------------------------------------------------------------


def _refused(message: str) -> ImportRejected:
    return ImportRejected([ImportProblem(message)], SHEETS)


def _apply(lecturers, accounts, *, user, dry_run, invite, problems, tables, progress=None) -> PeopleResult:
    if user is not SYSTEM and not is_training_office(user):
        raise _refused(_("Only the training office imports lecturers and user accounts."))
    total = len(lecturers) + len(accounts)
    if progress:
        progress(0, total)
    check = Check(lecturers, accounts, user, problems, tables)
    if check.problems:
        raise ImportRejected(check.problems, SHEETS)
    check.result.dry_run = dry_run
    if not invite:
        check.result.invitations = 0
    if not dry_run:
        try:
            with transaction.atomic():
                write(check, user, invite=invite)
        except IntegrityError:
            logger.warning("people import collided with a concurrent change", exc_info=True)
            raise _refused(
                _("The records changed while the file was being imported; nothing was written. Try again.")
            ) from None
    if progress:
        progress(total, total)
    return check.result


def people_apply(
    lecturers: list[LecturerRow], accounts: list[AccountRow], *, user, dry_run: bool = False, invite: bool = True
) -> PeopleResult:
    """Create or update these lecturers and accounts: all, or none (ImportRejected listing
    every problem). New accounts get an email with a link to set their password once the
    transaction commits, unless ``invite`` is False (the demo, which sets its own)."""
    return _apply(lecturers, accounts, user=user, dry_run=dry_run, invite=invite, problems=ProblemList(), tables={})


def people_import(source, *, user, dry_run: bool = False, progress: Progress | None = None) -> PeopleResult:
    """Import the people workbook (a path, bytes or a file object): every row or none.
    Raises ImportRejected naming the sheet, row, column and reason of every problem."""
    if user is not SYSTEM and not is_training_office(user):
        raise _refused(_("Only the training office imports lecturers and user accounts."))
    lecturers, accounts, tables, problems = _read(source)
    result = _apply(
        lecturers, accounts, user=user, dry_run=dry_run, invite=True, problems=problems, tables=tables,
        progress=progress,
    )  # fmt: skip
    result.skipped = [sheet.name for sheet in SHEETS if sheet.name not in tables]
    return result


# --- the template -----------------------------------------------------------------------------


def _examples() -> list[tuple[SheetFormat, dict]]:
    faculty = Unit.objects.filter(kind=UnitKind.FACULTY, valid_to__isnull=True).order_by("code").first()
    lecturer = {
        "full_name": "Trần Thị Bích Ngọc",
        "faculty": faculty.code if faculty else "K-XDD",
        "academic_title": "Thạc sĩ",
        "email": "ngoc.ttb@example.com",
        "phone": "0912345678",
        "username": "ngoc.ttb",
        "is_active": YES_NO.label(True),
    }
    account = {
        "username": "ngoc.ttb",
        "full_name": "Trần Thị Bích Ngọc",
        "email": "ngoc.ttb@example.com",
        "roles": ROLES.label(roles.LECTURER),
        "is_active": YES_NO.label(True),
    }
    return [(LECTURERS, lecturer), (ACCOUNTS, account)]


def _accepted(column: Column) -> str:
    if column.key == "faculty":
        faculties = Unit.objects.filter(kind=UnitKind.FACULTY).order_by("code").values_list("code", flat=True)
        return ", ".join(faculties)
    if column.key == "unit":
        return _("The code of a locality, a political centre or an agency, as in the units workbook.")
    return accepted_values(column)


def template_workbook() -> bytes:
    """The people workbook to fill in: both sheets with an example row (a lecturer and their
    account), and a HuongDan sheet explaining every column (in the active language)."""
    rules = [
        _("One row per lecturer in the sheet %(lecturers)s; one row per user account in the sheet %(accounts)s.")
        % {"lecturers": LECTURERS.name, "accounts": ACCOUNTS.name},
        _("Import the units workbook first: faculties, localities and agencies are named by their codes."),
        _("The whole file is checked before anything is written: if any row is wrong, nothing is imported "
          "and every problem is listed with its sheet, row and column."),
        _("A lecturer on record is matched by email when the row gives one, else by full name and faculty; an "
          "account by its username, whatever its case. Importing the same file again changes nothing."),
        _("A new account gets an email with a link to choose its password; no password is ever written in this "
          "file or sent. An account on record is updated and sent nothing."),
        _("An empty cell never erases a value on record; the roles named become the account's roles."),
        _("Superusers and students' accounts are not managed here."),
    ]  # fmt: skip
    return build_template(_examples(), rules, _accepted)
