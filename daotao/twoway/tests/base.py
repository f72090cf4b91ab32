"""Shared data of the two-way tests (no tests of its own): class TC01 (host H01) with known
grades, absences, a disciplinary measure, a graduation decision and diplomas; the students'
localities and agency, and the units' email addresses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.utils import timezone

from daotao.cohorts.models import Cohort, Enrollment
from daotao.grading import graduation, register
from daotao.grading.models import Discipline
from daotao.grading.tests.test_graduation_base import DECIDED, ISSUED, GraduationWorldTestCase, grade_all
from daotao.org.models import Unit
from daotao.people.models import Student
from daotao.teaching.models import Attendance, Lesson

H01_EMAIL = "h01@binhan.test"
AGENCY_EMAIL = "snv@binhan.test"


class TwoWayWorldTestCase(GraduationWorldTestCase):
    """``cohort`` TC01: six students ``e`` in class order, all from H01 except ``e[1]`` and
    ``e[3]``, who come from commune X0101 (below H01, which has no address of its own);
    ``e[2]`` was sent by the agency SNV. Everyone scores 8,0 in every component except
    ``e[5]``, whose exams are 3,0 (fails); ``e[1]`` had a warning (Good becomes Fair);
    ``e[0]`` missed one of five 5-period lessons of HP1 (5/25). Decision 58 graduated the
    five others and their diplomas were issued. ``other_cohort`` TC02 (H02, no address)
    has three students and a closing date of 30/06/2026."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Unit.objects.filter(pk=cls.h01.pk).update(email=H01_EMAIL)
        Unit.objects.filter(pk=cls.agency.pk).update(email=AGENCY_EMAIL)
        for unit in (cls.h01, cls.agency):
            unit.refresh_from_db()
        e = cls.e = cls.enrollments
        Student.objects.filter(pk__in=[e[1].student_id, e[3].student_id]).update(locality=cls.x01)
        for enrollment in e[:5]:
            grade_all(enrollment, D("8.0"))
        grade_all(e[5], D("8.0"), exam=D("3.0"))
        Discipline.objects.create(
            enrollment=e[1], measure="warning", date=dt.date(2026, 4, 1), decision_number="12/QĐ", reason="Vắng họp"
        )
        taken = timezone.now()
        lessons = [
            Lesson.objects.create(
                cohort=cls.cohort,
                module=cls.m1,
                lecturer=cls.lecturer,
                date=dt.date(2026, 3, day),
                session="morning",
                periods=5,
                attendance_taken_at=taken,
            )
            for day in (3, 4, 5, 6, 7)
        ]
        Attendance.objects.create(lesson=lessons[0], enrollment=e[0], status="unexcused")
        cls.decision = graduation.graduation_decide(user=cls.office, cohort=cls.cohort, number="58", date=DECIDED)
        cls.credentials = {
            credential.enrollment_id: credential
            for credential in register.credentials_issue_for_decision(
                user=cls.office, decision=cls.decision, issued_on=ISSUED
            )
        }
        Cohort.objects.filter(pk=cls.other_cohort.pk).update(closing_date=dt.date(2026, 6, 30))

    def setUp(self):
        super().setUp()
        self.e = list(Enrollment.objects.filter(pk__in=[e.pk for e in self.enrollments]).in_class_order())

    @staticmethod
    def fresh(cohort) -> Cohort:
        return Cohort.objects.select_related("program__grading_rules").get(pk=cohort.pk)
