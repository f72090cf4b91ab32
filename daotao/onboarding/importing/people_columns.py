"""The people workbook's format (docs/onboarding.md): the sheets ``GiangVien`` (lecturers)
and ``TaiKhoan`` (user accounts), their columns and the role labels; the rows they become
(``LecturerRow``, ``AccountRow``), and what an import reports (``PeopleResult``).

The sheet and column names and the Vietnamese labels are the file format, so they are
literals; every help text is translated.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from daotao.accounts import roles
from daotao.admissions.importing.columns import YES_NO
from daotao.cohorts.importing.columns import Choices, Column, SheetFormat
from daotao.lib.vietnamese import format_int
from daotao.org.models import LOCALITY_KINDS, UnitKind
from daotao.web.import_results import Tally, counted_lines

Progress = Callable[[int, int], None]

# --- the format -----------------------------------------------------------------------------

# The roles a workbook gives, by their Vietnamese labels (the file format) or their codes.
# Students get their accounts with their records, never here.
ROLES = Choices(
    {
        roles.TRAINING_OFFICE: ("Phòng Quản lý đào tạo", "Phòng Đào tạo", "Phòng QLĐT"),
        roles.SCHOOL_BOARD: ("Ban Giám hiệu", "BGH"),
        roles.LECTURER: ("Giảng viên",),
        roles.LOCALITY_COORDINATOR: (
            "Cán bộ điều phối địa phương", "Điều phối địa phương", "Cán bộ Trung tâm chính trị",
        ),
        roles.SENDING_AGENCY: ("Cơ quan cử đi học",),
        roles.EDITOR: ("Biên tập viên",),
    }
)  # fmt: skip
IMPORTED_ROLES = frozenset(ROLES.labels)
# The unit each scoped role needs: its kinds, and the problem of a unit of another kind.
COORDINATOR_KINDS = (*LOCALITY_KINDS, UnitKind.POLITICAL_CENTRE)
AGENCY_KINDS = (UnitKind.AGENCY,)
# Roles that work in the admin (``role_permissions``): their accounts are staff.
ADMIN_ROLES = frozenset({roles.TRAINING_OFFICE, roles.EDITOR})
ROLE_SEPARATORS = re.compile(r"[,;\n]+")

LECTURERS = SheetFormat(
    "GiangVien",
    (
        Column("full_name", "Họ và tên", True, gettext_lazy("Full name, with diacritics."), ("Họ tên",), width=28),
        Column(
            "faculty", "Mã khoa", True, gettext_lazy("Code of the lecturer's faculty (a unit of the kind faculty)."),
            width=12,
        ),
        Column(
            "academic_title", "Học hàm, học vị", False,
            gettext_lazy("Academic title or degree, e.g. Thạc sĩ, Tiến sĩ, Phó Giáo sư."),
            ("Học hàm học vị", "Học vị", "Học hàm"), width=18,
        ),
        Column(
            "email", "Email", False,
            gettext_lazy("Email address. A lecturer on record with this email is updated; without one, the "
                         "lecturer of the same name and faculty who has no email on record."),
            ("Thư điện tử",), width=30,
        ),
        Column("phone", "Điện thoại", False, gettext_lazy("Phone number."), ("Số điện thoại",), width=14),
        Column(
            "username", "Tên đăng nhập", False,
            gettext_lazy("Username of the lecturer's own account, in the sheet TaiKhoan or on record: with it the "
                         "lecturer sees their classes and grade sheets."),
            ("Tài khoản",), width=18,
        ),
        Column(
            "is_active", "Đang giảng dạy", False,
            gettext_lazy("Whether the lecturer still teaches; empty means Có for a new lecturer."),
            ("Còn giảng dạy",), YES_NO, 14,
        ),
    ),
)  # fmt: skip
ACCOUNTS = SheetFormat(
    "TaiKhoan",
    (
        Column(
            "username", "Tên đăng nhập", True,
            gettext_lazy("Username: letters, digits and @ . + - _ only. An account on record with this username "
                         "(whatever its case) is updated."),
            ("Tài khoản",), width=18,
        ),
        Column(
            "full_name", "Họ và tên", True, gettext_lazy("Full name of the account's holder, family name first."),
            ("Họ tên",), width=28,
        ),
        Column(
            "email", "Email", False,
            gettext_lazy("Email address, required for a new account: the link to set the password is sent there. "
                         "Two accounts cannot share one."),
            ("Thư điện tử",), width=30,
        ),
        Column(
            "roles", "Vai trò", True,
            gettext_lazy("The account's role; several are separated by commas. The account's roles become those "
                         "named."),
            ("Vai trò tài khoản",), ROLES, 28,
        ),
        Column(
            "unit", "Mã đơn vị", False,
            gettext_lazy("For a locality coordinator: the code of their locality or political centre; for a sending "
                         "agency: the code of the agency. Empty for every other role."),
            ("Mã địa phương", "Mã cơ quan"), width=14,
        ),
        Column(
            "is_active", "Đang hoạt động", False,
            gettext_lazy("Whether the account may sign in; empty means Có for a new account."),
            ("Hoạt động",), YES_NO, 14,
        ),
    ),
)  # fmt: skip
SHEETS = (LECTURERS, ACCOUNTS)


@dataclass(frozen=True)
class LecturerRow:
    """One lecturer: codes and text as in the sheet ``GiangVien``. Empty values (and
    ``is_active`` None) leave what is on record."""

    full_name: str
    faculty: str  # unit code
    academic_title: str = ""
    email: str = ""
    phone: str = ""
    username: str = ""  # the lecturer's own account
    is_active: bool | None = None
    number: int | None = None  # the row in the workbook
    failed: frozenset[str] = frozenset()  # cells the reader already refused


@dataclass(frozen=True)
class AccountRow:
    """One user account, as in the sheet ``TaiKhoan``; ``roles`` are role codes."""

    username: str
    full_name: str
    email: str = ""
    roles: tuple[str, ...] = ()
    unit: str = ""  # unit code: a coordinator's locality, an agency
    is_active: bool | None = None
    number: int | None = None
    failed: frozenset[str] = frozenset()

    def __post_init__(self):
        # As the sign-in form reads what is typed (NFKC): "ｎｇｏｃ" is "ngoc".
        object.__setattr__(self, "username", unicodedata.normalize("NFKC", self.username or ""))


@dataclass
class PeopleResult:
    lecturers: Tally = field(default_factory=Tally)
    accounts: Tally = field(default_factory=Tally)
    dry_run: bool = False
    invitations: int = 0  # new accounts that get a link to set their password
    sent: int | None = None  # emails sent, once the import is saved (None before)
    unsent: list[str] = field(default_factory=list)  # usernames whose email the mail server refused
    unlinked: list[str] = field(default_factory=list)  # lecturer accounts no lecturer is linked to
    skipped: list[str] = field(default_factory=list)  # sheets missing or empty in the workbook

    def lines(self) -> list[str]:
        lines = counted_lines(
            self.dry_run,
            [
                (_("Lecturers: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."), self.lecturers),
                (_("User accounts: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."), self.accounts),
            ],
        )
        for sheet in self.skipped:
            lines.append(
                _("The sheet %(sheet)s is missing or has no rows: nothing was read from it.") % {"sheet": sheet}
            )
        count = {"count": format_int(self.invitations)}
        if self.invitations and self.dry_run:
            lines.append(
                ngettext(
                    "%(count)s new account would get an email with a link to set its password.",
                    "%(count)s new accounts would get an email with a link to set their password.",
                    self.invitations,
                )
                % count
            )
        elif self.invitations and self.sent is None:
            lines.append(
                ngettext(
                    "%(count)s new account will get an email with a link to set its password.",
                    "%(count)s new accounts will get an email with a link to set their password.",
                    self.invitations,
                )
                % count
            )
        elif self.invitations:
            lines.append(
                _("Emails with a link to set the password sent: %(count)s.") % {"count": format_int(self.sent)}
            )
        if self.unsent:
            lines.append(
                _("The email could not be sent to these accounts (the mail server refused it): %(usernames)s.")
                % {"usernames": ", ".join(self.unsent)}
            )
        if self.unlinked:
            lines.append(
                _("Lecturer accounts no lecturer is linked to, which see nothing until one is: %(usernames)s.")
                % {"usernames": ", ".join(self.unlinked)}
            )
        return lines
