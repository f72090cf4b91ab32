"""The nomination workbook: one sheet ``HoSo``, one row per candidate (docs/import-format.md).

The reader finds headers and choices by these definitions and the template workbook is
written from them. The sheet and column names and the Vietnamese choice labels are the
file format, so they are literals (the Vietnamese labels of the model's choices); each
choice is also accepted by its code. Help texts are translated.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from daotao.admissions.models import CivilServiceGrade, EducationLevel, PartyStatus, Rating, TheoryLevel
from daotao.cohorts.importing.columns import FUNDINGS, GENDERS, MODES, Choices, Column, SheetFormat

PARTY_STATUSES = Choices(
    {
        PartyStatus.NONE: ("Không", "Chưa là đảng viên", "Chưa"),
        PartyStatus.PROBATIONARY: ("Dự bị", "Đảng viên dự bị"),
        PartyStatus.FULL: ("Chính thức", "Đảng viên chính thức"),
    }
)
EDUCATION_LEVELS = Choices(
    {
        EducationLevel.LOWER_SECONDARY: ("Trung học cơ sở", "THCS"),
        EducationLevel.UPPER_SECONDARY: ("Trung học phổ thông", "THPT"),
        EducationLevel.VOCATIONAL: ("Trung cấp",),
        EducationLevel.COLLEGE: ("Cao đẳng",),
        EducationLevel.UNIVERSITY: ("Đại học", "Cử nhân", "Kỹ sư"),
        EducationLevel.MASTER: ("Thạc sĩ",),
        EducationLevel.DOCTORATE: ("Tiến sĩ",),
    }
)
THEORY_LEVELS = Choices(
    {
        TheoryLevel.NONE: ("Chưa có", "Không"),
        TheoryLevel.ELEMENTARY: ("Sơ cấp",),
        TheoryLevel.INTERMEDIATE: ("Trung cấp",),
        TheoryLevel.ADVANCED: ("Cao cấp", "Cao cấp, cử nhân", "Cử nhân"),
    }
)
RATINGS = Choices(
    {
        Rating.NOT_COMPLETED: ("Không hoàn thành nhiệm vụ",),
        Rating.COMPLETED: ("Hoàn thành nhiệm vụ",),
        Rating.GOOD: ("Hoàn thành tốt nhiệm vụ",),
        Rating.EXCELLENT: ("Hoàn thành xuất sắc nhiệm vụ",),
    }
)
GRADES = Choices(
    {
        CivilServiceGrade.NONE: ("Không", "Chưa có"),
        CivilServiceGrade.STAFF: ("Nhân viên",),
        CivilServiceGrade.OFFICER: ("Cán sự",),
        CivilServiceGrade.SPECIALIST: ("Chuyên viên",),
        CivilServiceGrade.PRINCIPAL: ("Chuyên viên chính",),
        CivilServiceGrade.SENIOR: ("Chuyên viên cao cấp",),
        CivilServiceGrade.RANK_IV: ("Viên chức hạng IV", "Hạng IV"),
        CivilServiceGrade.RANK_III: ("Viên chức hạng III", "Hạng III"),
        CivilServiceGrade.RANK_II: ("Viên chức hạng II", "Hạng II"),
        CivilServiceGrade.RANK_I: ("Viên chức hạng I", "Hạng I"),
    }
)
YES_NO = Choices({True: ("Có", "x"), False: ("Không",)})

NOMINATIONS = SheetFormat(
    "HoSo",
    (
        Column("program", "Mã chương trình", True, gettext_lazy("Code of the program."), ("Mã CT",)),
        Column("mode", "Hình thức", True, gettext_lazy("Mode of study."), ("Hình thức học",), MODES),
        Column("funding", "Kinh phí", True, gettext_lazy("Who pays the training costs."),
               ("Nguồn kinh phí",), FUNDINGS, 22),
        Column("locality", "Mã địa phương", True, gettext_lazy("Code of the nominating locality."), width=16),
        Column("agency", "Mã cơ quan", False,
               gettext_lazy("Code of the sending agency, if any; empty for an agency's own import means that agency."),
               ("Mã cơ quan cử đi học",), width=14),
        Column("national_id", "Số CCCD", True,
               gettext_lazy("Citizen identity card number (12 digits); one row per candidate."),
               ("CCCD", "Số căn cước công dân", "Số căn cước", "Số định danh cá nhân"), width=16),
        Column("full_name", "Họ và tên", True, gettext_lazy("Full name, with diacritics."), ("Họ tên",), width=28),
        Column("date_of_birth", "Ngày sinh", True,
               gettext_lazy("Date of birth (dd/mm/yyyy); the year must match digits 4-6 of the national ID."),
               width=14),
        Column("gender", "Giới tính", True, gettext_lazy("Must match digit 4 of the national ID."), (), GENDERS, 10),
        Column("ethnicity", "Dân tộc", False, gettext_lazy("Ethnic group; empty means Kinh."), width=12),
        Column("phone", "Điện thoại", False, gettext_lazy("Phone number."), ("Số điện thoại",), width=14),
        Column("email", "Email", False, gettext_lazy("Email address."), ("Thư điện tử",), width=26),
        Column("party_status", "Đảng viên", False, gettext_lazy("Party membership; empty means not a member."),
               ("Đảng tịch",), PARTY_STATUSES, 14),
        Column("party_joined_on", "Ngày vào Đảng", False, gettext_lazy("Date of joining the Party (dd/mm/yyyy)."),
               width=14),
        Column("education_level", "Trình độ học vấn", False, gettext_lazy("Highest education level."),
               ("Trình độ chuyên môn", "Học vấn"), EDUCATION_LEVELS, 18),
        Column("theory_level", "Trình độ lý luận chính trị", False,
               gettext_lazy("Political-theory level; empty means none."), ("Lý luận chính trị", "Trình độ LLCT"),
               THEORY_LEVELS, 16),
        Column("position", "Chức vụ", False, gettext_lazy("Current position, as written."), width=30),
        Column("position_category", "Mã loại chức vụ", False,
               gettext_lazy("Code of the kind of position the regulations name."), ("Mã chức vụ",), width=16),
        Column("workplace", "Đơn vị công tác", False, gettext_lazy("Workplace."), ("Nơi công tác",), width=30),
        Column("grade", "Ngạch", False, gettext_lazy("Civil-service grade or public-employee rank."),
               ("Ngạch công chức", "Ngạch, hạng"), GRADES, 18),
        Column("in_planning_pool", "Quy hoạch", False,
               gettext_lazy("In the cadre planning pool; empty means no."), ("Trong quy hoạch",), YES_NO, 10),
        Column("planned_position", "Mã chức vụ quy hoạch", False,
               gettext_lazy("Code of the kind of position the candidate is planned for."), width=16),
        Column("rating_last_year", "Xếp loại năm trước", False,
               gettext_lazy("Performance rating in the year before the plan year."), (), RATINGS, 24),
        Column("rating_year_before", "Xếp loại năm liền trước", False,
               gettext_lazy("Performance rating two years before the plan year."), ("Xếp loại hai năm trước",),
               RATINGS, 24),
        Column("documents", "Hồ sơ đã nộp", False,
               gettext_lazy("Codes of the documents received, separated by commas."), ("Giấy tờ đã nộp",), width=30),
        Column("notes", "Ghi chú", False, gettext_lazy("Free text."), width=30),
    ),
)  # fmt: skip
SHEETS = (NOMINATIONS,)
