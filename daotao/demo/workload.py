"""The demo's workload settings: the school's decisions on the coefficients (2025, and 2026
with a weight for the fostering of civil servants), a lecturer's reduced norm, two visiting
lecturers, and the Trung cấp class's discussion sessions (every fourth lesson of a module
taught as a seminar)."""

from __future__ import annotations

from decimal import Decimal

from daotao.demo import teaching_data as td
from daotao.org.models import Lecturer
from daotao.programs.models import Program
from daotao.teaching.models import Lesson, LessonKind
from daotao.workload.models import ClassSizeBand, LecturerNorm, ProgramCoefficient, WorkloadRules

VISITING = ("Ngô Thanh Sơn", "Bùi Thị Hồng Nhung")
DECISIONS = (
    (2025, "Quyết định số 12-QĐ/TCT ngày 06/01/2025 của Hiệu trưởng", Decimal("0.7"), Decimal(270)),
    (2026, "Quyết định số 09-QĐ/TCT ngày 05/01/2026 của Hiệu trưởng", Decimal("0.8"), Decimal(280)),
)
BANDS = ((60, Decimal("1.1")), (100, Decimal("1.2")))


def load() -> None:
    """Write the demo's workload settings once."""
    if WorkloadRules.objects.filter(year__in=[year for year, *_ in DECISIONS]).exists():
        return
    for year, decision, seminar, norm in DECISIONS:
        rules = WorkloadRules.objects.create(year=year, decision=decision, seminar=seminar, norm=norm)
        ClassSizeBand.objects.bulk_create(
            [ClassSizeBand(rules=rules, more_than=more_than, coefficient=value) for more_than, value in BANDS]
        )
        if year == 2026:
            ProgramCoefficient.objects.create(
                rules=rules, program=Program.objects.get(code="BD-CV"), coefficient=Decimal("1.2")
            )
    homeroom = Lecturer.objects.get(full_name=td.LECTURER_NAME)
    LecturerNorm.objects.create(
        lecturer=homeroom, year=2026, norm=Decimal(240), reason="Giảm định mức: kiêm nhiệm chủ nhiệm lớp"
    )
    Lecturer.objects.filter(full_name__in=VISITING).update(is_visiting=True)
    lessons = Lesson.objects.filter(cohort__code=td.TC_CODE).order_by("module_id", "date", "session", "pk")
    seminars, previous, index = [], None, 0
    for pk, module_id in lessons.values_list("pk", "module_id"):
        index = index + 1 if module_id == previous else 1
        previous = module_id
        if index % 4 == 0:
            seminars.append(pk)
    Lesson.objects.filter(pk__in=seminars).update(kind=LessonKind.SEMINAR)
