"""The grade sheet in headless Chromium: the assigned lecturer types a row of grades with
the keyboard, sees an invalid score refused, reloads and finds the valid ones saved.

How browser tests run, and when they are skipped: ``daotao.browser_testing``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from daotao.browser_testing import DESKTOP_CHROME, PNG_SIGNATURE, BrowserTestCase, artifacts_dir
from daotao.grading.models import Grade
from daotao.org.models import UnitKind
from daotao.programs.models import Program
from daotao.teaching.models import TeachingAssignment
from daotao.testing import PASSWORD, TEST_AND_EXAM, enroll, make_cohort, make_lecturer, make_module, make_unit


@pytest.mark.browser
class GradeSheetInBrowserTests(BrowserTestCase):
    def setUp(self):
        province = make_unit("BA", "Tỉnh Bình An", UnitKind.PROVINCE)
        school = make_unit("SCH", "Trường Chính trị tỉnh Bình An", UnitKind.SCHOOL, province)
        h01 = make_unit("H01", "Thành phố Bình An", UnitKind.DISTRICT, province)
        faculty = make_unit("K-LLCS", "Khoa Lý luận cơ sở", UnitKind.FACULTY, school)
        program = Program.objects.create(
            code="TC-LLCT-HC", name="Trung cấp lý luận chính trị - hành chính", kind="training"
        )
        self.module = make_module(program, "I.1", 60, TEST_AND_EXAM, name="Triết học Mác - Lênin")
        self.cohort = make_cohort("TC01", program, h01, dt.date(2026, 3, 2))
        self.enrollments = sorted(enroll(self.cohort, 3), key=lambda e: e.student.sort_key)
        self.lecturer = make_lecturer("Nguyễn Thị Thu Hằng", faculty, "gv1")
        TeachingAssignment.objects.create(cohort=self.cohort, module=self.module, lecturer=self.lecturer)
        self.test, self.exam = self.module.assessments.order_by("order")
        self.errors = []

    def sign_in(self, next_url):
        context = self.browser.new_context(
            user_agent=DESKTOP_CHROME, locale="vi-VN", viewport={"width": 1280, "height": 900}
        )
        self.addCleanup(context.close)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "console",
            lambda m: (
                m.type == "error"
                and not m.location.get("url", "").endswith("/favicon.ico")
                and self.errors.append(m.text)
            ),
        )
        page.goto(f"{self.live_server_url}{reverse('login')}?next={next_url}")
        page.fill("#id_username", "gv1")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("form button[type=submit]")
        self.assertTrue(page.url.endswith(next_url), page.url)
        return page

    def cell(self, page, enrollment, assessment, attempt=1):
        return page.locator(f"#cell-{enrollment.pk}-{assessment.pk}-{attempt} input.grade")

    def type_and_leave(self, page, text, key):
        with page.expect_response(lambda response: "/cell/" in response.url):
            page.keyboard.type(text)
            page.keyboard.press(key)

    def test_keyboard_entry_refuses_invalid_and_keeps_valid(self):
        url = reverse("grading:sheet", args=[self.cohort.pk, self.module.pk])
        page = self.sign_in(url)
        first, second, third = self.enrollments

        # First row: the test with Tab, then an exam score above 10.
        self.cell(page, first, self.test).click()
        self.type_and_leave(page, "7,25", "Tab")
        self.assertEqual(page.evaluate("document.activeElement.getAttribute('aria-label')"), self.exam.name)
        self.type_and_leave(page, "11", "Tab")
        # The response has arrived; HTMX swaps the cell just after, so wait for the swap.
        refused = page.locator(f"#cell-{first.pk}-{self.exam.pk}-1")
        refused.locator("input[aria-invalid=true]").wait_for()
        with translation.override("vi"):
            self.assertIn("0 đến 10", refused.locator(".cell-error").inner_text())
        self.assertEqual(refused.locator("input").input_value(), "11")  # what was typed stays

        # Down the test column with Enter: the second student's test.
        self.cell(page, first, self.test).click()
        page.keyboard.press("ArrowDown")
        self.assertEqual(page.evaluate("document.activeElement.closest('td').id"), f"cell-{second.pk}-{self.test.pk}-1")
        page.keyboard.press("Control+A")
        self.type_and_leave(page, "8", "Enter")
        self.assertEqual(page.evaluate("document.activeElement.closest('td').id"), f"cell-{third.pk}-{self.test.pk}-1")

        # The third row across with Tab: its module result and status arrive with the cell.
        self.type_and_leave(page, "6", "Tab")
        self.type_and_leave(page, "9", "Tab")
        page.locator(f"#status-{third.pk} .badge.ok").wait_for()  # swapped in after the response
        self.assertEqual(page.locator(f"#result-{third.pk}").inner_text().strip(), "8,1")  # 0,3 x 6 + 0,7 x 9
        self.assertEqual(page.locator(f"#status-{third.pk} .badge.ok").count(), 1)
        directory = artifacts_dir()
        directory.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(directory / "grade-sheet-refusal.png"), full_page=True)

        page.reload()
        self.assertEqual(self.cell(page, first, self.test).input_value(), "7,3")  # rounded half up
        self.assertEqual(self.cell(page, first, self.exam).input_value(), "")  # never saved
        self.assertEqual(self.cell(page, second, self.test).input_value(), "8,0")
        self.assertEqual(self.cell(page, third, self.exam).input_value(), "9,0")
        self.assertEqual(
            sorted(Grade.objects.values_list("enrollment_id", "score")),
            sorted(
                [
                    (first.pk, Decimal("7.3")),
                    (second.pk, Decimal("8")),
                    (third.pk, Decimal("6")),
                    (third.pk, Decimal("9")),
                ]
            ),
        )
        self.assertEqual(self.errors, [])
        png = page.screenshot(path=str(directory / "grade-sheet.png"), full_page=True)
        self.assertTrue(png.startswith(PNG_SIGNATURE))
