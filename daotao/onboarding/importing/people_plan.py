"""Every row of the people workbook checked against the file and the records, and the
writes it leads to (docs/onboarding.md).

An account is matched by its username, whatever its case; a lecturer by their email when
the row gives one that is on record, else by name and faculty among the lecturers with no
email on record. The records the rows name are loaded in a fixed number of queries (a few
per 900 names), and written in bulk, each audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower, Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.accounts import roles
from daotao.accounts.models import User
from daotao.accounts.scope import SYSTEM
from daotao.audit.models import record
from daotao.cohorts.importing.columns import SheetFormat
from daotao.cohorts.importing.reading import SheetRows
from daotao.lib.batches import BATCH, chunks
from daotao.lib.vietnamese import format_date, format_int, normalize_name, split_name
from daotao.onboarding.importing.people_columns import (
    ACCOUNTS,
    ADMIN_ROLES,
    AGENCY_KINDS,
    COORDINATOR_KINDS,
    IMPORTED_ROLES,
    LECTURERS,
    ROLES,
    AccountRow,
    LecturerRow,
    PeopleResult,
)
from daotao.onboarding.invitations import send_invitations
from daotao.org.models import Lecturer, Unit, UnitKind
from daotao.web.import_results import ImportProblem, ProblemList, too_long

ACTION = "people.import"


def _limits(model, **fields: str) -> dict[str, int]:
    """The longest text each row attribute takes: that of the model's field it fills."""
    return {key: model._meta.get_field(name).max_length for key, name in fields.items()}


# A full name fills the family and middle names (last_name) and the given name (first_name).
ACCOUNT_LIMITS = _limits(User, username="username", full_name="last_name", email="email")
LECTURER_LIMITS = _limits(
    Lecturer, full_name="full_name", academic_title="academic_title", email="email", phone="phone"
) | {"username": ACCOUNT_LIMITS["username"]}


def _state_of_account(user: User, codes: Iterable[str], unit: Unit | None) -> dict:
    """What an audit entry shows of an account: its roles and unit by code."""
    return {
        "username": user.username,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "email": user.email,
        "roles": sorted(codes),
        "unit": unit.code if unit else None,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
    }


def _state_of_lecturer(lecturer: Lecturer, faculty: Unit | None, username: str | None) -> dict:
    return {
        "full_name": lecturer.full_name,
        "faculty": faculty.code if faculty else None,
        "academic_title": lecturer.academic_title,
        "email": lecturer.email,
        "phone": lecturer.phone,
        "user": username,
        "is_active": lecturer.is_active,
    }


@dataclass
class _Account:
    """An account to write: the instance (changed in place), its roles and unit, and what an
    audit entry shows of it before (None: a new account) and after."""

    user: User
    codes: frozenset[str]
    before: dict | None
    after: dict


@dataclass
class _Lecturer:
    lecturer: Lecturer
    account: User | None  # the account linked to the lecturer, once written
    before: dict | None
    after: dict


class Check:
    """Every row checked against the file and the records: ``problems`` lists what is wrong;
    when it is empty, ``accounts`` and ``lecturers`` are what to write. The records the rows
    name are loaded in a fixed number of queries (a few per 900 names)."""

    def __init__(self, lecturers, accounts, user, problems: ProblemList, tables: dict[str, SheetRows]):
        self.importer, self.problems, self.tables = user, problems, tables
        self.administrator = user is SYSTEM or user.is_superuser
        self.today = timezone.localdate()
        self.result = PeopleResult()
        self.accounts: dict[str, _Account] = {}  # lowercased username -> the account to write
        self.lecturers: list[_Lecturer] = []
        # The first row of each username, email, link and lecturer, to refuse the same twice.
        self.first_rows: dict[tuple, AccountRow | LecturerRow] = {}
        self._load(lecturers, accounts)
        for row in accounts:
            self._check_account(row)
        for row in lecturers:
            self._check_lecturer(row)
        self._tally()

    def fail(self, sheet: SheetFormat, row, key: str, message: str) -> None:
        table = self.tables.get(sheet.name)
        column = table.where(key) if table else sheet.column(key).header
        self.problems.append(ImportProblem(message, sheet.name, row.number, column))

    def seen(self, identity: tuple, row) -> str | None:
        """None the first time ``identity`` is met; the earlier row's number after."""
        first = self.first_rows.setdefault(identity, row)
        if first is row:
            return None
        return format_int(first.number) if first.number else "?"

    def measured(self, sheet: SheetFormat, row, limits: dict[str, int]):
        """The row, with its texts longer than their fields counted as failed (and told)."""
        long = {key for key, limit in limits.items() if key not in row.failed and len(getattr(row, key)) > limit}
        for key in sorted(long):
            self.fail(sheet, row, key, too_long(limits[key], len(getattr(row, key))))
        return replace(row, failed=row.failed | long) if long else row

    # --- the records the rows name ----------------------------------------------------------
    def _load(self, lecturers: list[LecturerRow], accounts: list[AccountRow]) -> None:
        usernames = sorted({row.username.lower() for row in [*accounts, *lecturers] if row.username})
        emails = sorted({row.email.lower() for row in accounts if row.email})
        lecturer_emails = sorted({row.email.lower() for row in lecturers if row.email})
        names = sorted({normalize_name(row.full_name) for row in lecturers if row.full_name})
        codes = {row.faculty.upper() for row in lecturers} | {row.unit.upper() for row in accounts}
        # No ORDER BY where the rows fill dictionaries.
        units = Unit.objects.annotate(upper_code=Upper("code")).filter(upper_code__in=codes - {""}).order_by()
        self.units = {unit.upper_code: unit for unit in units}
        self.role_groups = {group.name: group for group in Group.objects.filter(name__in=IMPORTED_ROLES).order_by()}
        self.on_record: dict[str, list[User]] = {}  # lowercased username -> the accounts with it
        self.roles_on_record: dict[int, set[str]] = {}
        for chunk in chunks(usernames):
            found = User.objects.annotate(lower=Lower("username")).filter(lower__in=chunk).select_related("unit")
            for account in found.prefetch_related("groups").order_by("pk"):
                self.on_record.setdefault(account.lower, []).append(account)
                self.roles_on_record[account.pk] = {group.name for group in account.groups.all()}
        self.email_owner: dict[str, int] = {}  # lowercased email -> an account on record with it
        for chunk in chunks(emails):
            found = User.objects.annotate(lower_email=Lower("email")).filter(lower_email__in=chunk).order_by()
            self.email_owner.update((email, pk) for pk, email in found.values_list("pk", "lower_email"))
        self.lecturer_of: dict[int, Lecturer] = {}  # account id -> the lecturer linked to it
        for chunk in chunks(sorted(self.roles_on_record)):
            self.lecturer_of.update(
                (lecturer.user_id, lecturer) for lecturer in Lecturer.objects.filter(user_id__in=chunk)
            )
        on_record = (
            Lecturer.objects.annotate(lower_email=Lower("email")).select_related("faculty", "user").order_by("pk")
        )
        self.by_email: dict[str, Lecturer] = {}
        for chunk in chunks(lecturer_emails):
            for lecturer in on_record.filter(lower_email__in=chunk):
                self.by_email.setdefault(lecturer.lower_email, lecturer)
        self.by_name: dict[tuple[str, int], list[Lecturer]] = {}  # among those with no email
        for chunk in chunks(names):
            for lecturer in on_record.filter(full_name__in=chunk, email=""):
                self.by_name.setdefault((lecturer.full_name, lecturer.faculty_id), []).append(lecturer)

    # --- the accounts -----------------------------------------------------------------------
    def _check_account(self, row: AccountRow) -> None:
        def fail(key: str, message: str) -> None:
            self.fail(ACCOUNTS, row, key, message)

        row = self.measured(ACCOUNTS, row, ACCOUNT_LIMITS)
        key = row.username.lower()
        on_record = self._account_on_record(row, fail)
        twice = self.seen(("username", key), row) if row.username and "username" not in row.failed else None
        if twice:
            fail("username", _("This username is already on row %(row)s.") % {"row": twice})
        name = "" if "full_name" in row.failed else normalize_name(row.full_name)
        if not name and "full_name" not in row.failed:
            fail("full_name", _("A value is required."))
        email = self._account_email(row, on_record, fail)
        codes = self._account_roles(row, fail)
        unit = self._account_unit(row, codes, fail)
        active = row.is_active if row.is_active is not None else (on_record.is_active if on_record else True)
        self._own_account(on_record, codes, active, fail)
        if not row.username or "username" in row.failed or twice or not name:
            return
        user = on_record or User(username=row.username)
        before = None
        if on_record is not None:
            before = _state_of_account(user, self.roles_on_record[user.pk] & IMPORTED_ROLES, user.unit)
        else:
            user.set_unusable_password()
        user.last_name, user.first_name = split_name(name)
        user.email = email or user.email
        user.unit, user.is_active = unit, active
        user.is_staff = bool(codes & ADMIN_ROLES)
        self.accounts[key] = _Account(user, codes, before, _state_of_account(user, codes, unit))

    def _account_on_record(self, row: AccountRow, fail) -> User | None:
        """The account on record the row updates; None for a new one (or a refused row)."""
        if "username" in row.failed:
            return None
        if not row.username:
            fail("username", _("A value is required."))
            return None
        try:
            User._meta.get_field("username").run_validators(row.username)
        except ValidationError as error:
            fail("username", " ".join(error.messages))
            return None
        same = self.on_record.get(row.username.lower(), [])
        if len(same) > 1:
            fail(
                "username",
                _("Several accounts on record have this username in different letter case: %(usernames)s.")
                % {"usernames": ", ".join(account.username for account in same)},
            )
            return None
        account = same[0] if same else None
        if account is not None and account.is_superuser:
            fail("username", _("This is a superuser's account: only the administrator changes it, not a workbook."))
        elif account is not None and roles.STUDENT in self.roles_on_record[account.pk]:
            fail("username", _("This is a student's account: students' accounts are not managed in this workbook."))
        elif (
            account is not None
            and not self.administrator
            and (account.is_staff or self.roles_on_record[account.pk] - IMPORTED_ROLES)
            and not self.roles_on_record[account.pk] & IMPORTED_ROLES
        ):
            # Made in the administration without a role (an IT administrator): its own.
            fail(
                "username",
                _("This account was made in the administration without a role: only the administrator changes it."),
            )
        return account

    def _account_email(self, row: AccountRow, on_record: User | None, fail) -> str:
        """The row's email, normalised as Django stores it; "" when empty (kept on record)."""
        if "email" in row.failed:
            return ""
        if not row.email:
            if on_record is None:
                fail("email", _("A new account needs an email address: the link to set its password is sent there."))
            return ""
        email = User.objects.normalize_email(row.email)
        try:
            validate_email(email)
        except ValidationError:
            fail("email", _("“%(value)s” is not a valid email address.") % {"value": row.email})
            return ""
        address = email.lower()
        if twice := self.seen(("email", address), row):
            fail("email", _("This email is already on row %(row)s.") % {"row": twice})
        owner = self.email_owner.get(address)
        if owner is not None and (on_record is None or owner != on_record.pk):
            fail("email", _("Another account on record already has this email address."))
        elif on_record and address != on_record.email.lower() and on_record.has_usable_password():
            if not self.administrator:
                # Else whoever imports could take over an account in use: a new address,
                # then "forgot your password" at the sign-in page.
                fail(
                    "email",
                    _("This account is in use (its holder has set a password): only its holder or the administrator "
                      "changes its email address."),
                )  # fmt: skip
        return email

    def _account_roles(self, row: AccountRow, fail) -> frozenset[str]:
        codes = frozenset(row.roles)
        if "roles" in row.failed:
            return codes
        if not codes:
            fail("roles", _("A value is required."))
        for code in sorted(codes - IMPORTED_ROLES):
            fail(
                "roles",
                _("“%(value)s” is not an accepted value; use one of: %(choices)s.")
                % {"value": code, "choices": ROLES.shown()},
            )
        return codes

    def _account_unit(self, row: AccountRow, codes: frozenset[str], fail) -> Unit | None:
        """The unit of a coordinator (a locality or political centre) or an agency, valid
        today; every other role has none."""
        if "unit" in row.failed or "roles" in row.failed:
            return None
        coordinator, agency = roles.LOCALITY_COORDINATOR in codes, roles.SENDING_AGENCY in codes
        if coordinator and agency:
            fail("roles", _("An account cannot be both a locality coordinator and a sending agency."))
            return None
        if not (coordinator or agency):
            if row.unit:
                fail("unit", _("Only a locality coordinator or a sending agency has a unit: leave this cell empty."))
            return None
        if not row.unit:
            if coordinator:
                fail("unit", _("A locality coordinator needs the code of their locality or political centre."))
            else:
                fail("unit", _("A sending agency needs the code of its agency."))
            return None
        unit = self.units.get(row.unit.upper())
        params = {"code": row.unit.upper(), "name": unit.name if unit else ""}
        if unit is None:
            fail("unit", _("Unknown unit code “%(code)s”.") % params)
        elif coordinator and unit.kind not in COORDINATOR_KINDS:
            fail("unit", _("The unit “%(code)s” (%(name)s) is not a locality or a political centre.") % params)
        elif agency and unit.kind not in AGENCY_KINDS:
            fail("unit", _("The unit “%(code)s” (%(name)s) is not a sending agency.") % params)
        else:
            # A unit that has ended is accepted: its coordinator still follows the classes
            # opened there and their students (the 2020 districts of the demo).
            return unit
        return None

    def _own_account(self, on_record: User | None, codes: frozenset[str], active: bool, fail) -> None:
        """Whoever imports may not lock themself out."""
        if on_record is None or self.administrator or on_record.pk != self.importer.pk:
            return
        if not active or codes != self.roles_on_record[on_record.pk] & IMPORTED_ROLES:
            fail("roles", _("This is your own account: a workbook cannot deactivate it or change its roles."))

    # --- the lecturers ----------------------------------------------------------------------
    def _check_lecturer(self, row: LecturerRow) -> None:
        def fail(key: str, message: str) -> None:
            self.fail(LECTURERS, row, key, message)

        row = self.measured(LECTURERS, row, LECTURER_LIMITS)
        name = "" if "full_name" in row.failed else normalize_name(row.full_name)
        if not name and "full_name" not in row.failed:
            fail("full_name", _("A value is required."))
        faculty = self._faculty(row, fail)
        email = self._lecturer_email(row, fail)
        account = self._lecturer_account(row, fail)
        lecturer = self._lecturer_on_record(row, name, faculty, email, fail)
        if lecturer is None or faculty is None or not name:
            return
        linked = self.lecturer_of.get(account.pk) if account is not None and account.pk else None
        if linked is not None and linked.pk != lecturer.pk:
            fail("username", _("This account is already linked to the lecturer %(name)s.") % {"name": linked.full_name})
            return
        active = row.is_active if row.is_active is not None else lecturer.is_active
        if active and not faculty.is_valid_on(self.today):
            ended = {"code": faculty.code, "name": faculty.name, "date": format_date(faculty.valid_to)}
            fail("faculty", _("The faculty “%(code)s” (%(name)s) ended on %(date)s.") % ended)
            return
        before = None
        if lecturer.pk:
            before = _state_of_lecturer(lecturer, lecturer.faculty, lecturer.user.username if lecturer.user else None)
        account = account or lecturer.user
        lecturer.set_name(name)
        lecturer.faculty = faculty
        lecturer.academic_title = row.academic_title or lecturer.academic_title
        lecturer.email = email or lecturer.email
        lecturer.phone = row.phone or lecturer.phone
        lecturer.is_active = active
        after = _state_of_lecturer(lecturer, faculty, account.username if account else None)
        self.lecturers.append(_Lecturer(lecturer, account, before, after))

    def _faculty(self, row: LecturerRow, fail) -> Unit | None:
        if "faculty" in row.failed:
            return None
        if not row.faculty:
            fail("faculty", _("A value is required."))
            return None
        unit = self.units.get(row.faculty.upper())
        if unit is None:
            fail("faculty", _("Unknown unit code “%(code)s”.") % {"code": row.faculty.upper()})
        elif unit.kind != UnitKind.FACULTY:
            fail(
                "faculty",
                _("The unit “%(code)s” (%(name)s) is not a faculty.") % {"code": unit.code, "name": unit.name},
            )
        else:
            return unit
        return None

    def _lecturer_email(self, row: LecturerRow, fail) -> str:
        if not row.email or "email" in row.failed:
            return ""
        try:
            validate_email(row.email)
        except ValidationError:
            fail("email", _("“%(value)s” is not a valid email address.") % {"value": row.email})
            return ""
        return row.email

    def _lecturer_account(self, row: LecturerRow, fail) -> User | None:
        """The account the row links the lecturer to: of the sheet TaiKhoan, or on record."""
        if not row.username or "username" in row.failed:
            return None
        key = row.username.lower()
        if twice := self.seen(("link", key), row):
            fail("username", _("This account is already linked on row %(row)s.") % {"row": twice})
            return None
        if key in self.accounts:
            return self.accounts[key].user
        same = self.on_record.get(key, [])
        if len(same) != 1:
            fail(
                "username",
                _("No account “%(username)s” in the sheet %(sheet)s or on record.")
                % {"username": row.username, "sheet": ACCOUNTS.name},
            )
            return None
        if roles.STUDENT in self.roles_on_record[same[0].pk]:
            fail("username", _("This is a student's account: it cannot be a lecturer's."))
            return None
        if same[0].is_superuser:
            fail("username", _("This is a superuser's account: only the administrator changes it, not a workbook."))
            return None
        return same[0]

    def _lecturer_on_record(self, row, name: str, faculty: Unit | None, email: str, fail) -> Lecturer | None:
        """The lecturer on record the row updates, or a new one; None when the row is refused."""
        lecturer = self.by_email.get(email.lower()) if email else None
        if lecturer is None and name and faculty is not None:
            same = self.by_name.get((name, faculty.pk), [])
            if len(same) > 1:
                fail(
                    "email",
                    _("Several lecturers on record have this name in this faculty and no email: give the email of "
                      "the one meant."),
                )  # fmt: skip
                return None
            lecturer = same[0] if same else None
        if lecturer is not None:
            identity = ("lecturer", lecturer.pk)
        elif email:
            identity = ("lecturer", email.lower())
        elif name and faculty is not None:
            identity = ("lecturer", name, faculty.pk)
        else:
            return None  # refused already: no name or no faculty
        if twice := self.seen(identity, row):
            fail("full_name", _("The same lecturer as row %(row)s.") % {"row": twice})
            return None
        return lecturer or Lecturer(is_active=True)

    # --- the counts -------------------------------------------------------------------------
    def _tally(self) -> None:
        for tally, items in ((self.result.accounts, self.accounts.values()), (self.result.lecturers, self.lecturers)):
            for item in items:
                if item.before is None:
                    tally.created += 1
                elif item.before != item.after:
                    tally.updated += 1
                else:
                    tally.unchanged += 1
        self.result.invitations = sum(
            1 for checked in self.accounts.values() if checked.before is None and checked.user.is_active
        )
        linked = {checked.account.username.lower() for checked in self.lecturers if checked.account is not None}
        self.result.unlinked = sorted(
            checked.user.username
            for key, checked in self.accounts.items()
            if roles.LECTURER in checked.codes and key not in linked and checked.user.pk not in self.lecturer_of
        )


# --- writing ----------------------------------------------------------------------------------

ACCOUNT_FIELDS = ["first_name", "last_name", "email", "unit", "is_active", "is_staff"]
LECTURER_FIELDS = [
    "full_name", "given_name", "sort_key", "search_key", "faculty", "academic_title", "email", "phone", "user",
    "is_active",
]  # fmt: skip


def write(check: Check, user, *, invite: bool) -> None:
    """The writes of a checked file, in bulk, and an audit entry for every record created
    or changed; the invitations go once the transaction is committed."""
    new = [checked for checked in check.accounts.values() if checked.before is None]
    changed = [checked for checked in check.accounts.values() if checked.before not in (None, checked.after)]
    User.objects.bulk_create([checked.user for checked in new], batch_size=BATCH)
    User.objects.bulk_update([checked.user for checked in changed], ACCOUNT_FIELDS, batch_size=BATCH)
    regrouped = [c for c in new + changed if c.before is None or c.before["roles"] != c.after["roles"]]
    # A role's group is made the first time an account takes the role (a database whose
    # groups were removed, or made without the migrations' data).
    for code in sorted({code for checked in regrouped for code in checked.codes} - set(check.role_groups)):
        check.role_groups[code] = Group.objects.get_or_create(name=code)[0]
    _set_roles(regrouped, check.role_groups)
    for checked in check.lecturers:
        checked.lecturer.user = checked.account
    lecturers = [checked.lecturer for checked in check.lecturers if checked.before is None]
    Lecturer.objects.bulk_create(lecturers, batch_size=BATCH)
    moved = [checked.lecturer for checked in check.lecturers if checked.before not in (None, checked.after)]
    Lecturer.objects.bulk_update(moved, LECTURER_FIELDS, batch_size=BATCH)
    note = _("Imported from the people workbook.")
    for checked in [*new, *changed]:
        record(user, checked.user, ACTION, checked.before, checked.after, note)
    for checked in check.lecturers:
        if checked.before != checked.after:
            record(user, checked.lecturer, ACTION, checked.before, checked.after, note)
    invited = [checked.user.pk for checked in new if checked.user.is_active]
    if invite and invited:
        result = check.result

        def send() -> None:
            result.sent, result.unsent = send_invitations(invited)

        transaction.on_commit(send)


def _set_roles(accounts: list[_Account], groups: dict[str, Group]) -> None:
    """Each account's role groups become exactly its roles; other groups stay."""
    through = User.groups.through
    role_ids = [group.pk for group in groups.values()]
    for chunk in chunks([checked.user.pk for checked in accounts]):
        through.objects.filter(user_id__in=chunk, group_id__in=role_ids).delete()
    rows = [
        through(user_id=checked.user.pk, group_id=groups[code].pk) for checked in accounts for code in checked.codes
    ]
    through.objects.bulk_create(rows, batch_size=BATCH)
