"""One rule for a quota's achievement (``planning.achievement``): the yearly report's page,
the quota progress page and the board say the same, on the demo province."""

from __future__ import annotations

import re

from django.urls import reverse

from daotao.accounts.models import User
from daotao.admissions.progress import quota_progress
from daotao.dashboards.board import board_dashboard
from daotao.lib.vietnamese import format_percent
from daotao.reports.annual import annual_report
from daotao.testing import DemoTestCase

BINH_AN = "Thành phố Bình An"


def headline(content: str) -> str:
    """The text of the paragraph that says how many localities have not met their quota."""
    [paragraph] = re.findall(r'<p id="quota-headline">(.*?)</p>', content, re.S)
    return " ".join(re.sub(r"<[^>]+>", "", paragraph).split())


def rows_of(content: str, table_id: str | None = None) -> list[list[str]]:
    """Each table row's cell texts (of the table ``table_id``, or of the page's quota table)."""
    if table_id:
        content = content[content.index(f'id="{table_id}"') :]
    else:
        content = content[content.index('<table class="data quota"') :]
    content = content[: content.index("</table>")]
    return [
        [" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", content, re.S)
    ]


class QuotaPagesTests(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.office = User.objects.get(username="daotao")
        cls.board = User.objects.get(username="bgh")
        cls.coordinator = User.objects.get(username="diaphuong.h01")

    def page(self, name: str, year: int, user=None) -> str:
        self.client.force_login(user or self.office)
        response = self.client.get(reverse(name), {"year": year})
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_the_same_localities_not_met_and_percentage_on_both_pages(self):
        for year, count, ratio in ((2020, "06", "85,95%"), (2026, "06", "14,39%")):
            with self.subTest(year=year):
                report = annual_report(year, self.office)
                progress = quota_progress(year, self.office)
                self.assertEqual(progress.unmet_locality_names, report.unmet_locality_names)
                self.assertEqual(progress.ratio, report.quota_total.ratio)
                self.assertEqual(format_percent(report.quota_total.ratio), ratio)
                self.assertEqual(board_dashboard(year, self.board).quota.not_met, len(report.unmet_locality_names))
                on_report = headline(self.page("reports:annual", year))
                self.assertEqual(on_report, headline(self.page("admissions:quota", year)))
                self.assertIn(count, on_report)
                self.assertIn(ratio, on_report)
                self.assertIn(f"tuyển sinh: {count} (", report.summary)

    def test_binh_an_2020_is_not_met_on_its_self_funded_line(self):
        report_rows = rows_of(self.page("reports:annual", 2020))
        i = next(index for index, row in enumerate(report_rows) if row[:1] == [BINH_AN])
        # The locality's total, 161 of 160 students, then its lines: supported, self-funded.
        total, *lines = report_rows[i : i + 3]
        self.assertEqual(total[2:], ["02", "02", "160", "161", "100,63%", "Chưa đạt"])
        self.assertEqual(
            sorted(line[-4:] for line in lines), [["80", "79", "98,75%", "Chưa đạt"], ["80", "82", "102,50%", "Đạt"]]
        )
        progress_rows = [
            row for row in rows_of(self.page("admissions:quota", 2020), "quota-progress") if row[:1] == [BINH_AN]
        ]
        results = {row[2]: row[3:10] for row in progress_rows}
        self.assertEqual(len(results), 2)
        self.assertIn(["01", "80", "01", "79", "98,75%", "1", "Chưa đạt"], results.values())
        self.assertIn(["01", "80", "01", "82", "102,50%", "0", "Đạt"], results.values())

    def test_a_coordinator_sees_their_lines_on_both_pages(self):
        lines = {(row.achieved.funding, row.achieved.met) for row in quota_progress(2020, self.coordinator).rows}
        self.assertEqual(lines, {("supported", True), ("self_funded", False)})
        report = annual_report(2020, self.coordinator)
        self.assertEqual([row.locality_name for row in report.quota], [BINH_AN])
        self.assertEqual(report.unmet_locality_names, [BINH_AN])
        on_report = headline(self.page("reports:annual", 2020, self.coordinator))
        self.assertEqual(on_report, headline(self.page("admissions:quota", 2020, self.coordinator)))
        self.assertIn("01", on_report)
