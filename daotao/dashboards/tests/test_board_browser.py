"""The board's dashboard in headless Chromium at 1366 px, on the demo province: the board
(``bgh``) opens it, changes the year with the selector, and sees every chart drawn with
its table right after it; no label of a chart overlaps another or sticks out of it, with
the browser's own fonts. The page is saved as a screenshot in ``$DAOTAO_ARTIFACTS``.

How browser tests run, and when they are skipped: ``daotao.browser_testing``."""

from __future__ import annotations

import shutil
import tempfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from daotao.browser_testing import PNG_SIGNATURE, BrowserTestCase, artifacts_dir
from daotao.dashboards.board_sections import BUILDERS
from daotao.demo.data import DEMO_PASSWORD

# Every pair of texts of a chart that overlap, and every text outside its chart, as the
# browser lays them out (bounding boxes in CSS pixels; half a pixel of anti-aliasing allowed).
LABEL_PROBLEMS = """() => {
  const problems = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const frame = svg.getBoundingClientRect();
    const boxes = [...svg.querySelectorAll('text')].map(t => [t.getBoundingClientRect(), t.textContent]);
    boxes.forEach(([a, text], i) => {
      if (a.left < frame.left - .5 || a.right > frame.right + .5
          || a.top < frame.top - .5 || a.bottom > frame.bottom + .5)
        problems.push(`${svg.id}: "${text}" sticks out`);
      for (const [b, other] of boxes.slice(i + 1))
        if (a.left < b.right - .5 && b.left < a.right - .5 && a.top < b.bottom - .5 && b.top < a.bottom - .5)
          problems.push(`${svg.id}: "${text}" overlaps "${other}"`);
    });
  }
  return problems;
}"""


@pytest.mark.browser
class BoardDashboardInBrowserTests(BrowserTestCase):
    def setUp(self):
        media = tempfile.mkdtemp(prefix="daotao-board-browser-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        settings = override_settings(MEDIA_ROOT=media)
        settings.enable()
        self.addCleanup(settings.disable)
        call_command("load_demo", stdout=StringIO())

    def open_board(self, username: str):
        return self.sign_in(self.new_page(1366, 900), username, DEMO_PASSWORD, reverse("dashboards:board"))

    def assert_every_chart_with_its_table(self, page, year: int, without_chart=()):
        """Each section's charts drawn, its table right after them; a section with nothing
        to draw (``without_chart``) says so instead."""
        self.assertIn(str(year), page.locator("h1").inner_text())
        for slug in BUILDERS:
            section = page.locator(f"section#{slug}")
            charts, table = section.locator("svg.chart"), section.locator("table.board-table")
            self.assertTrue(table.is_visible(), slug)
            if slug in without_chart:
                self.assertEqual(charts.count(), 0, slug)
                self.assertTrue(section.locator("p.muted").first.is_visible(), slug)
                continue
            self.assertGreaterEqual(charts.count(), 1, slug)
            for index in range(charts.count()):
                chart = charts.nth(index)
                chart.scroll_into_view_if_needed()
                self.assertTrue(chart.is_visible(), slug)
                box = chart.bounding_box()
                self.assertGreater(box["width"], 500, slug)  # drawn at a readable size
                self.assertLessEqual(box["x"] + box["width"], 1366, slug)
            # The table follows the last chart, within a few lines.
            last, grid = charts.last.bounding_box(), table.bounding_box()
            self.assertGreater(grid["y"], last["y"] + last["height"] - 1, slug)
            self.assertLess(grid["y"] - (last["y"] + last["height"]), 120, slug)
        self.assertEqual(page.evaluate(LABEL_PROBLEMS), [])

    def test_the_board_changes_the_year_and_sees_each_chart_with_its_table(self):
        page = self.open_board("bgh")
        self.assertEqual(page.locator("#id_year").input_value(), "2026")
        page.select_option("#id_year", "2020")
        with page.expect_navigation():
            page.locator("form.board-year button[type=submit]").click()
        self.assertIn("year=2020", page.url)
        # No graduate of 2020 in the demo: its graduation decisions are all of 2026.
        self.assert_every_chart_with_its_table(page, 2020, without_chart={"outcomes"})
        # 2020's published figures, in the first table's total row.
        total = page.locator("#quota-table tfoot").inner_text()
        self.assertIn("1.040", total)
        self.assertIn("559", total)
        self.assertIn("481", total)
        path = artifacts_dir() / "board-dashboard-2020.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        self.assertEqual(path.read_bytes()[:8], PNG_SIGNATURE)

        page.select_option("#id_year", "2026")
        with page.expect_navigation():
            page.locator("form.board-year button[type=submit]").click()
        self.assert_every_chart_with_its_table(page, 2026)
        page.screenshot(path=str(artifacts_dir() / "board-dashboard-2026.png"), full_page=True)
        self.assertEqual(self.page_errors, [])
