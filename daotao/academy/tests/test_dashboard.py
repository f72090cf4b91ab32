"""The national dashboard: only at the Academy, for its office and board; the figures of the
one rule (``stats``), the same on the page, in the charts and in the workbooks; the same
number of queries for 2 schools as for 6; the Academy's staff find it from their home."""

from __future__ import annotations

import io

import openpyxl
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daotao.academy import synthetic
from daotao.academy.dashboard import SCHOOL_FIGURES, national_dashboard
from daotao.academy.importing import package_import
from daotao.academy.sections import BUILDERS
from daotao.academy.stats import Period, Question, national_figures
from daotao.academy.tests.helpers import NORTH, SOUTH, AcademyTestCase, day, english_client, imported, register
from daotao.dashboards.tests.test_reachability import Crawl
from daotao.lib import xlsx
from daotao.lib.tables import CLASSES, INT, RATIO
from daotao.lib.vietnamese import format_int

YEAR_2020 = Period(day("2020-01-01"), day("2020-12-31"))
# The page's queries: the session and the user (2), the user's groups (1), the periods
# imported, the registered schools, the period's packages, the sums of its lines, its quota
# lines, the trend's packages and lines (7).
PAGE_QUERIES = 10


class NationalDashboardTests(AcademyTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        imported(cls.north_key, cls.north, NORTH, 2020)
        imported(cls.south_key, cls.south, SOUTH, 2020)
        imported(cls.north_key, cls.north, NORTH[:3], 2019, quota=[])
        half = synthetic.package(
            cls.north_key, name=cls.north.name, province=cls.north.province, start=day("2020-01-01"),
            end=day("2020-06-30"), classes=NORTH[:1],
        )  # fmt: skip
        package_import(synthetic.file_bytes(half))
        cls.missing, _key = register("THI", "Trường Chính trị tỉnh Thiếu", "Thiếu")
        cls.page = reverse("academy:national")

    def get(self, user, address: str | None = None):
        return english_client(user).get(address or self.page)

    def test_who_opens_it(self):
        xlsx_address = reverse("academy:national_xlsx", args=["2020", "schools"])
        for address in (self.page, xlsx_address):
            with self.subTest(address=address):
                self.assertEqual(self.get(None, address).status_code, 302)
                self.assertEqual(self.get(self.nobody, address).status_code, 403)
                self.assertEqual(self.get(self.office, address).status_code, 200)
                self.assertEqual(self.get(self.board, address).status_code, 200)
                with override_settings(DAOTAO_ROLE="school"):
                    for user in (None, self.office, self.board):
                        self.assertEqual(self.get(user, address).status_code, 404)

    def test_the_latest_calendar_year_by_default(self):
        response = self.get(self.board)
        self.assertEqual(response.context["period"], YEAR_2020)
        self.assertTemplateUsed(response, "academy/national.html")
        choices = [value for value, _label in response.context["form"].fields["period"].choices]
        self.assertEqual(choices, ["2020", "2020-01-01_2020-06-30", "2019"])

    def test_the_schools_side_by_side(self):
        response = self.get(self.office, f"{self.page}?period=2020")
        board = response.context["board"]
        for key, total in board.totals.items():
            relation, kind = key
            answer = national_figures(YEAR_2020, Question(relation, kind=kind))
            self.assertEqual(total, answer.total)
            self.assertEqual([row.figures[key] for row in board.schools], [s.figures for s in answer.schools])
        self.assertEqual([row.school.code for row in board.schools], ["BAN", "NAM"])
        self.assertEqual(board.missing, [self.missing])
        self.assertEqual(board.running.as_dict(), {"classes": 10, "students": 575})
        page = response.content.decode()
        self.assertIn("Trường Chính trị tỉnh Thiếu (THI)", page)
        self.assertIn(format_int(575), page)
        self.assertIn('id="academy-schools-students"', page)
        self.assertIn('id="academy-trend-classes"', page)

    def test_quota_by_province(self):
        board = national_dashboard(YEAR_2020)
        self.assertEqual([quota.school.code for quota in board.quota], ["BAN", "NAM"])
        north = board.quota[0]
        self.assertEqual(
            (north.planned, north.achieved, north.lines, north.lines_not_met, north.met), (200, 205, 3, 1, False)
        )
        self.assertEqual((board.quota_total.planned, board.quota_total.achieved), (400, 410))
        self.assertEqual(board.provinces_not_met, 2)

    def test_the_trend_over_years(self):
        board = national_dashboard(YEAR_2020)
        self.assertEqual([(year.year, year.schools) for year in board.trend], [(2019, 1), (2020, 2)])
        self.assertEqual(board.trend[1].figures["opened"].as_dict(), {"classes": 8, "students": 445})
        self.assertEqual(board.trend[0].figures["active"].as_dict(), {"classes": 3, "students": 215})

    def test_another_period(self):
        response = self.get(self.office, f"{self.page}?period=2020-01-01_2020-06-30")
        board = response.context["board"]
        self.assertEqual([row.school.code for row in board.schools], ["BAN"])
        self.assertEqual(board.totals[("opened", "training")].as_dict(), {"classes": 1, "students": 80})
        self.assertEqual([school.code for school in board.missing], ["NAM", "THI"])

    def test_a_period_no_school_sent(self):
        for period in ("2018", "abc", "2020-01-01_2020-03-31"):
            with self.subTest(period=period):
                response = self.get(self.office, f"{self.page}?period={period}")
                self.assertEqual(response.status_code, 400)
                self.assertIn("choose a period from the list", response.content.decode())
        for period, chart in (("2018", "schools"), ("abc", "schools"), ("2020", "nothing")):
            with self.subTest(period=period, chart=chart):
                address = reverse("academy:national_xlsx", args=[period, chart])
                self.assertEqual(self.get(self.office, address).status_code, 404)

    def test_the_workbooks_hold_the_tables(self):
        board = national_dashboard(YEAR_2020)
        formats = {INT: xlsx.INTEGER, CLASSES: xlsx.CLASSES, RATIO: xlsx.PERCENT}
        for slug, build in BUILDERS.items():
            with self.subTest(section=slug):
                response = self.get(self.office, reverse("academy:national_xlsx", args=["2020", slug]))
                self.assertEqual(response["Content-Type"], xlsx.CONTENT_TYPE)
                self.assertIn("toan-quoc-2020-", response["Content-Disposition"])
                sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
                table = build(board).table
                first = sheet.max_row - len(table.rows) - (table.total is not None) - len(build(board).notes) + 1
                for offset, values in enumerate(table.rows):
                    for index, (value, column) in enumerate(zip(values, table.columns, strict=True), start=1):
                        if column.kind in formats and value is not None and not hasattr(value, "kind"):
                            cell = sheet.cell(first + offset, index)
                            self.assertEqual(cell.number_format, formats[column.kind])
                            self.assertAlmostEqual(float(cell.value), float(value), places=6)

    def test_nothing_imported_yet(self):
        from daotao.academy.models import FiguresPackage

        FiguresPackage.objects.all().delete()
        response = self.get(self.office)
        self.assertEqual(response.status_code, 200)
        self.assertIn("No school's figures package has been imported yet.", response.content.decode())

    def test_the_same_queries_for_two_schools_as_for_six(self):
        address = f"{self.page}?period=2020"
        client = english_client(self.board)
        with self.assertNumQueries(PAGE_QUERIES):
            self.assertEqual(client.get(address).status_code, 200)
        for code in ("DNA", "HCM", "HNI", "CTH"):
            school, key = register(code)
            for year in (2018, 2019, 2020):
                imported(key, school, SOUTH + NORTH, year)
        with self.assertNumQueries(PAGE_QUERIES):
            response = client.get(address)
        self.assertEqual(len(response.context["board"].schools), 6)
        self.assertEqual(len(response.context["board"].trend), 3)
        with CaptureQueriesContext(connection) as queries:
            national_dashboard(YEAR_2020)
        self.assertEqual(len(queries), 6)

    def test_every_figure_of_the_schools_table(self):
        table = BUILDERS["schools"](national_dashboard(YEAR_2020)).table
        self.assertEqual(len(table.columns), 2 + 2 * len(SCHOOL_FIGURES))
        self.assertEqual(table.rows[0][:4], ["Trường Chính trị tỉnh Bắc An", "Bắc An", 3, 195])
        self.assertEqual(table.total[2:], [3 + 1, 195 + 90, 4 + 2, 255 + 160, 2 + 2, 80 + 80, 2 + 2, 80 + 80])


class AcademyHomeTests(AcademyTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        imported(cls.north_key, cls.north, NORTH, 2020)

    def test_the_staff_home_is_the_national_dashboard(self):
        for user in (self.office, self.board):
            client = english_client(user)
            response = client.get(reverse("home"))
            self.assertTemplateUsed(response, "academy/national.html")
            menu = [link.url for group in response.context["menu"].groups for link in group.links]
            self.assertIn(reverse("academy:national"), menu)
            self.assertNotIn(reverse("cohorts:list"), menu)

    def test_a_school_menu_has_no_national_dashboard(self):
        client = english_client(self.office)
        with override_settings(DAOTAO_ROLE="school"):
            response = client.get(reverse("home"))
        self.assertTemplateNotUsed(response, "academy/national.html")
        menu = [link.url for group in response.context["menu"].groups for link in group.links]
        self.assertNotIn(reverse("academy:national"), menu)
        self.assertIn(reverse("cohorts:list"), menu)

    def test_the_office_and_board_click_their_way_to_every_download(self):
        for user in (self.office, self.board):
            client = english_client(user)
            crawl = Crawl(client, own=("/academy/",))
            crawl.run(reverse("home"), clicks=2)
            self.assertIn("academy:national", crawl.depth)
            self.assertEqual(crawl.broken, [])
            self.assertEqual(crawl.without_breadcrumbs, [])
            page = client.get(reverse("academy:national")).content.decode()
            for slug in BUILDERS:
                self.assertIn(reverse("academy:national_xlsx", args=["2020", slug]), page)
