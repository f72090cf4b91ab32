"""The teaching report page and its xlsx: known figures, the range, scope, and queries
that do not grow with the lessons."""

import datetime as dt
import io

import openpyxl
import time_machine
from django.urls import reverse

from daotao.teaching.tests.base import TODAY
from daotao.teaching.tests.test_reports import ReportTestCase

URL = reverse("teaching:report")
RANGE = {"start": "10/03/2026", "end": "11/03/2026"}


@time_machine.travel(TODAY, tick=False)
class ReportViewTests(ReportTestCase):
    def test_figures_by_lecturer_and_faculty(self):
        self.login(self.board)
        response = self.client.get(URL, RANGE)
        figures = response.context["figures"]
        self.assertEqual([line.periods for line in figures.lecturers], [13, 9])
        self.assertEqual(figures.total.active_share, 0.4)
        self.assertContains(response, "40,00%")
        self.assertContains(response, "33,33%")
        self.assertContains(response, "Khoa Nhà nước và pháp luật")

    def test_the_range_and_lessons_not_yet_held(self):
        self.login(self.office)
        figures = self.client.get(URL, {"start": "11/03/2026", "end": "31/12/2026"}).context["figures"]
        self.assertEqual(figures.total.periods, 3)  # the lesson of 01/06/2026 is not held yet
        response = self.client.get(URL, {"start": "31/03/2026", "end": "01/03/2026"})
        self.assertIsNone(response.context["figures"])
        self.assertTrue(response.context["form"].errors)
        response = self.client.get(URL, {"start": "hôm qua", "end": "01/03/2026"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["start"])

    def test_xlsx(self):
        self.login(self.office)
        response = self.client.get(URL, {**RANGE, "format": "xlsx"})
        self.assertIn("attachment", response["Content-Disposition"])
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["GioGiang", "TheoKhoa"])
        rows = list(book["GioGiang"].iter_rows(values_only=True))
        self.assertIn("10/03/2026", rows[0][0])
        giang = next(row for row in rows if row[0] == "Trần Văn Giảng")
        # lecturer, faculty, BD-CV, TC-LLCT-HC, school, locality, periods, lessons, active, share
        self.assertEqual(giang, ("Trần Văn Giảng", "Khoa Xây dựng Đảng", 0, 9, 0, 9, 9, 2, 1, 0.5))
        self.assertEqual(rows[-1][0], "Tổng cộng")
        self.assertEqual(rows[-1][6], 22)
        # By faculty: no faculty column, the same total under the table.
        faculties = list(book["TheoKhoa"].iter_rows(values_only=True))
        self.assertEqual(faculties[2][:2], ("Khoa", "BD-CV"))
        self.assertEqual(faculties[-1][0], "Tổng cộng")
        self.assertEqual(faculties[-1][5], 22)

    def test_scope(self):
        self.login(self.coordinator)  # H01: class TC01 only
        figures = self.client.get(URL, RANGE).context["figures"]
        self.assertEqual(figures.total.periods, 12)
        for user in (self.lecturer_user, self.student_user, self.nobody):
            self.login(user)
            self.assertEqual(self.client.get(URL, RANGE).status_code, 403)

    def test_queries_do_not_grow_with_lessons(self):
        self.login(self.office)
        self.client.get(URL, RANGE)
        with self.assertNumQueries(4) as first:
            self.client.get(URL, RANGE)
        for day in (10, 11):
            self.schedule(date=dt.date(2026, 3, day), session="evening", module=self.m2)
        with self.assertNumQueries(len(first.captured_queries)):
            response = self.client.get(URL, RANGE)
        self.assertEqual(response.context["figures"].total.lessons, 7)
