"""The report over any period: ``period_report``, its command, its page and its files."""

import datetime as dt
import io
import json
import tempfile
from pathlib import Path

import openpyxl
from django.core.management import call_command
from django.test import SimpleTestCase
from django.urls import reverse
from docx import Document

from daotao.accounts.scope import SYSTEM
from daotao.reports.annual import PERIOD_TEMPLATE, annual_report, period_name, period_report
from daotao.reports.engine import Period
from daotao.reports.tests.world import CommandErrorAssertions, ReportWorldTestCase

D = dt.date
MARCH_APRIL = Period(D(2020, 3, 1), D(2020, 4, 30))
MAY_JUNE = Period(D(2020, 5, 1), D(2020, 6, 30))
SECOND_HALF = Period(D(2020, 7, 1), D(2020, 12, 31))
URL = reverse("reports:annual")

# The world's figures (world.py) in the period template, line by line.
MARCH_APRIL_FIGURES = {
    "tc_opened": (7, 70),
    "tc_carried_over": (1, 50),
    "tc_running": (1, 50),
    "tc_active": (8, 120),
    "tc_closed": (0, 0),
    "bd_cv": (0, 0),
    "bd_ldp": (0, 0),
    "bd_btx": (0, 0),
}


class PeriodNameTests(SimpleTestCase):
    def test_the_names_schools_write(self):
        for start, end, name in [
            (D(2026, 1, 1), D(2026, 12, 31), "năm 2026"),
            (D(2026, 1, 1), D(2026, 6, 30), "6 tháng đầu năm 2026"),
            (D(2026, 7, 1), D(2026, 12, 31), "6 tháng cuối năm 2026"),
            (D(2026, 4, 1), D(2026, 6, 30), "quý II năm 2026"),
            (D(2026, 3, 1), D(2026, 4, 30), "tháng 3 và 4 năm 2026"),
            (D(2026, 2, 1), D(2026, 2, 28), "tháng 2 năm 2026"),
            (D(2026, 2, 1), D(2026, 5, 31), "từ tháng 2 đến tháng 5 năm 2026"),
            (D(2026, 3, 5), D(2026, 4, 20), "từ 05/03/2026 đến 20/04/2026"),
            (D(2025, 12, 1), D(2026, 1, 31), "từ 01/12/2025 đến 31/01/2026"),
            (D(2024, 2, 1), D(2024, 2, 28), "từ 01/02/2024 đến 28/02/2024"),  # a leap year's February is 29 days
        ]:
            with self.subTest(name=name):
                self.assertEqual(period_name(Period(start, end)), name)

    def test_calendar_year(self):
        self.assertTrue(Period.year(2020).is_calendar_year)
        self.assertFalse(MARCH_APRIL.is_calendar_year)
        self.assertFalse(Period(D(2020, 1, 1), D(2021, 12, 31)).is_calendar_year)


class PeriodReportTests(ReportWorldTestCase):
    def test_two_months(self):
        report = period_report(MARCH_APRIL, self.office, PERIOD_TEMPLATE)
        self.assertEqual(self.figures(report), MARCH_APRIL_FIGURES)
        self.assertEqual(report.title, "Báo cáo kết quả phối hợp đào tạo, bồi dưỡng cán bộ tháng 3 và 4 năm 2020")
        self.assertIn("Trong kỳ báo cáo (01/03/2020 - 30/04/2020), Nhà trường phối hợp", report.summary)
        self.assertIn("01 lớp chuyển qua từ trước kỳ vẫn đang học đến ngày 30/04/2020", report.summary)
        self.assertEqual((report.year, report.period), (2020, MARCH_APRIL))
        self.assertEqual(report.quota, [])  # quotas are yearly

    def test_relations_across_the_year(self):
        may_june = self.figures(period_report(MAY_JUNE, self.office, PERIOD_TEMPLATE))
        self.assertEqual(may_june["tc_opened"], (3, 1000))
        self.assertEqual(may_june["tc_carried_over"], (8, 120))
        self.assertEqual(may_june["tc_running"], (8, 120))
        self.assertEqual(may_june["bd_cv"], (1, 40))
        second_half = self.figures(period_report(SECOND_HALF, self.office, PERIOD_TEMPLATE))
        self.assertEqual(second_half["tc_carried_over"], (11, 1120))
        self.assertEqual(second_half["tc_closed"], (1, 50))  # TC19-H01 closes on 30/09/2020
        self.assertEqual(second_half["tc_running"], (10, 1070))  # ... so it does not run on to the end

    def test_a_coordinator_gets_their_figures(self):
        figures = self.figures(period_report(MAY_JUNE, self.coordinator, PERIOD_TEMPLATE))
        self.assertEqual(figures["tc_opened"], (0, 0))
        self.assertEqual(figures["tc_running"], (8, 120))

    def test_the_calendar_year_is_the_yearly_report(self):
        self.assertEqual(
            period_report(Period.year(2020), self.office).as_dict(), annual_report(2020, self.office).as_dict()
        )
        self.assertTrue(annual_report(2020, self.office).quota)

    def test_the_yearly_template_over_a_period_fills_its_placeholders(self):
        report = period_report(MARCH_APRIL, self.office)
        self.assertEqual(report.title, "Báo cáo kết quả phối hợp đào tạo, bồi dưỡng cán bộ năm 2020")
        self.assertEqual(report.lines[3].label, "Lớp Trung cấp LLCT - HC không tập trung chuyển qua từ năm 2019")

    def test_constant_queries(self):
        period_report(MARCH_APRIL, self.office, PERIOD_TEMPLATE)
        # the template with its lines, the program codes, the count (no quota table)
        with self.assertNumQueries(3) as first:
            period_report(MARCH_APRIL, self.office, PERIOD_TEMPLATE)
        with self.assertNumQueries(len(first.captured_queries)):
            period_report(Period(D(2015, 1, 1), D(2020, 12, 31)), self.office, PERIOD_TEMPLATE)


class PeriodReportCommandTests(CommandErrorAssertions, ReportWorldTestCase):
    def run_command(self, *args) -> str:
        out = io.StringIO()
        call_command("period_report", *args, stdout=out)
        return out.getvalue()

    def test_json_for_two_months(self):
        data = json.loads(self.run_command("--from", "01/03/2020", "--to", "30/04/2020", "--format", "json"))
        self.assertEqual(data, period_report(MARCH_APRIL, SYSTEM, PERIOD_TEMPLATE).as_dict())
        self.assertEqual(
            {line["key"]: (line["classes"], line["students"]) for line in data["lines"]}, MARCH_APRIL_FIGURES
        )
        self.assertEqual(data["period"], {"from": "2020-03-01", "to": "2020-04-30", "name": "tháng 3 và 4 năm 2020"})
        self.assertEqual(data["template"], PERIOD_TEMPLATE)
        self.assertEqual(data["quota"], [])

    def test_text_has_no_quota_section(self):
        output = self.run_command("--from", "1/3/2020", "--to", "2020-04-30")
        self.assertTrue(output.startswith("BÁO CÁO KẾT QUẢ PHỐI HỢP ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ THÁNG 3 VÀ 4 NĂM 2020\n"))
        self.assertIn("Kỳ báo cáo: 01/03/2020 - 30/04/2020", output)
        self.assertRegex(output, r"\n\s+Trong đó: vẫn đang học đến cuối kỳ\s+01\s+50\n")
        self.assertNotIn("chỉ tiêu", output.lower())

    def test_another_template(self):
        data = json.loads(
            self.run_command(
                "--from", "01/01/2020", "--to", "31/12/2020", "--template", "coordination-yearly", "--format", "json"
            )
        )
        self.assertEqual(data, annual_report(2020, SYSTEM).as_dict())

    def test_files(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bao-cao.xlsx"
            self.run_command("--from", "01/03/2020", "--to", "30/04/2020", "--format", "xlsx", "--output", str(path))
            book = openpyxl.load_workbook(path)
            self.assertEqual(book.sheetnames, ["BaoCao"])  # no quota sheet
            path = Path(folder) / "bao-cao.docx"
            self.run_command("--from", "01/03/2020", "--to", "30/04/2020", "--format", "docx", "--output", str(path))
            text = "\n".join(paragraph.text for paragraph in Document(path).paragraphs)
            self.assertIn("THÁNG 3 VÀ 4 NĂM 2020", text.upper())
            self.assertNotIn("chỉ tiêu kế hoạch", text)

    def test_bad_dates(self):
        for args, flag, text in [
            ((), "--from", "01/03/2026"),
            (("--from", "01/03/2020"), "--to", "01/03/2026"),
            (("--from", "31/02/2020", "--to", "30/04/2020"), "--from", "31/02/2020"),
            (("--from", "01/03/2020", "--to", "30/4/20"), "--to", "30/4/20"),
            (("--from", "01/03/2020", "--to", "01/02/2020"), "--to", "trước"),
            (("--from", "01/03/1020", "--to", "01/02/2020"), "--from", "1950"),
            (("--from", "01/03/2020", "--to", "30/04/2020", "--template", "nope"), "--template", "nope"),
            (("--from", "01/03/2020", "--to", "30/04/2020", "--format", "odt"), "--format", "odt"),
        ]:
            with self.subTest(args=args):
                self.assert_error(args, flag, text)


class PeriodPageTests(ReportWorldTestCase):
    def setUp(self):
        self.client.force_login(self.office)

    def test_a_period_on_the_page(self):
        response = self.client.get(URL, {"from": "01/03/2020", "to": "30/04/2020"})
        self.assertEqual(response.status_code, 200)
        report = response.context["report"]
        self.assertEqual(report.period, MARCH_APRIL)
        self.assertEqual(report.template.code, PERIOD_TEMPLATE)  # the template written for periods
        self.assertEqual(self.figures(report), MARCH_APRIL_FIGURES)
        self.assertContains(response, "tháng 3 và 4 năm 2020")
        self.assertContains(response, 'class="muted no-period-quota"')
        self.assertNotContains(response, 'class="data quota"')
        self.assertNotContains(response, "draft-news")
        self.assertContains(response, 'value="01/03/2020"')

    def test_downloads_carry_the_period(self):
        response = self.client.get(URL, {"from": "01/03/2020", "to": "30/04/2020"})
        link = reverse("reports:annual_download", args=[2020, "xlsx"])
        query = "template=coordination-period&amp;from=01%2F03%2F2020&amp;to=30%2F04%2F2020"
        self.assertContains(response, f'href="{link}?{query}"')
        download = self.client.get(link, {"template": PERIOD_TEMPLATE, "from": "01/03/2020", "to": "30/04/2020"})
        self.assertEqual(download.status_code, 200)
        self.assertIn("bao-cao-2020-03-01-2020-04-30-coordination-period.xlsx", download["Content-Disposition"])
        sheet = openpyxl.load_workbook(io.BytesIO(download.content))["BaoCao"]
        self.assertIn("tháng 3 và 4 năm 2020", sheet["A1"].value)

    def test_quick_picks(self):
        response = self.client.get(URL, {"year": 2020})
        self.assertContains(response, '<a href="?from=01/04/2020&amp;to=30/06/2020">')
        self.assertContains(response, '<a href="?from=01/01/2020&amp;to=30/06/2020">')

    def test_bad_dates_redisplay_the_form_with_the_message(self):
        for query, field in [
            ({"from": "31/02/2020", "to": "30/04/2020"}, "from"),
            ({"from": "01/03/2020"}, "to"),
            ({"to": "30/04/2020"}, "from"),
            ({"from": "01/05/2020", "to": "30/04/2020"}, "to"),
            ({"from": "01/05/1900", "to": "30/04/2020"}, "from"),
        ]:
            with self.subTest(query=query):
                response = self.client.get(URL, query)
                self.assertEqual(response.status_code, 200)
                self.assertIsNone(response.context["report"])
                self.assertTrue(response.context["form"].errors[field])

    def test_a_download_whose_period_ends_in_another_year_is_refused(self):
        link = reverse("reports:annual_download", args=[2021, "pdf"])
        response = self.client.get(link, {"from": "01/03/2020", "to": "30/04/2020"})
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.context["form"].errors["to"])
        response = self.client.get(reverse("reports:annual_download", args=[2020, "pdf"]), {"from": "x", "to": "y"})
        self.assertEqual(response.status_code, 400)
