"""The cohort report from known data: the summary sentence as schools publish it, the
distribution in bins and its chart, the share of lessons with active methods, the xlsx."""

import datetime as dt
import io
from decimal import Decimal as D

import openpyxl
from django.utils import timezone

from daotao.grading import cohort_report, graduation
from daotao.grading.models import GraduationEntry
from daotao.grading.tests.test_graduation_base import DECIDED, GraduationWorldTestCase, fostering_cohort, grade_all
from daotao.lib.charts import bar_chart
from daotao.teaching.models import LectureLog, Lesson
from daotao.testing import enroll


class SummaryTests(GraduationWorldTestCase):
    def test_the_published_sentence_for_81_students(self):
        students = enroll(self.cohort, 75)  # 6 + 75 = 81
        for index, enrollment in enumerate([*self.enrollments, *students]):
            enrollment.cohort = self.cohort
            grade_all(enrollment, D("8.5") if index < 8 else D("7.5"))
        report = cohort_report.build(self.cohort)
        self.assertEqual(
            report.summary, "81/81 học viên đủ điều kiện tốt nghiệp, trong đó 8 Giỏi (9,88%), 73 Khá (90,12%)"
        )
        self.assertEqual((report.total, report.complete), (81, 81))

    def test_only_classes_with_graduates_in_their_order(self):
        for enrollment, score in zip(self.enrollments, ["9.5", "7.0", "5.5", "7.5", "4.0"], strict=False):
            grade_all(enrollment, D(score))
        report = cohort_report.build(self.cohort)  # the sixth has no grades yet
        self.assertEqual(
            report.summary,
            "4/6 học viên đủ điều kiện tốt nghiệp, trong đó 1 Xuất sắc (25,00%), 2 Khá (50,00%), 1 Trung bình (25,00%)",
        )
        self.assertEqual(len(report.not_complete), 2)

    def test_a_corrected_classification_is_the_one_reported(self):
        for enrollment in self.enrollments:
            grade_all(enrollment, D("8.5"))
        graduation.graduation_decide(user=self.office, cohort=self.cohort, number="58", date=DECIDED)
        entry = GraduationEntry.objects.get(enrollment=self.enrollments[0])
        graduation.graduation_entry_correct(user=self.office, entry=entry, classification="fair", reason="Kỷ luật")
        report = cohort_report.build(self.cohort)
        self.assertEqual(
            report.summary, "6/6 học viên đủ điều kiện tốt nghiệp, trong đó 5 Giỏi (83,33%), 1 Khá (16,67%)"
        )
        self.assertEqual(len(report.graduates), 6)

    def test_nobody_yet(self):
        self.assertEqual(cohort_report.build(self.cohort).summary, "0/6 học viên đủ điều kiện tốt nghiệp")

    def test_fostering_sentence_and_module_results(self):
        cohort = fostering_cohort(self, students=3)
        enrollments = cohort.enrollments.select_related("cohort__program").order_by("pk")
        for enrollment, score in zip(enrollments, ["6.0", "5.0", "4.5"], strict=True):
            grade_all(enrollment, D(score))
        report = cohort_report.build(cohort)
        self.assertEqual(report.summary, "2/3 học viên đủ điều kiện cấp chứng chỉ")
        self.assertEqual([count for _label, count in report.bins], [1, 1, 1, 0, 0, 0])


class DistributionTests(GraduationWorldTestCase):
    def test_bins_of_program_averages(self):
        for enrollment, score in zip(self.enrollments, ["4.0", "5.0", "6.9", "8.0", "9.0", "10"], strict=True):
            grade_all(enrollment, D(score))
        report = cohort_report.build(self.cohort)
        self.assertEqual([count for _label, count in report.bins], [1, 1, 1, 0, 1, 2])
        chart = report.chart()
        self.assertIn('role="img"', chart)
        self.assertIn(f'aria-labelledby="dist-{self.cohort.pk}-title dist-{self.cohort.pk}-desc"', chart)
        self.assertIn("<title", chart)
        self.assertEqual(chart.count("<rect"), 6)

    def test_chart_numbers_the_vietnamese_way(self):
        chart = bar_chart([("A & B", 1040), ("C", 0)], "Phân bố <điểm>", chart_id="x")
        self.assertIn(">1.040</text>", chart)
        self.assertIn("A &amp; B: 1.040; C: 0</desc>", chart)
        self.assertIn("Phân bố &lt;điểm&gt;</title>", chart)
        self.assertIn('height="0.0"', chart)  # an empty bin is drawn flat
        self.assertIn("<svg", bar_chart([], "Trống"))


class ActiveMethodsTests(GraduationWorldTestCase):
    def test_share_of_lessons_held(self):
        today = timezone.localdate()
        for day, methods in ((1, ["dialogue"]), (2, ["less_dictation"]), (3, ["practice"])):
            lesson = Lesson.objects.create(
                cohort=self.cohort,
                module=self.m1,
                lecturer=self.lecturer,
                date=dt.date(2026, 4, day),
                session="morning",
            )
            LectureLog.objects.create(lesson=lesson, methods=methods)
        Lesson.objects.create(
            cohort=self.cohort, module=self.m1, lecturer=self.lecturer, date=dt.date(2026, 4, 6), session="morning"
        )  # held, no lecture log: not active
        Lesson.objects.create(
            cohort=self.cohort,
            module=self.m1,
            lecturer=self.lecturer,
            date=today + dt.timedelta(days=3),
            session="morning",
        )  # not held yet
        report = cohort_report.build(self.cohort)
        self.assertEqual((report.active, report.held), (2, 4))
        self.assertEqual(report.active_share, "50,00%")
        self.assertEqual(cohort_report.build(self.other_cohort).active_share, "–")


class WorkbookTests(GraduationWorldTestCase):
    def test_xlsx(self):
        for enrollment in self.enrollments[:5]:
            grade_all(enrollment, D("8.5"))
        graduation.graduation_decide(user=self.office, cohort=self.cohort, number="58-QĐ/TCT", date=DECIDED)
        book = openpyxl.load_workbook(
            io.BytesIO(cohort_report.workbook(cohort_report.build(self.cohort), user=self.office))
        )
        summary = book["TongHop"]
        self.assertEqual(summary["A2"].value, "5/6 học viên đủ điều kiện tốt nghiệp, trong đó 5 Giỏi (100,00%)")
        graduates = list(book["TotNghiep"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(graduates), 5)
        self.assertEqual(graduates[0][1], self.enrollments[0].student.full_name)
        self.assertEqual(graduates[0][3:], (8.5, "Giỏi", "58-QĐ/TCT (22/06/2026)"))
