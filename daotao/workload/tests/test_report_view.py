"""The report's pages and workbook: who sees what, the figures shown, the query count."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import time_machine
from django.urls import reverse

from daotao.lib import xlsx
from daotao.testing import make_lecturer
from daotao.workload.export import HOURS
from daotao.workload.tests.base import NOW, WorkloadWorldTestCase

REPORT = reverse("workload:report")
MINE = reverse("workload:mine")
# The session, the user and their roles, then the nine of ``lecturer_workload``.
QUERIES = 12


@time_machine.travel(NOW, tick=False)
class ReportViewTests(WorkloadWorldTestCase):
    def get(self, user, address, **params):
        self.client.force_login(user)
        return self.client.get(address, params)

    def test_the_office_and_the_board_see_every_lecturer(self):
        for user in (self.office, self.board, self.superuser):
            response = self.get(user, REPORT, year=2026)
            self.assertEqual(response.status_code, 200)
            body = response.content.decode()
            for name in ("Trần Văn Giảng", "Lê Thị Dạy", "Phạm Văn Mời", "Khoa Xây dựng Đảng"):
                self.assertIn(name, body)
            self.assertIn("27,51", body)  # the lecturer's total
            self.assertIn("44,66", body)  # the school's total
            self.assertIn("Quyết định 15-QĐ/TCT", body)

    def test_visiting_lecturers_in_their_own_section(self):
        body = self.get(self.office, REPORT, year=2026).content.decode()
        school_total = body.index("44,66")  # the lecturers with a norm end with the school's total
        self.assertLess(body.index("Trần Văn Giảng"), school_total)
        self.assertGreater(body.index("Phạm Văn Mời"), school_total)

    def test_others_are_refused(self):
        for user in (self.coordinator, self.lecturer_user, self.student_user, self.nobody):
            self.assertEqual(self.get(user, REPORT, year=2026).status_code, 403, user)
        self.client.logout()
        self.assertEqual(self.client.get(REPORT).status_code, 302)

    def test_a_lecturer_sees_only_their_own_line(self):
        response = self.get(self.lecturer_user, MINE, year=2026)
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertIn("Trần Văn Giảng", body)
        self.assertIn("27,51", body)
        self.assertIn("180,0", body)
        for other in ("Lê Thị Dạy", "Phạm Văn Mời", "44,66", "17,15"):
            self.assertNotIn(other, body)
        visiting = self.get(self.visiting.user, MINE, year=2026).content.decode()
        self.assertIn("Phạm Văn Mời", visiting)
        self.assertNotIn("Trần Văn Giảng", visiting)

    def test_my_line_is_for_lecturers_only(self):
        for user in (self.office, self.board, self.coordinator, self.student_user):
            self.assertEqual(self.get(user, MINE, year=2026).status_code, 403, user)

    def test_a_bad_year_is_told_in_vietnamese(self):
        for year in ("abc", "1800", "2026; DROP"):
            response = self.get(self.office, REPORT, year=year)
            self.assertEqual(response.status_code, 400)
            self.assertContains(response, 'role="alert"', status_code=400)
            self.assertNotContains(response, "Trần Văn Giảng", status_code=400)

    def test_this_year_by_default(self):
        response = self.get(self.office, REPORT)
        self.assertEqual(response.context["workload"].year, 2026)

    def test_the_menu_leads_there(self):
        self.assertContains(self.get(self.office, reverse("home")), REPORT)
        self.assertContains(self.get(self.board, reverse("home")), REPORT)
        self.assertContains(self.get(self.lecturer_user, reverse("home")), MINE)
        self.assertNotContains(self.get(self.coordinator, reverse("home")), REPORT)

    def test_a_fixed_number_of_queries(self):
        self.client.force_login(self.office)
        with self.assertNumQueries(QUERIES):
            self.client.get(REPORT, {"year": 2026})
        for index in range(3):
            make_lecturer(f"Giảng Viên Thêm {index}", self.other_faculty)
        with self.assertNumQueries(QUERIES):
            response = self.client.get(REPORT, {"year": 2026})
        self.assertContains(response, "Giảng Viên Thêm 2")


@time_machine.travel(NOW, tick=False)
class WorkbookTests(WorkloadWorldTestCase):
    def book(self, user, address):
        self.client.force_login(user)
        response = self.client.get(address, {"year": 2026, "format": "xlsx"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], xlsx.CONTENT_TYPE)
        return openpyxl.load_workbook(io.BytesIO(response.content))["GioChuan"]

    def rows(self, sheet) -> dict[str, list]:
        return {row[0].value: row for row in sheet.iter_rows() if row[0].value}

    def test_figures_are_numbers_with_their_formats(self):
        sheet = self.book(self.office, REPORT)
        rows = self.rows(sheet)
        line = rows["Trần Văn Giảng"]
        values = [cell.value for cell in line]
        self.assertEqual(values[1], "Khoa Xây dựng Đảng")
        self.assertEqual(values[2:5], [10, 4, 3])  # periods by kind
        self.assertEqual(
            [Decimal(str(v)) for v in values[5:11]], [Decimal(x) for x in "15.75 3.3 3.96 0.5 0 4".split()]
        )
        self.assertEqual(Decimal(str(values[11])), Decimal("27.51"))
        self.assertEqual(Decimal(str(values[12])), Decimal("180"))
        self.assertEqual(Decimal(str(values[13])), Decimal("-152.49"))
        self.assertAlmostEqual(values[14], 27.51 / 180)
        self.assertEqual([cell.number_format for cell in line[2:5]], [xlsx.INTEGER] * 3)
        self.assertEqual({cell.number_format for cell in line[5:14]}, {HOURS})
        self.assertEqual(line[14].number_format, xlsx.PERCENT)
        visiting = rows["Phạm Văn Mời"]
        self.assertIsNone(visiting[12].value)  # no norm
        self.assertEqual(Decimal(str(visiting[11].value)), Decimal("3.3"))
        self.assertTrue(sheet.freeze_panes)
        self.assertTrue(sheet.print_title_rows)

    def test_a_lecturers_own_workbook_holds_only_their_line(self):
        sheet = self.book(self.lecturer_user, MINE)
        names = [row[0].value for row in sheet.iter_rows(min_row=4) if row[0].value]
        self.assertIn("Trần Văn Giảng", names)
        self.assertNotIn("Lê Thị Dạy", names)
        self.assertNotIn("Phạm Văn Mời", names)
