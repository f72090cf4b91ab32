"""Anonymised marking in headless Chromium: the module's lecturer types marks against codes
(a refused mark keeps the page and saves nothing), sees no candidate's name; the office
decodes, and the marks are the students' exam grades.

How browser tests run, and when they are skipped: ``daotao.browser_testing``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from daotao.browser_testing import PNG_SIGNATURE, BrowserTestCase, artifacts_dir
from daotao.exams.models import ExamStatus, Script, ScriptLink
from daotao.exams.tests.base import make_rooms, sealed_exam
from daotao.grading.models import Grade
from daotao.testing import PASSWORD, build_teaching_world, build_world


@pytest.mark.browser
class MarkingByCodeInBrowserTests(BrowserTestCase):
    def setUp(self):
        build_world(self)
        build_teaching_world(self)
        make_rooms(self)
        self.exam = sealed_exam(self, absent=[self.enrollments[5]])
        self.codes = sorted(Script.objects.filter(exam=self.exam).values_list("code", flat=True))

    def test_a_lecturer_marks_by_code_and_the_office_decodes(self):
        marking = reverse("exams:marking", args=[self.exam.pk])
        page = self.sign_in(self.new_page(), "gv1", PASSWORD, marking)
        names = [e.student.full_name for e in self.enrollments]
        self.assertFalse(any(name in page.content() for name in names))
        self.assertEqual(page.locator("tr[data-code]").count(), 5)

        # One mark out of range: the page comes back with the reason, nothing saved.
        marks = {code: f"{5 + number},5" for number, code in enumerate(self.codes)}
        for code, mark in marks.items():
            page.fill(f"input[name=mark-{code}]", mark)
        page.fill(f"input[name=mark-{self.codes[0]}]", "11")
        with page.expect_navigation():
            page.click("#marking-form button[type=submit]")
        refused = page.locator(f'tr[data-code="{self.codes[0]}"]')
        with translation.override("vi"):
            self.assertIn("0 đến 10", refused.locator(".errorlist").inner_text())
        self.assertEqual(refused.locator("input").input_value(), "11")  # what was typed stays
        self.assertFalse(Script.objects.filter(exam=self.exam, score__isnull=False).exists())

        page.fill(f"input[name=mark-{self.codes[0]}]", marks[self.codes[0]])
        with page.expect_navigation():
            page.click("#marking-form button[type=submit]")
        page.reload()
        for code, mark in marks.items():
            self.assertEqual(page.locator(f"input[name=mark-{code}]").input_value(), mark)
        self.assertFalse(any(name in page.content() for name in names))
        directory = artifacts_dir()
        directory.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(directory / "exam-marking-by-code.png"), full_page=True)

        # The office decodes on the session's page.
        detail = reverse("exams:detail", args=[self.exam.pk])
        office = self.sign_in(self.new_page(), "office", PASSWORD, detail)
        with office.expect_navigation():
            office.click("form:has(input[value=decode]) button[type=submit]")
        office.locator("table.decoded").wait_for()
        self.assertEqual(office.locator("[data-status]").get_attribute("data-status"), ExamStatus.DECODED)
        exam_of_m1 = self.m1.assessments.get(is_exam=True)
        for link in ScriptLink.objects.filter(script__exam=self.exam).select_related("script", "candidate"):
            grade = Grade.objects.get(enrollment=link.candidate.enrollment_id, assessment=exam_of_m1)
            self.assertEqual(grade.score, Decimal(marks[link.script.code].replace(",", ".")))
            row = office.locator("table.decoded tr", has_text=link.script.code)
            self.assertIn(link.candidate.enrollment.student.full_name, row.inner_text())
        self.assertTrue(Grade.objects.get(enrollment=self.enrollments[5], assessment=exam_of_m1).absent)
        png = office.screenshot(path=str(directory / "exam-decoded.png"), full_page=True)
        self.assertTrue(png.startswith(PNG_SIGNATURE))

        # The lecturer's page is locked now.
        page.reload()
        self.assertEqual(page.locator("input[name^=mark-]").count(), 0)
        # The refused form answers 400, which the browser notes; nothing else went wrong.
        self.assertEqual([error for error in self.page_errors if "status of 400" not in error], [])
