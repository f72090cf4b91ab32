"""A small world whose standard hours were computed by hand (the figures in the tests).

Rules of 2026: lecture 1, seminar 0,5, field trip 0,8, exam script 0,2, essay graded 0,5,
essay supervised 4, norm 200; program TC-LLCT-HC ×1,5; a class of more than 5 students
×1,1. Rules of 2025: lecture 2 and the shipped defaults otherwise, norm 250, no program or
size coefficient.

Classes: TC01 (6 students: ×1,5 ×1,1 = ×1,65), TC02 (3 students: ×1,5) and TC03 (2
students, opened 01/12/2025: ×1,5 in 2026, ×1 in 2025). "Now" is 20/03/2026 16:00 in
Hà Nội (``NOW``): the morning's lessons of that day are held, the evening's not yet.

lecturer (Khoa Xây dựng Đảng, own norm 180 in 2026):
  TC01 10/03 lecture 5 → 8,25; 11/03 seminar 4 → 3,30; 20/03 morning field trip 3 → 3,96;
  20/03 evening lecture 5 and 25/03 lecture 5: not held;
  TC03 15/12/2025 lecture 5 → 10,00 (2025); 05/01/2026 lecture 5 → 7,50;
  TC01 HP1's exam: 5 scripts (one student absent), shared with other_lecturer → 2,5 × 0,2 = 0,50;
  TC03 HP1's exam: 1 script graded on 20/12/2025 → 0,15 (2025);
  supervises one submitted essay → 4,00 (another essay not submitted counts nothing).
  2026: lecture 15,75 + seminar 3,30 + field trip 3,96 + scripts 0,50 + supervision 4,00 = 27,51
  2025: 10,00 + 0,15 = 10,15 (norm 250).
other_lecturer (Khoa Nhà nước và pháp luật, norm 200):
  TC01 12/03 lecture 5 → 8,25; TC02 12/03 afternoon lecture 5 → 7,50;
  scripts: 2,5 (HP1, shared) + 2 (HP3 in TC01) = 4,5 × 0,2 = 0,90; first grader of the essay → 0,50.
  2026: 15,75 + 0,90 + 0,50 = 17,15.
visiting (Khoa Xây dựng Đảng, visiting): TC01 13/03 lecture 2 → 3,30; second grader of the
  essay, no mark yet → nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine

from daotao.essays import services as essays
from daotao.grading.services import grade_record
from daotao.programs.models import ModuleKind
from daotao.teaching import services as teaching
from daotao.teaching.models import Lesson, TeachingAssignment
from daotao.testing import TeachingWorldTestCase, enroll, make_cohort, make_lecturer, make_module
from daotao.workload.models import ClassSizeBand, LecturerNorm, ProgramCoefficient, WorkloadRules

NOW = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)  # 16:00 in Hà Nội


def D(text: str) -> Decimal:
    return Decimal(text)


class WorkloadWorldTestCase(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        WorkloadRules.objects.all().delete()  # the shipped row, left out of the hand figures
        rules = WorkloadRules.objects.create(
            year=2026,
            decision="Quyết định 15-QĐ/TCT ngày 05/01/2026",
            lecture=D("1"),
            seminar=D("0.5"),
            field_trip=D("0.8"),
            exam_script=D("0.2"),
            essay_grading=D("0.5"),
            essay_supervision=D("4"),
            norm=D("200"),
        )
        ProgramCoefficient.objects.create(rules=rules, program=cls.tc, coefficient=D("1.5"))
        ClassSizeBand.objects.create(rules=rules, more_than=5, coefficient=D("1.1"))
        WorkloadRules.objects.create(year=2025, lecture=D("2"), norm=D("250"))
        LecturerNorm.objects.create(lecturer=cls.lecturer, year=2026, norm=D("180"), reason="Trưởng khoa")
        cls.visiting = make_lecturer("Phạm Văn Mời", cls.faculty, "gvtg")
        cls.visiting.is_visiting = True
        cls.visiting.save()
        cls.cross_year = make_cohort("TC03", cls.tc, cls.h01, dt.date(2025, 12, 1))
        cls.cross_enrollments = enroll(cls.cross_year, 2)
        for cohort, module, lecturer in [
            (cls.cohort, cls.m1, cls.other_lecturer),
            (cls.cohort, cls.m2, cls.visiting),
            (cls.cross_year, cls.m1, cls.lecturer),
        ]:
            TeachingAssignment.objects.create(cohort=cohort, module=module, lecturer=lecturer)
        lessons = [
            (cls.cohort, cls.m1, cls.lecturer, dt.date(2026, 3, 10), "morning", 5, "lecture"),
            (cls.cohort, cls.m1, cls.lecturer, dt.date(2026, 3, 11), "morning", 4, "seminar"),
            (cls.cohort, cls.m2, cls.lecturer, dt.date(2026, 3, 20), "morning", 3, "field_trip"),
            (cls.cohort, cls.m2, cls.lecturer, dt.date(2026, 3, 20), "evening", 5, "lecture"),
            (cls.cohort, cls.m2, cls.lecturer, dt.date(2026, 3, 25), "morning", 5, "lecture"),
            (cls.cross_year, cls.m1, cls.lecturer, dt.date(2025, 12, 15), "morning", 5, "lecture"),
            (cls.cross_year, cls.m1, cls.lecturer, dt.date(2026, 1, 5), "morning", 5, "lecture"),
            (cls.cohort, cls.m3, cls.other_lecturer, dt.date(2026, 3, 12), "morning", 5, "lecture"),
            (cls.other_cohort, cls.m1, cls.other_lecturer, dt.date(2026, 3, 12), "afternoon", 5, "lecture"),
            (cls.cohort, cls.m2, cls.visiting, dt.date(2026, 3, 13), "morning", 2, "lecture"),
        ]
        for cohort, module, lecturer, day, session, periods, kind in lessons:
            lesson = teaching.lesson_schedule(
                user=cls.office,
                cohort=cohort,
                module=module,
                lecturer=lecturer,
                date=day,
                session=session,
                periods=periods,
            )
            Lesson.objects.filter(pk=lesson.pk).update(kind=kind)
        m1_exam = cls.m1.assessments.get(is_exam=True)
        m1_test = cls.m1.assessments.get(is_exam=False)
        m3_exam = cls.m3.assessments.get(is_exam=True)
        with time_machine.travel(dt.datetime(2025, 12, 20, 3, 0, tzinfo=dt.UTC), tick=False):
            grade_record(user=cls.office, enrollment=cls.cross_enrollments[0], assessment=m1_exam, value="7")
        make_module(cls.tc, "TN", 0, (("Tiểu luận tốt nghiệp", "essay", 100, True),), kind=ModuleKind.GRADUATION)
        with time_machine.travel(NOW, tick=False):
            for index, enrollment in enumerate(cls.enrollments):
                grade_record(user=cls.office, enrollment=enrollment, assessment=m1_test, value="8")
                value = "v" if index == 5 else "7,5"
                grade_record(user=cls.office, enrollment=enrollment, assessment=m1_exam, value=value)
            for enrollment in cls.enrollments[:2]:
                grade_record(user=cls.office, enrollment=enrollment, assessment=m3_exam, value="6")
            submitted = essays.essay_register(user=cls.office, enrollment=cls.enrollments[0], title="Đề tài một")
            pending = essays.essay_register(user=cls.office, enrollment=cls.enrollments[1], title="Đề tài hai")
            for essay in (submitted, pending):
                essays.essay_topic_decide(user=cls.office, essay=essay, approve=True)
                essays.essay_assign(
                    user=cls.office,
                    essay=essay,
                    supervisor=cls.lecturer,
                    first_grader=cls.other_lecturer,
                    second_grader=cls.visiting,
                )
            essays.essay_submit(user=cls.office, essay=submitted, text="Nội dung tiểu luận.")
            essays.essay_grade(user=cls.office, essay=submitted, grader=cls.other_lecturer, score="8")
