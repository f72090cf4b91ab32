"""Building a timetable in headless Chromium, as the training office does: from the class's
timetable to the builder, choices typed, the preview's week view, a lesson dragged to a free
half day and another changed in its row, a clash refused with the half day named, then
saved.

How browser tests run, and when they are skipped: ``daotao.browser_testing``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from daotao.browser_testing import PNG_SIGNATURE, BrowserTestCase, artifacts_dir
from daotao.teaching.models import Lesson
from daotao.testing import PASSWORD, build_teaching_world, build_world


@pytest.mark.browser
class TimetableBuilderInBrowserTests(BrowserTestCase):
    def setUp(self):
        build_world(self)
        build_teaching_world(self)

    def open_builder(self):
        page = self.new_page(width=1400, height=1000)
        timetable = reverse("teaching:cohort", args=[self.cohort.pk])
        self.sign_in(page, "office", PASSWORD, timetable)
        with page.expect_navigation():
            page.get_by_role("link", name="Lập thời khóa biểu từ chương trình").click()
        self.assertTrue(page.url.endswith(reverse("teaching:generate", args=[self.cohort.pk])))
        # Monday, Wednesday and Friday mornings, lessons of four periods; HP2 left out.
        page.fill("#id_start", "02/03/2026")
        for weekday in range(7):
            page.locator(f"#id_weekdays_{weekday}").set_checked(weekday in (0, 2, 4))
        for index, session in enumerate(("morning", "afternoon", "evening")):
            page.locator(f"#id_sessions_{index}").set_checked(session == "morning")
        page.fill("#id_periods_per_lesson", "4")
        page.locator("#id_m-1-include").set_checked(False)
        with page.expect_navigation():
            page.get_by_role("button", name="Xem trước").click()
        return page

    def chip(self, page, row: int):
        return page.locator(f".chip[data-row='{row}']")

    def test_the_office_builds_edits_and_saves_a_timetable(self):
        page = self.open_builder()
        # HP1: 60 periods in 15 lessons, HP3: 30 in 8 (the last of 2 periods).
        self.assertEqual(page.locator(".chip[draggable='true']").count(), 23)
        self.assertIn("23 buổi học, từ 02/03/2026 đến 22/04/2026", page.locator("#preview").inner_text())
        self.assertEqual(page.locator("table.week").count(), 8)
        # The last week's Monday lesson (row 22, HP3) dragged to the free Friday.
        free = page.locator("td.slot[data-date='24/04/2026'][data-session='morning']")
        self.assertEqual(free.locator(".chip").count(), 0)
        free.scroll_into_view_if_needed()
        self.chip(page, 21).drag_to(free)
        self.assertEqual(free.locator(".chip").count(), 1)
        self.assertEqual(page.locator("#id_l-21-date").input_value(), "24/04/2026")
        # The second (Wednesday 04/03) moved to the afternoon in its row.
        page.select_option("#id_l-1-session", "afternoon")
        # The third put on the same half day as the fourth: refused, both named, nothing saved.
        page.fill("#id_l-2-date", "09/03/2026")
        with page.expect_navigation():
            page.get_by_role("button", name="Lưu thời khóa biểu").click()
        problems = page.locator("#preview .messages").inner_text()
        self.assertIn("Buổi học 3 và 4 cùng xếp vào buổi sáng ngày 09/03/2026", problems)
        self.assertFalse(Lesson.objects.exists())
        # What was typed is kept: the drag and the row's change are still there.
        self.assertEqual(page.locator("#id_l-21-date").input_value(), "24/04/2026")
        self.assertEqual(page.locator("#id_l-1-session").input_value(), "afternoon")
        page.fill("#id_l-2-date", "06/03/2026")
        with page.expect_navigation():
            page.get_by_role("button", name="Lưu thời khóa biểu").click()
        self.assertTrue(page.url.endswith(reverse("teaching:cohort", args=[self.cohort.pk])), page.url)
        self.assertIn("Đã lưu thời khóa biểu: 23 buổi học", page.locator(".messages").inner_text())
        lessons = Lesson.objects.filter(cohort=self.cohort)
        self.assertEqual(lessons.count(), 23)
        self.assertFalse(lessons.filter(date=dt.date(2026, 4, 20)).exists())
        self.assertEqual(lessons.get(date=dt.date(2026, 4, 24)).module, self.m3)
        self.assertEqual(lessons.get(date=dt.date(2026, 3, 4)).session, "afternoon")
        self.assertEqual(self.page_errors, [])

    def test_the_week_view_is_drawn(self):
        page = self.open_builder()
        artifacts_dir().mkdir(parents=True, exist_ok=True)
        shot = page.locator("#preview").screenshot(path=str(artifacts_dir() / "timetable-preview.png"))
        self.assertTrue(shot.startswith(PNG_SIGNATURE))
        # Every chip sits inside its cell: none overflows into the next column.
        for chip in page.locator(".chip[draggable='true']").all()[:6]:
            box, cell = chip.bounding_box(), chip.locator("xpath=..").bounding_box()
            self.assertGreaterEqual(box["x"], cell["x"] - 1)
            self.assertLessEqual(box["x"] + box["width"], cell["x"] + cell["width"] + 1)
        self.assertEqual(self.page_errors, [])
