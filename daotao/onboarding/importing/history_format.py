"""The past-records workbook: its two sheets, their columns and accepted labels, and the
typed rows they are read into (docs/onboarding.md, "Past records").

``KetQua`` holds one row per graduate of a past class (the average, the classification and
the graduation decision); ``VanBang`` one row per diploma, certificate or confirmation of
completion already in the school's register, with the numbers the school gave it. The sheet
and column names and the Vietnamese labels are the file format, so they are literals; help
texts are translated. Column keys name what a cell fills.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy

from daotao.cohorts.importing.columns import STUDENTS, Choices, Column, SheetFormat
from daotao.grading.models import CredentialKind
from daotao.grading.rules import Classification

CLASSIFICATIONS = Choices(
    {
        Classification.EXCELLENT: ("Xuất sắc",),
        Classification.GOOD: ("Giỏi",),
        Classification.FAIR: ("Khá",),
        Classification.AVERAGE: ("Trung bình",),
    }
)
KINDS = Choices(
    {
        CredentialKind.DIPLOMA: ("Bằng", "Bằng tốt nghiệp", "Văn bằng"),
        CredentialKind.CERTIFICATE: ("Chứng chỉ",),
        CredentialKind.CONFIRMATION: ("Giấy xác nhận", "Giấy xác nhận hoàn thành"),
    }
)
NATIONAL_ID = STUDENTS.column("national_id")

RESULTS = SheetFormat(
    "KetQua",
    (
        Column("cohort", "Mã lớp", True, gettext_lazy("Code of a past class on record (imported with its students)."),
               width=16),
        Column("national_id", NATIONAL_ID.header, True,
               gettext_lazy("National ID of a student enrolled in that class; one row per graduate."),
               NATIONAL_ID.aliases, width=16),
        Column("average", "Điểm trung bình", False,
               gettext_lazy("Program average from 0 to 10 (7,25 or a number cell); training programs only."),
               ("Điểm TB", "ĐTB", "Điểm trung bình toàn khóa"), width=14),
        Column("classification", "Xếp loại", False,
               gettext_lazy("Classification of a training program's graduate: a band of the program's grading "
                            "rules (by default these; a program may have others, e.g. Trung bình khá); empty: the "
                            "band of the average. Fostering courses are not classified."),
               ("Xếp loại tốt nghiệp",), CLASSIFICATIONS, 14),
        Column("decision_number", "Số quyết định", True,
               gettext_lazy("Number of the graduation (or completion) decision; one decision per class and number."),
               ("Số QĐ", "Số quyết định tốt nghiệp"), width=20),
        Column("decision_date", "Ngày quyết định", True,
               gettext_lazy("Date of that decision (dd/mm/yyyy); the same on every row of the decision."),
               ("Ngày QĐ", "Ngày ký quyết định"), width=16),
    ),
)  # fmt: skip
# No alias "Số thứ tự" or "STT": that is the header of the row-number column schools add.
REGISTER = SheetFormat(
    "VanBang",
    (
        Column("kind", "Loại", True, gettext_lazy("Diploma (training), certificate (fostering) or confirmation of "
                                                  "completion (given for a lost certificate)."),
               ("Loại văn bằng", "Loại văn bằng, chứng chỉ"), KINDS, 16),
        Column("cohort", "Mã lớp", True, gettext_lazy("Code of the class the student graduated from."), width=16),
        Column("national_id", NATIONAL_ID.header, True, gettext_lazy("National ID of a graduate of that class."),
               NATIONAL_ID.aliases, width=16),
        Column("register_number", "Số vào sổ", True,
               gettext_lazy("Register number as the school wrote it (at most 32 characters); unique."),
               ("Số vào sổ cấp", "Số vào sổ cấp văn bằng"), width=18),
        Column("serial_number", "Số hiệu", True,
               gettext_lazy("Serial number printed on the form (at most 32 characters); unique."),
               ("Số hiệu văn bằng", "Số seri", "Số sê-ri"), width=16),
        Column("issued_on", "Ngày cấp", True, gettext_lazy("Date of issue (dd/mm/yyyy), not before the decision."),
               width=14),
        Column("year", "Năm vào sổ", False, gettext_lazy("Year of the register; empty: the year of the date of issue."),
               width=12),
        Column("sequence", "Số thứ tự trong sổ", False,
               gettext_lazy("Number in that year's register; empty: the number the register number starts with."),
               ("Số TT trong sổ",), width=14),
    ),
)  # fmt: skip
SHEETS = (RESULTS, REGISTER)


@dataclass(frozen=True)
class ResultRow:
    """A graduate of a past class: their average and classification (training programs)
    and the decision that graduated them. ``row`` and ``columns`` (column key -> "Header
    (letter)") say where it was read, for the problems."""

    cohort: str
    national_id: str
    decision_number: str
    decision_date: dt.date | None
    average: Decimal | None = None
    classification: str = ""
    row: int | None = None
    columns: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class CredentialRow:
    """A diploma, certificate or confirmation in the school's register, with its numbers.
    ``year`` and ``sequence`` (the number in that year's register) may be left None: the
    year of ``issued_on`` and the number ``register_number`` starts with."""

    kind: str
    cohort: str
    national_id: str
    register_number: str
    serial_number: str
    issued_on: dt.date | None
    year: int | None = None
    sequence: int | None = None
    row: int | None = None
    columns: Mapping[str, str] = field(default_factory=dict, compare=False)
