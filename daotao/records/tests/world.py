"""The records tests' world: the demo's student ``hocvien.demo`` (class TCX02-2025-01,
graduated, diploma, graded essay, invited to six evaluation rounds), given also a second
class (CV-2026-03, which the demo's lecturer does not teach), a nomination under her
national ID and a career event, with the personas who look at her record."""

from __future__ import annotations

import datetime as dt

from daotao.accounts import roles
from daotao.accounts.models import User
from daotao.admissions.models import Application
from daotao.admissions.tests.world import make_application
from daotao.cohorts.models import Cohort, Enrollment
from daotao.demo import teaching_data as td
from daotao.planning.models import AnnualPlan
from daotao.surveys.outcomes import career_event_record
from daotao.testing import DemoTestCase, make_user


class RecordWorld(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.office = User.objects.get(username="daotao")
        cls.board = User.objects.get(username="bgh")
        cls.lecturer = User.objects.get(username=td.LECTURER_USERNAME)
        cls.agency = User.objects.get(username="coquan.snv")
        cls.other_coordinator = User.objects.get(username="diaphuong.x01")
        cls.student_user = User.objects.get(username=td.STUDENT_USERNAME)
        cls.student = cls.student_user.student
        cls.coordinator = make_user("hoso.dp", roles.LOCALITY_COORDINATOR, cls.student.locality)
        cls.cohort = Cohort.objects.get(code=td.TC_CODE)
        cls.classmate = cls.cohort.enrollments.exclude(student=cls.student).select_related("student").first().student
        cls.classmate_user = make_user("hoso.hv2", roles.STUDENT)
        cls.classmate.user = cls.classmate_user
        cls.classmate.save(update_fields=["user"])
        # A second class: the fostering course for chuyên viên, later in 2026.
        cls.second_cohort = Cohort.objects.get(code=td.CV_CODE)
        Enrollment.objects.create(cohort=cls.second_cohort, student=cls.student)
        student = cls.student
        cls.application = make_application(
            cls.cohort.program,
            student.locality,
            plan=AnnualPlan.objects.order_by("year").first(),
            national_id=student.national_id,
            full_name=student.full_name,
            date_of_birth=student.date_of_birth,
            gender=student.gender,
        )
        # Another person's nomination: never on her record.
        cls.other_application = Application.objects.exclude(national_id=student.national_id).first()
        cls.event = career_event_record(
            user=cls.office,
            student=student,
            kind="appointment",
            date=dt.date(2026, 9, 1),
            decision_number="245/QĐ-UBND",
            description="Phó Chủ tịch UBND phường Phú Mỹ",
        )
