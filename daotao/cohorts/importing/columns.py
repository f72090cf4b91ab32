"""The workbook format: its two sheets, their columns and the accepted choice labels.

The sheet ``Lop`` holds one row per class, the sheet ``HocVien`` one row per student of a
class (docs/import-format.md). The reader finds headers and choices by these definitions and
the template workbook is written from them, so the two cannot drift apart.

The sheet and column names and the Vietnamese choice labels below are the file format, so
they are literals; every help text is translated.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from daotao.cohorts.models import CohortStatus, EnrollmentStatus, Funding, Mode
from daotao.lib import national_id as cccd
from daotao.lib.vietnamese import fold


@functools.lru_cache(maxsize=4096)  # called for every choice cell: the same few labels
def label_key(text) -> str:
    """Header and sheet names compared without case, accents, punctuation or extra spaces."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(str(text or ""))).split())


class Choices:
    """The accepted spellings of a choice column: Vietnamese labels and internal codes."""

    def __init__(self, labels: dict):  # code (text, number or yes/no) -> its labels
        self.labels = labels
        self._lookup = {label_key(name): code for code, names in labels.items() for name in (code, *names)}

    def __getitem__(self, text: str) -> str | None:
        return self._lookup.get(label_key(text))

    def shown(self) -> str:
        # Codes after the labels; an empty code or a yes/no one has no spelling of its own.
        codes = [str(code) for code in self.labels if code != "" and not isinstance(code, bool)]
        return ", ".join([names[0] for names in self.labels.values()] + codes)

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
        return self._by_key[key]

    @functools.cached_property
    def _by_key(self) -> dict[str, Column]:  # column() is called for every cell read
        return {c.key: c for c in self.columns}

    def match(self, label) -> Column | None:
        key = label_key(label)
        return next((c for c in self.columns if key and key in {label_key(n) for n in (c.header, *c.aliases)}), None)


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
