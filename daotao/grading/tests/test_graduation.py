"""The graduation decision and the class's graduation report."""

import datetime as dt
import io
from decimal import Decimal as D

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from daotao.audit.models import AuditEntry
from daotao.cohorts.models import EnrollmentStatus
from daotao.grading import cohort_report, graduation
from daotao.grading.models import Classification, Grade, GraduationEntry
from daotao.teaching.models import LectureLog, Lesson
from daotao.testing import TeachingWorldTestCase, enroll

DECIDED = dt.date(2026, 6, 22)


def grade_all(enrollment, score, exam=None):
    rows = []
    for module in enrollment.cohort.program.modules.all():
        for assessment in module.assessments.all():
            value = exam if (exam is not None and assessment.is_exam) else score
            rows.append(Grade(enrollment=enrollment, assessment=assessment, score=value))
    Grade.objects.bulk_create(rows)


class GraduationTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        scores = [D("9.5"), D("8.5"), D("8.0"), D("7.5"), D("7.0")]
        for enrollment, score in zip(cls.enrollments, scores, strict=False):
            grade_all(enrollment, score)
        grade_all(cls.enrollments[5], D("8.0"), exam=D("3.0"))  # failed every exam: not yet

    def test_preview_and_decision(self):
        eligible, others = graduation.graduation_preview(self.cohort)
        self.assertEqual(len(eligible), 5)
        self.assertEqual([r.enrollment for r in others], [self.enrollments[5]])
        decision = graduation.graduation_decide(user=self.office, cohort=self.cohort, number="58-QĐ/TCT", date=DECIDED)
        self.assertEqual(decision.entries.count(), 5)
        entry = GraduationEntry.objects.get(enrollment=self.enrollments[0])
        self.assertEqual((entry.average, entry.classification), (D("9.50"), Classification.EXCELLENT))
        self.enrollments[0].refresh_from_db()
        self.assertEqual(self.enrollments[0].status, EnrollmentStatus.COMPLETED)
        self.assertEqual(AuditEntry.objects.filter(action="graduation").count(), 5)
        # A supplementary decision has nobody new yet.
        with self.assertRaises(ValidationError):
            graduation.graduation_decide(user=self.office, cohort=self.cohort, number="60", date=DECIDED)

    def test_only_the_office_decides_and_corrects(self):
        with self.assertRaises(PermissionDenied):
            graduation.graduation_decide(user=self.board, cohort=self.cohort, number="1", date=DECIDED)
        graduation.graduation_decide(user=self.office, cohort=self.cohort, number="58", date=DECIDED)
        entry = GraduationEntry.objects.get(enrollment=self.enrollments[1])
        with self.assertRaises(ValidationError):
            graduation.graduation_entry_correct(user=self.office, entry=entry, classification="excellent", reason="")
        graduation.graduation_entry_correct(
            user=self.office, entry=entry, classification="excellent", reason="Phúc khảo học phần HP2"
        )
        audit = AuditEntry.objects.get(action="classification_corrected")
        self.assertEqual(audit.changes["classification"], ["good", "excellent"])
        self.assertEqual(audit.note, "Phúc khảo học phần HP2")

    def test_summary_as_schools_publish_it(self):
        report = cohort_report.build(self.cohort)
        self.assertEqual(report.summary, "5/6 học viên đủ điều kiện tốt nghiệp, trong đó 1 Xuất sắc, 2 Giỏi, 2 Khá")

    def test_active_methods_share_in_the_report(self):
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
            cohort=self.cohort,
            module=self.m1,
            lecturer=self.lecturer,
            date=today + dt.timedelta(days=3),
            session="morning",
        )  # not held yet
        report = cohort_report.build(self.cohort)
        self.assertEqual((report.active, report.held), (2, 3))
        self.assertEqual(report.active_share, "66,67%")

    def test_report_pages_by_role_and_formats(self):
        graduation.graduation_decide(user=self.office, cohort=self.cohort, number="58-QĐ/TCT", date=DECIDED)
        url = reverse("grading:report", args=[self.cohort.pk])
        self.client.force_login(self.coordinator)
        with CaptureQueriesContext(connection) as few:
            response = self.client.get(url)
        self.assertContains(response, "5/6 học viên đủ điều kiện tốt nghiệp")
        self.assertContains(response, "<svg")
        enroll(self.cohort, 20)
        with CaptureQueriesContext(connection) as many:
            self.client.get(url)
        self.assertEqual(len(many), len(few))
        book = openpyxl.load_workbook(io.BytesIO(self.client.get(url + "?format=xlsx").content))
        self.assertIn("trong đó", book["TongHop"]["A2"].value)
        self.assertEqual(book["TotNghiep"].max_row, 6)
        pdf = self.client.get(url + "?format=pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        self.client.force_login(self.other_coordinator)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.lecturer_user)
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_decision_page(self):
        url = reverse("grading:decide", args=[self.cohort.pk])
        self.client.force_login(self.board)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(self.office)
        self.assertContains(self.client.get(url), self.enrollments[5].student.full_name)
        response = self.client.post(url, {"number": "", "date": "22/06/2026"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(GraduationEntry.objects.exists())
        response = self.client.post(url, {"number": "58-QĐ/TCT", "date": "22/06/2026", "signed_by": "Hiệu trưởng"})
        self.assertRedirects(response, reverse("grading:report", args=[self.cohort.pk]))
        self.assertEqual(GraduationEntry.objects.count(), 5)
