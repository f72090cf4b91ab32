"""The cohort report page, its xlsx and PDF, by role, in a constant number of queries."""

import io
from decimal import Decimal as D

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daotao.grading import graduation
from daotao.grading.tests.test_graduation_base import DECIDED, GraduationWorldTestCase, grade_all
from daotao.testing import enroll


class ReportPageTests(GraduationWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for enrollment in cls.enrollments[:5]:
            grade_all(enrollment, D("8.5"))
        graduation.graduation_decide(user=cls.office, cohort=cls.cohort, number="58-QĐ/TCT", date=DECIDED)
        cls.url = reverse("grading:report", args=[cls.cohort.pk])

    def test_page_by_role(self):
        for user in (self.office, self.board, self.coordinator):
            self.client.force_login(user)
            response = self.client.get(self.url)
            self.assertContains(response, "5/6 học viên đủ điều kiện tốt nghiệp, trong đó 5 Giỏi")
            self.assertContains(response, "<svg")
            self.assertContains(response, self.enrollments[0].student.full_name)
        self.assertContains(response, reverse("grading:report_pdf", args=[self.cohort.pk]))
        self.assertNotContains(response, reverse("grading:decide", args=[self.cohort.pk]))  # not the office
        for user, status in (
            (self.other_coordinator, 404),
            (self.agency_user, 404),
            (self.lecturer_user, 403),
            (self.student_user, 403),
        ):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, status)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_downloads(self):
        self.client.force_login(self.coordinator)
        for url in (reverse("grading:report_xlsx", args=[self.cohort.pk]), self.url + "?format=xlsx"):
            response = self.client.get(url)
            self.assertIn("attachment", response["Content-Disposition"])
            book = openpyxl.load_workbook(io.BytesIO(response.content))
            self.assertIn("trong đó 5 Giỏi", book["TongHop"]["A2"].value)
            self.assertEqual(book["TotNghiep"].max_row, 6)
        pdf = self.client.get(reverse("grading:report_pdf", args=[self.cohort.pk]))
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        self.client.force_login(self.lecturer_user)
        self.assertEqual(self.client.get(reverse("grading:report_pdf", args=[self.cohort.pk])).status_code, 403)

    def test_queries_do_not_grow_with_the_class(self):
        self.client.force_login(self.office)
        self.client.get(self.url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        for enrollment in enroll(self.cohort, 20):
            enrollment.cohort = self.cohort
            grade_all(enrollment, D("7.5"))
        graduation.graduation_decide(user=self.office, cohort=self.cohort, number="72", date=DECIDED)
        with self.assertNumQueries(len(few)):
            response = self.client.get(self.url)
        self.assertContains(response, "25/26 học viên")
        with CaptureQueriesContext(connection) as xlsx:
            self.client.get(reverse("grading:report_xlsx", args=[self.cohort.pk]))
        self.assertLessEqual(len(xlsx), len(few))
