"""A printed diploma's QR code in headless Chromium: the training office opens the print of
a diploma, the QR code is photographed off the screen and read as a phone would read it,
and the address it holds, opened by someone not signed in, shows the holder's name and
that the diploma is valid; no page breaks the Content-Security-Policy.

How browser tests run, and when they are skipped: ``daotao.browser_testing``."""

from __future__ import annotations

from io import BytesIO

import pytest
import zxingcpp
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from daotao.browser_testing import PNG_SIGNATURE, BrowserTestCase, artifacts_dir
from daotao.grading import graduation, register
from daotao.grading.tests.test_graduation_base import DECIDED, ISSUED, pass_everything
from daotao.grading.verification import format_code
from daotao.testing import PASSWORD, build_teaching_world, build_world


@pytest.mark.browser
class VerificationInBrowserTests(BrowserTestCase):
    def setUp(self):
        # The look-ups counted by earlier tests' requests from this same address (the live
        # server commits them to the cache, and a flush leaves the cache table alone).
        cache.clear()
        # The school's public address is the live server's here: the QR code leads there.
        self.enterContext(override_settings(DAOTAO_SITE_URL=self.live_server_url))
        build_world(self)
        build_teaching_world(self)
        pass_everything(self.cohort)
        decision = graduation.graduation_decide(user=self.office, cohort=self.cohort, number="58", date=DECIDED)
        self.diploma = register.credentials_issue_for_decision(user=self.office, decision=decision, issued_on=ISSUED)[0]
        self.holder = self.diploma.enrollment.student

    def test_the_printed_qr_code_opens_the_public_check(self):
        page = self.new_page(1400, 1000)
        print_url = reverse("grading:credential_print", args=[self.diploma.pk])
        self.sign_in(page, self.office.username, PASSWORD, print_url)
        mark = page.locator(".verify")
        self.assertIn(format_code(self.diploma.verification_code), mark.inner_text())
        qr = page.locator(".verify svg")
        box = qr.bounding_box()
        self.assertGreater(box["width"], 60)  # 2,6 cm on the screen
        directory = artifacts_dir()
        directory.mkdir(parents=True, exist_ok=True)
        shot = qr.screenshot(path=str(directory / "credential-qr.png"))
        self.assertTrue(shot.startswith(PNG_SIGNATURE))

        [read] = zxingcpp.read_barcodes(Image.open(BytesIO(shot)))
        url = read.text
        self.assertEqual(url, f"{self.live_server_url}/xac-minh/{self.diploma.verification_code}/")

        public = self.new_page(1000, 900)  # someone else's phone: not signed in
        response = public.goto(url)
        self.assertEqual(response.status, 200)
        main = public.locator("main").inner_text()
        self.assertIn(self.holder.full_name.upper(), main.upper())
        self.assertIn(self.diploma.serial_number, main)
        self.assertEqual(public.locator(".verify-result.verify-valid").count(), 1)
        self.assertNotIn(self.holder.national_id, public.content())
        self.assertTrue(
            public.screenshot(path=str(directory / "credential-verified.png"), full_page=True).startswith(PNG_SIGNATURE)
        )
        self.assertEqual(self.page_errors, [])
