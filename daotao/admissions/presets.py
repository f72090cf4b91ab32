"""The standards that ship with DaoTao, as data: position categories, dossier documents,
and the eligibility rules and checklists of two programs. ``install()`` (the command
``python manage.py admission_presets``) writes them for the programs on record with these
codes; it is idempotent and never changes a rule the training office has edited since.

Trung cấp lý luận chính trị - hành chính (``TC-LLCT-HC``): Quy định 350-QĐ/TW of the Party
Secretariat, 29/8/2025, on who may attend political-theory training:

- serving or in the planning pool for: a member of a Party committee of a grassroots Party
  cell or committee or above; deputy head of a department (or equivalent) or above of an
  agency or public unit of the commune or province level or of a central body; in the army,
  battalion command and equivalent; in the police, deputy head of a commune police station,
  deputy team leader and above; in state enterprises, head of a board or department;
- a probationary or full Party member;
- a college degree or higher (upper secondary for ethnic-minority cadres);
- rated "completed duties well" or better in each of the two years before being sent;
- for non-concentrated study, women aged 28 or over and men aged 30 or over;
- special cases are decided by the competent level (recorded as exceptions, with who decided).

Bồi dưỡng ngạch chuyên viên chính (``BD-CVC``): holds the chuyên viên grade or an equivalent
public-employee rank (hạng III), with its certificate in the dossier.
"""

from __future__ import annotations

from django.db import transaction

from daotao.admissions.models import (
    CivilServiceGrade,
    DocumentType,
    EducationLevel,
    EligibilityRule,
    PartyStatus,
    PositionCategory,
    ProgramDocument,
    Rating,
    RuleKind,
)
from daotao.cohorts.models import Mode
from daotao.programs.models import Program

QD_350 = "Quy định 350-QĐ/TW ngày 29/8/2025"

POSITIONS = [
    ("CAP-UY", "Cấp ủy viên chi bộ cơ sở, đảng bộ cơ sở trở lên"),
    ("PHO-PHONG", "Phó trưởng phòng (tương đương) trở lên của cơ quan, đơn vị cấp xã, cấp tỉnh, Trung ương"),
    ("QUAN-DOI", "Chỉ huy cấp tiểu đoàn (tương đương) trở lên trong quân đội"),
    ("CONG-AN", "Phó trưởng công an cấp xã, phó đội trưởng (tương đương) trở lên"),
    ("DOANH-NGHIEP", "Trưởng ban, trưởng phòng (tương đương) trở lên của doanh nghiệp nhà nước"),
    ("CONG-CHUC-XA", "Công chức cấp xã"),
    ("KHAC", "Vị trí khác"),
]
TC_POSITIONS = ["CAP-UY", "PHO-PHONG", "QUAN-DOI", "CONG-AN", "DOANH-NGHIEP"]

DOCUMENTS = [
    ("QD-CU", "Quyết định hoặc công văn cử đi học"),
    ("SYLL", "Sơ yếu lý lịch"),
    ("BANG", "Bản sao văn bằng, chứng chỉ"),
    ("SUC-KHOE", "Giấy chứng nhận sức khỏe"),
    ("DANG-VIEN", "Giấy xác nhận đảng viên"),
    ("DANH-GIA", "Kết quả đánh giá, xếp loại hai năm liền kề"),
    ("QUY-HOACH", "Xác nhận quy hoạch"),
    ("CC-CV", "Chứng chỉ bồi dưỡng ngạch chuyên viên"),
    ("QD-NGACH", "Quyết định bổ nhiệm ngạch hoặc chức danh nghề nghiệp"),
]

CHECKLISTS = {
    "TC-LLCT-HC": [
        ("QD-CU", True), ("SYLL", True), ("BANG", True), ("SUC-KHOE", True), ("DANG-VIEN", True),
        ("DANH-GIA", True), ("QUY-HOACH", False),
    ],
    "BD-CVC": [("QD-CU", True), ("SYLL", True), ("QD-NGACH", True), ("CC-CV", True), ("SUC-KHOE", False)],
}  # fmt: skip

RULES = {
    "TC-LLCT-HC": [
        {"kind": RuleKind.POSITION, "accept_planning_pool": True, "positions": TC_POSITIONS},
        {"kind": RuleKind.PARTY, "party_status": PartyStatus.PROBATIONARY},
        {
            "kind": RuleKind.EDUCATION,
            "education_min": EducationLevel.COLLEGE,
            "minority_education_min": EducationLevel.UPPER_SECONDARY,
        },
        {"kind": RuleKind.PERFORMANCE, "rating_min": Rating.GOOD, "rating_years": 2},
        {"kind": RuleKind.AGE, "mode": Mode.NON_CONCENTRATED, "min_age_female": 28, "min_age_male": 30},
    ],
    "BD-CVC": [
        {
            "kind": RuleKind.GRADE,
            "grades": [CivilServiceGrade.SPECIALIST, CivilServiceGrade.RANK_III],
            "source": "Nghị định 171/2025/NĐ-CP",
        },
    ],
}


@transaction.atomic
def install() -> dict[str, int]:
    """Write the presets; returns how many records were created of each kind."""
    created = {"positions": 0, "documents": 0, "checklist": 0, "rules": 0}
    positions = {}
    for code, name in POSITIONS:
        positions[code], new = PositionCategory.objects.get_or_create(code=code, defaults={"name": name})
        created["positions"] += new
    documents = {}
    for code, name in DOCUMENTS:
        documents[code], new = DocumentType.objects.get_or_create(code=code, defaults={"name": name})
        created["documents"] += new
    programs = {p.code: p for p in Program.objects.filter(code__in=set(CHECKLISTS) | set(RULES))}
    for program_code, items in CHECKLISTS.items():
        program = programs.get(program_code)
        if program is None:
            continue
        for order, (document_code, required) in enumerate(items, start=1):
            _, new = ProgramDocument.objects.get_or_create(
                program=program,
                document_type=documents[document_code],
                defaults={"required": required, "order": order},
            )
            created["checklist"] += new
    for program_code, rules in RULES.items():
        program = programs.get(program_code)
        if program is None or program.eligibility_rules.exists():
            continue  # a program whose rules the office keeps is left alone
        for order, spec in enumerate(rules, start=1):
            spec = dict(spec)
            codes = spec.pop("positions", [])
            spec.setdefault("source", QD_350)
            rule = EligibilityRule.objects.create(program=program, order=order, **spec)
            rule.positions.set([positions[code] for code in codes])
            created["rules"] += 1
    return created
