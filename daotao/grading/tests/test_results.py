"""A cohort's results from its records: grades, retakes, absences, essays, discipline."""

import datetime as dt
from decimal import Decimal as D

from django.utils import timezone

from daotao.cohorts.models import Cohort, EnrollmentStatus
from daotao.essays.models import Essay
from daotao.grading.models import Classification, Discipline, Grade, GradingRules
from daotao.grading.results import cohort_results
from daotao.grading.rules import ModuleStatus
from daotao.programs.models import ModuleKind
from daotao.teaching.models import Attendance, Lesson
from daotao.testing import TeachingWorldTestCase, enroll, make_cohort, make_module


def grade(enrollment, module, test, exam, retake=None):
    test_part, exam_part = module.assessments.order_by("order")
    rows = [Grade(enrollment=enrollment, assessment=test_part, score=test)]
    for attempt, mark in ((1, exam), (2, retake)):
        if mark == "absent":
            rows.append(Grade(enrollment=enrollment, assessment=exam_part, attempt=attempt, absent=True))
        elif mark is not None:
            rows.append(Grade(enrollment=enrollment, assessment=exam_part, attempt=attempt, score=mark))
    Grade.objects.bulk_create(rows)


class CohortResultsTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        e = cls.enrollments
        for enrollment in e:
            grade(enrollment, cls.m1, D("8.0"), D("9.0"))  # 8,7
            grade(enrollment, cls.m2, D("9.0"), D("9.5"))  # 9,4 (rounded from 9,35)
        grade(e[0], cls.m3, D("9.0"), D("9.0"))
        grade(e[1], cls.m3, D("9.0"), D("2.0"), D("9.0"))  # retake: 9,0 -> downgraded
        grade(e[2], cls.m3, D("6.0"), D("3.0"))  # failed, may retake
        grade(e[3], cls.m3, D("9.0"), "absent")  # missed exam, may retake
        grade(e[4], cls.m3, D("9.0"), D("9.0"))
        # e[5] has no m3 grades yet.
        Discipline.objects.create(enrollment=e[4], measure="warning", date=dt.date(2026, 4, 1), reason="Vắng họp")
        # m3: 4 lessons of 5 periods, attendance taken; e[0] misses 1 lesson (25% > 20%).
        taken = timezone.now()
        lessons = [
            Lesson.objects.create(
                cohort=cls.cohort,
                module=cls.m3,
                lecturer=cls.other_lecturer,
                date=dt.date(2026, 3, day),
                session="morning",
                periods=5,
                attendance_taken_at=taken,
            )
            for day in (3, 4, 5, 6)
        ]
        Attendance.objects.create(lesson=lessons[0], enrollment=e[0], status="unexcused")
        Attendance.objects.create(lesson=lessons[1], enrollment=e[1], status="late")

    def results(self):
        return cohort_results(self.cohort)

    def test_every_student_in_class_order(self):
        self.assertEqual(list(self.results().keys()), [e.pk for e in self.enrollments])

    def test_module_results_and_average(self):
        result = self.results()[self.enrollments[1].pk]
        self.assertEqual(result.modules[self.m1.pk].result, D("8.7"))
        self.assertEqual(result.modules[self.m2.pk].result, D("9.4"))
        self.assertEqual(result.modules[self.m3.pk].result, D("9.0"))
        # (60 x 8,7 + 45 x 9,4 + 30 x 9,0) / 135 = 9,00: Xuất sắc, one step lower after the retake.
        self.assertEqual(result.average, D("9.00"))
        self.assertEqual((result.classification, result.downgraded), (Classification.GOOD, True))
        self.assertTrue(result.retaken)
        self.assertTrue(result.complete)

    def test_late_is_not_missed(self):
        result = self.results()[self.enrollments[1].pk]
        self.assertEqual((result.missed_periods, result.modules[self.m3.pk].total_periods), (0, 20))

    def test_absences_bar_the_exam(self):
        result = self.results()[self.enrollments[0].pk]
        self.assertEqual(result.modules[self.m3.pk].status, ModuleStatus.BARRED)
        self.assertEqual(result.modules[self.m3.pk].missed_periods, 5)
        self.assertFalse(result.complete)
        self.assertIsNone(result.classification)
        self.assertIn("5", result.problems[0])

    def test_failed_and_missed_exams_may_be_retaken(self):
        results = self.results()
        self.assertEqual(results[self.enrollments[2].pk].modules[self.m3.pk].status, ModuleStatus.RETAKE)
        missed = results[self.enrollments[3].pk].modules[self.m3.pk]
        self.assertEqual((missed.status, missed.result), (ModuleStatus.RETAKE, D("2.7")))
        self.assertFalse(results[self.enrollments[2].pk].complete)

    def test_discipline_downgrades(self):
        result = self.results()[self.enrollments[4].pk]
        self.assertEqual((result.classification, result.downgraded), (Classification.GOOD, True))

    def test_missing_result_is_pending(self):
        result = self.results()[self.enrollments[5].pk]
        self.assertEqual(result.modules[self.m3.pk].status, ModuleStatus.PENDING)
        self.assertIsNone(result.average)
        self.assertFalse(result.complete)

    def test_withdrawn_student_cannot_complete(self):
        self.enrollments[4].status = EnrollmentStatus.WITHDRAWN
        self.enrollments[4].save()
        self.assertFalse(self.results()[self.enrollments[4].pk].complete)

    def test_program_rules_apply(self):
        GradingRules.objects.create(program=self.tc, downgrade_after_retake=False)
        self.tc.refresh_from_db()
        self.cohort.refresh_from_db()
        result = cohort_results(self.cohort)[self.enrollments[1].pk]
        self.assertEqual((result.classification, result.downgraded), (Classification.EXCELLENT, False))

    def test_constant_number_of_queries(self):
        with self.assertNumQueries(9):
            cohort_results(self.cohort)
        selected = Cohort.objects.select_related("program__grading_rules").get(pk=self.cohort.pk)
        with self.assertNumQueries(8):  # the program's rules selected with the class
            cohort_results(selected)
        big = make_cohort("TC99", self.tc, self.h01, dt.date(2026, 3, 2))
        for index in range(9):
            make_module(self.tc, f"X{index}", 10)
        for enrollment in enroll(big, 40):
            Grade.objects.create(enrollment=enrollment, assessment=self.m1.assessments.first(), score=D("7.0"))
        big = Cohort.objects.select_related("program").get(pk=big.pk)
        with self.assertNumQueries(9):
            results = cohort_results(big)
        self.assertEqual(len(results), 40)
        self.assertEqual(len(results.modules), 12)


class GraduationEssayTests(TeachingWorldTestCase):
    def test_scored_essay_stands_for_the_graduation_exam(self):
        graduation = make_module(
            self.tc, "TN", 0, (("Thi tốt nghiệp", "written_exam", 100, True),), kind=ModuleKind.GRADUATION
        )
        first, second = self.enrollments[:2]
        Essay.objects.create(enrollment=first, title="Nâng cao chất lượng sinh hoạt chi bộ", score=D("8.5"))
        Grade.objects.create(enrollment=second, assessment=graduation.assessments.get(), score=D("6.0"))
        results = cohort_results(self.cohort)
        self.assertEqual(results[first.pk].modules[graduation.pk].result, D("8.5"))
        self.assertEqual(results[second.pk].modules[graduation.pk].result, D("6.0"))


class FosteringTests(TeachingWorldTestCase):
    def test_certificate_conditions(self):
        program = self.programs["BD-CV"]
        module = make_module(program, "CV1", 8, (("Kiểm tra", "test", 100, False),))
        cohort = make_cohort("CV01", program, self.h01, dt.date(2026, 5, 4))
        good, low, absent = enroll(cohort, 3)
        part = module.assessments.get()
        Grade.objects.bulk_create(
            [
                Grade(enrollment=good, assessment=part, score=D("5.0")),
                Grade(enrollment=low, assessment=part, score=D("4.9")),
                Grade(enrollment=absent, assessment=part, score=D("9.0")),
            ]
        )
        lesson = Lesson.objects.create(
            cohort=cohort,
            module=module,
            lecturer=self.lecturer,
            date=dt.date(2026, 5, 4),
            session="morning",
            attendance_taken_at=timezone.now(),
        )
        Attendance.objects.create(lesson=lesson, enrollment=absent, status="excused")
        results = cohort_results(cohort)
        self.assertTrue(results[good.pk].complete)
        self.assertIsNone(results[good.pk].classification)
        self.assertFalse(results[low.pk].complete)
        self.assertFalse(results[absent.pk].complete)
        self.assertEqual(len(results[absent.pk].problems), 1)
