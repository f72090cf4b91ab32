"""The admissions test world: the base world plus a sending agency, the 2026 plan, the
shipped presets, and a builder of applications that pass every Trung cấp standard unless
told otherwise."""

from __future__ import annotations

import datetime as dt
import itertools

from daotao.accounts import roles
from daotao.admissions import checks, presets
from daotao.admissions.models import (
    Application,
    ApplicationDocument,
    DocumentType,
    EducationLevel,
    PartyStatus,
    PositionCategory,
    ProgramDocument,
    Rating,
)
from daotao.lib import national_id
from daotao.org.models import UnitKind
from daotao.planning.models import AnnualPlan, Quota
from daotao.testing import WorldTestCase, make_unit, make_user

YEAR = 2026
_serial = itertools.count(5000)


class AdmissionsTestCase(WorldTestCase):
    """Adds ``agency`` (Sở Nội vụ, below the province) with its user ``agency_user``, the plan
    ``plan`` (2026, approved) with quotas for H01 and H02, and the presets."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.agency = make_unit("SNV", "Sở Nội vụ", UnitKind.AGENCY, cls.province)
        cls.other_agency = make_unit("STC", "Sở Tài chính", UnitKind.AGENCY, cls.province)
        cls.agency_user = make_user("agency1", roles.SENDING_AGENCY, cls.agency)
        cls.plan = AnnualPlan.objects.create(
            year=YEAR, status="approved", decision_number="15-QĐ/TCT", decision_date=dt.date(2026, 1, 10)
        )
        cls.tc = cls.programs["TC-LLCT-HC"]
        cls.cvc = cls.programs["BD-CVC"]
        for locality, students in ((cls.h01, 80), (cls.h02, 60)):
            Quota.objects.create(
                plan=cls.plan, program=cls.tc, locality=locality, funding="supported", classes=1, students=students
            )
        presets.install()
        cls.positions = {p.code: p for p in PositionCategory.objects.all()}
        cls.documents = {d.code: d for d in DocumentType.objects.all()}


def make_application(program, locality, *, received="all", plan=None, **fields) -> Application:
    """A saved, checked application; by default it meets every Trung cấp standard and its
    required documents are received (``received``: "all", or a list of document codes)."""
    born = fields.pop("date_of_birth", dt.date(1988, 4, 12))
    gender = fields.pop("gender", "male")
    values = {
        "plan": plan or AnnualPlan.objects.get(year=YEAR),
        "program": program,
        "locality": locality,
        "mode": "non_concentrated",
        "funding": "supported",
        "full_name": "Trần Thị Ngọc Diệp" if gender == "female" else "Nguyễn Văn Bình",
        "national_id": national_id.make("052", gender, born, next(_serial)),
        "date_of_birth": born,
        "gender": gender,
        "ethnicity": "Kinh",
        "party_status": PartyStatus.FULL,
        "party_joined_on": dt.date(2012, 5, 19),
        "education_level": EducationLevel.UNIVERSITY,
        "position": "Phó Trưởng phòng Văn hóa - Xã hội",
        "position_category": PositionCategory.objects.get(code="PHO-PHONG"),
        "rating_last_year": Rating.GOOD,
        "rating_year_before": Rating.EXCELLENT,
        "grade": "specialist",
    }
    values.update(fields)
    application = Application(**values)
    application.save()
    required = ProgramDocument.objects.filter(program=program).select_related("document_type")
    codes = [d.document_type.code for d in required if d.required] if received == "all" else received
    for code in codes:
        ApplicationDocument.objects.create(
            application=application, document_type=DocumentType.objects.get(code=code), received=True
        )
    checks.refresh([application])
    application.refresh_from_db()
    return application
