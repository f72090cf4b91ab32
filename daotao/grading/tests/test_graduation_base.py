"""Shared data of the graduation, register and report tests (no tests of its own): grades
that pass or fail, a fostering class, a sending agency with one of the students."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from daotao.accounts import roles
from daotao.grading import graduation, register
from daotao.grading.models import Grade
from daotao.org.models import UnitKind
from daotao.people.models import Student
from daotao.testing import TeachingWorldTestCase, enroll, make_cohort, make_module, make_unit, make_user

DECIDED = dt.date(2026, 6, 22)
ISSUED = dt.date(2026, 7, 6)


def grade_all(enrollment, score, exam=None) -> None:
    """Every component of every module of the student's program: ``score``, the exams
    ``exam`` when given."""
    rows = []
    for module in enrollment.cohort.program.modules.all():
        for assessment in module.assessments.all():
            value = exam if (exam is not None and assessment.is_exam) else score
            rows.append(Grade(enrollment=enrollment, assessment=assessment, score=value))
    Grade.objects.bulk_create(rows)


def pass_everything(cohort, score=D("8.0")) -> None:
    for enrollment in cohort.enrollments.select_related("cohort__program"):
        grade_all(enrollment, score)


def fostering_cohort(world, code="CV01", students=2):
    """A chuyên viên fostering class with one module tested once (100%), hosted in H01."""
    program = world.programs["BD-CV"]
    if not program.modules.exists():
        make_module(program, "CV1", 8, (("Kiểm tra", "test", 100, False),))
    cohort = make_cohort(code, program, world.h01, dt.date(2026, 9, 7))
    enroll(cohort, students)
    return cohort


class GraduationWorldTestCase(TeachingWorldTestCase):
    """The teaching world plus a sending agency (``agency``, user ``agency_user``) that sent
    the third student of ``cohort``, and ``other_agency_user`` of an agency that sent nobody."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.agency = make_unit("SNV", "Sở Nội vụ", UnitKind.AGENCY, cls.province)
        other_agency = make_unit("STC", "Sở Tài chính", UnitKind.AGENCY, cls.province)
        cls.agency_user = make_user("agency1", roles.SENDING_AGENCY, cls.agency)
        cls.other_agency_user = make_user("agency2", roles.SENDING_AGENCY, other_agency)
        Student.objects.filter(pk=cls.enrollments[2].student_id).update(agency=cls.agency)


class DecidedWorldTestCase(GraduationWorldTestCase):
    """The graduation world where every student of ``cohort`` passed and the decision
    (``decision``, number 58) recognises them; ``issue(index)`` gives the student at
    ``index`` their credential."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        pass_everything(cls.cohort)
        cls.decision = graduation.graduation_decide(user=cls.office, cohort=cls.cohort, number="58", date=DECIDED)

    def issue(self, index, issued_on=ISSUED):
        return register.credential_issue(user=self.office, enrollment=self.enrollments[index], issued_on=issued_on)
