"""The curricula DaoTao ships: modules, periods and assessment schemes of the programs a
provincial Political School teaches, installed as data (``install_curricula``) so that a
school adjusts them in the admin rather than in code.

The Trung cấp lý luận chính trị - hành chính curriculum has its published shape: six
knowledge blocks of 1.056 periods in all, a field-research part, and a graduation exam or
graduation essay. The split of periods between the modules of a block is illustrative; a
school enters its own current program.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from daotao.programs.models import Assessment, AssessmentKind, Module, ModuleKind, Program

# The programs a provincial Political School teaches (DESIGN.md glossary): code, name, kind,
# report category, typical weeks. ``install_programs`` adds those a school does not have.
PROGRAMS = (
    ("TC-LLCT-HC", "Trung cấp lý luận chính trị - hành chính", "training", "political_theory", 78),
    ("BD-CV", "Bồi dưỡng ngạch chuyên viên", "fostering", "civil_service_grade", 8),
    ("BD-CVC", "Bồi dưỡng ngạch chuyên viên chính", "fostering", "civil_service_grade", 8),
    ("BD-LDP", "Bồi dưỡng lãnh đạo cấp phòng", "fostering", "leadership", 6),
    ("BD-BTX", "Bồi dưỡng Bí thư, Phó Bí thư Thường trực cấp xã", "fostering", "grassroots", 4),
)

TEST = ("Kiểm tra", AssessmentKind.TEST, 30, False)
WRITTEN = ("Thi viết", AssessmentKind.WRITTEN_EXAM, 70, True)
ORAL = ("Thi vấn đáp", AssessmentKind.ORAL_EXAM, 70, True)


@dataclass(frozen=True)
class ModuleSpec:
    code: str
    name: str
    block: str
    periods: int
    scheme: tuple = (TEST, WRITTEN)
    kind: str = ModuleKind.COURSE


BLOCK_I = "Phần I. Những vấn đề cơ bản của chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh"
BLOCK_II = "Phần II. Những vấn đề cơ bản về Đảng Cộng sản và lịch sử Đảng Cộng sản Việt Nam"
BLOCK_III = "Phần III. Những vấn đề cơ bản về hệ thống chính trị, Nhà nước và pháp luật"
BLOCK_IV = "Phần IV. Đường lối của Đảng, chính sách, pháp luật của Nhà nước về các lĩnh vực"
BLOCK_V = "Phần V. Kỹ năng lãnh đạo, quản lý và nghiệp vụ công tác ở cơ sở"
BLOCK_VI = "Phần VI. Tình hình, nhiệm vụ của địa phương"
FIELD = "Nghiên cứu thực tế"
GRADUATION = "Tốt nghiệp"

TRUNG_CAP = (
    ModuleSpec("I.1", "Triết học Mác - Lênin", BLOCK_I, 80),
    ModuleSpec("I.2", "Kinh tế chính trị Mác - Lênin", BLOCK_I, 60),
    ModuleSpec("I.3", "Chủ nghĩa xã hội khoa học", BLOCK_I, 40),
    ModuleSpec("I.4", "Tư tưởng Hồ Chí Minh", BLOCK_I, 40),
    ModuleSpec("II.1", "Những vấn đề cơ bản về Đảng Cộng sản Việt Nam", BLOCK_II, 80),
    ModuleSpec("II.2", "Lịch sử Đảng Cộng sản Việt Nam", BLOCK_II, 80),
    ModuleSpec("III.1", "Hệ thống chính trị ở Việt Nam", BLOCK_III, 60),
    ModuleSpec("III.2", "Nhà nước và pháp luật xã hội chủ nghĩa", BLOCK_III, 96),
    ModuleSpec("III.3", "Quản lý hành chính nhà nước", BLOCK_III, 80),
    ModuleSpec("IV.1", "Đường lối, chính sách phát triển kinh tế", BLOCK_IV, 60),
    ModuleSpec("IV.2", "Đường lối, chính sách về văn hóa, xã hội", BLOCK_IV, 60),
    ModuleSpec("IV.3", "Đường lối quốc phòng, an ninh và đối ngoại", BLOCK_IV, 60),
    ModuleSpec("IV.4", "Chính sách dân tộc, tôn giáo", BLOCK_IV, 40),
    ModuleSpec("V.1", "Kỹ năng lãnh đạo, quản lý", BLOCK_V, 80, (TEST, ORAL)),
    ModuleSpec("V.2", "Nghiệp vụ công tác đảng, chính quyền, đoàn thể ở cơ sở", BLOCK_V, 80),
    ModuleSpec("VI.1", "Tình hình, nhiệm vụ phát triển kinh tế - xã hội của tỉnh", BLOCK_VI, 60),
    ModuleSpec(
        "NCTT",
        "Nghiên cứu thực tế",
        FIELD,
        40,
        (("Báo cáo thu hoạch", AssessmentKind.ESSAY, 100, False),),
        ModuleKind.FIELD_RESEARCH,
    ),
    # No periods of its own: it must be passed but does not weigh in the program average.
    ModuleSpec(
        "TN",
        "Thi tốt nghiệp hoặc tiểu luận tốt nghiệp",
        GRADUATION,
        0,
        (("Thi tốt nghiệp / tiểu luận", AssessmentKind.WRITTEN_EXAM, 100, True),),
        ModuleKind.GRADUATION,
    ),
)

FOSTERING_TEST = (("Bài kiểm tra", AssessmentKind.TEST, 100, False),)
FINAL_ESSAY = (("Tiểu luận cuối khóa", AssessmentKind.ESSAY, 100, False),)


def _fostering(*parts) -> tuple[ModuleSpec, ...]:
    specs = [
        ModuleSpec(f"P{index}", name, name, periods, FOSTERING_TEST) for index, (name, periods) in enumerate(parts, 1)
    ]
    specs.append(ModuleSpec("TL", "Tiểu luận cuối khóa", "Tiểu luận", 8, FINAL_ESSAY))
    return tuple(specs)


CURRICULA = {
    "TC-LLCT-HC": TRUNG_CAP,
    "BD-CV": _fostering(
        ("Kiến thức chung về chính trị, quản lý nhà nước", 96),
        ("Kiến thức quản lý nhà nước theo ngành, lĩnh vực", 80),
        ("Kỹ năng của chuyên viên", 56),
    ),
    "BD-CVC": _fostering(
        ("Kiến thức chung về chính trị, quản lý nhà nước", 112),
        ("Kiến thức quản lý nhà nước theo ngành, lĩnh vực", 96),
        ("Kỹ năng của chuyên viên chính", 72),
    ),
    "BD-LDP": _fostering(
        ("Kiến thức chung về lãnh đạo, quản lý cấp phòng", 64),
        ("Kỹ năng lãnh đạo, quản lý cấp phòng", 56),
    ),
    "BD-BTX": _fostering(
        ("Công tác xây dựng Đảng ở cơ sở", 40),
        ("Lãnh đạo phát triển kinh tế - xã hội ở xã", 40),
    ),
}


def knowledge_periods(specs=TRUNG_CAP) -> int:
    """Periods of the knowledge blocks (courses), without field research and graduation."""
    return sum(spec.periods for spec in specs if spec.kind == ModuleKind.COURSE)


@transaction.atomic
def install_programs() -> list[str]:
    """Create the shipped programs the school does not have (by code); a program on record
    is left as the school keeps it. Returns the codes created."""
    existing = set(Program.objects.filter(code__in=[p[0] for p in PROGRAMS]).values_list("code", flat=True))
    new = [
        Program(code=code, name=name, kind=kind, category=category, duration_weeks=weeks)
        for code, name, kind, category, weeks in PROGRAMS
        if code not in existing
    ]
    for program in new:
        program.full_clean()
    Program.objects.bulk_create(new)
    return [program.code for program in new]


@transaction.atomic
def install(codes=None) -> dict[str, int]:
    """Create the modules of each shipped curriculum whose program exists and has no
    modules yet (a school's own changes are never overwritten). Returns {code: modules}."""
    installed = {}
    for program in Program.objects.filter(code__in=codes or CURRICULA):
        if program.modules.exists():
            continue
        specs = CURRICULA[program.code]
        modules = Module.objects.bulk_create(
            [
                Module(
                    program=program, code=s.code, name=s.name, block=s.block, periods=s.periods, kind=s.kind, order=i
                )
                for i, s in enumerate(specs, start=1)
            ]
        )
        Assessment.objects.bulk_create(
            [
                Assessment(module=module, name=name, kind=kind, weight=weight, is_exam=is_exam, order=order)
                for module, spec in zip(modules, specs, strict=True)
                for order, (name, kind, weight, is_exam) in enumerate(spec.scheme, start=1)
            ]
        )
        installed[program.code] = len(modules)
    return installed
