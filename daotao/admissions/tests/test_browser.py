"""Admissions in headless Chromium driven by Playwright: a locality coordinator submits a
candidate who meets every Trung cấp standard with a complete dossier and sees them
eligible; then the training office admits them with a decision number and date and sees
them admitted. The admitted page is saved as a screenshot in ``$DAOTAO_ARTIFACTS``.

How browser tests run, and when they are skipped: ``daotao.browser_testing``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from daotao.accounts import roles
from daotao.admissions import presets
from daotao.admissions.models import Application, Decision, Status
from daotao.browser_testing import DESKTOP_CHROME, PNG_SIGNATURE, BrowserTestCase, artifacts_dir
from daotao.lib import national_id
from daotao.org.models import UnitKind
from daotao.planning.models import AnnualPlan
from daotao.programs.models import Program
from daotao.testing import PASSWORD, make_unit, make_user


def vietnamese(label) -> str:
    with translation.override("vi"):
        return str(label)


@pytest.mark.browser
class AdmissionInBrowserTests(BrowserTestCase):
    def setUp(self):
        province = make_unit("BA", "Tỉnh Bình An", UnitKind.PROVINCE)
        self.h01 = make_unit("H01", "Thành phố Bình An", UnitKind.DISTRICT, province)
        make_unit("X0101", "Phường Nam Sơn", UnitKind.COMMUNE, self.h01)
        self.program = Program.objects.create(
            code="TC-LLCT-HC", name="Trung cấp lý luận chính trị - hành chính", kind="training"
        )
        AnnualPlan.objects.create(year=2026, status="approved")
        presets.install()
        self.coordinator = make_user("coord1", roles.LOCALITY_COORDINATOR, self.h01, first_name="Hà")
        self.office = make_user("office", roles.TRAINING_OFFICE)
        self.console_errors = []

    def new_page(self):
        context = self.browser.new_context(
            user_agent=DESKTOP_CHROME, locale="vi-VN", viewport={"width": 1280, "height": 900}
        )
        self.addCleanup(context.close)
        context.set_default_timeout(15_000)
        page = context.new_page()

        def on_console(message):
            # The site has no favicon yet; the browser asks for one on its own.
            if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
                self.console_errors.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"{page.url}: {error}"))
        return page

    def sign_in(self, user, next_url: str):
        page = self.new_page()
        page.goto(f"{self.live_server_url}{reverse('login')}?next={next_url}")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("form button[type=submit]")
        self.assertTrue(page.url.endswith(next_url), page.url)
        return page

    def test_a_coordinator_nominates_and_the_office_admits(self):
        born = dt.date(1987, 3, 14)
        number = national_id.make("052", "female", born, 777)

        # The coordinator fills in a candidate who meets every standard, with every document.
        page = self.sign_in(self.coordinator, reverse("admissions:new"))
        self.assertEqual(page.input_value("#id_locality"), str(self.h01.pk))  # their own locality
        page.fill("#id_full_name", "Trần Thị Ngọc Diệp")
        page.fill("#id_national_id", number)
        page.fill("#id_date_of_birth", "14/03/1987")
        page.select_option("#id_gender", "female")
        page.select_option("#id_party_status", "full")
        page.fill("#id_party_joined_on", "19/05/2012")
        page.select_option("#id_education_level", "5")
        page.fill("#id_position", "Phó Trưởng phòng Văn hóa - Xã hội")
        page.select_option("#id_position_category", label=presets.POSITIONS[1][1])
        page.select_option("#id_rating_last_year", "3")
        page.select_option("#id_rating_year_before", "4")
        page.select_option("#id_program", str(self.program.pk))
        page.select_option("#id_mode", "non_concentrated")
        page.select_option("#id_funding", "supported")
        documents = page.locator("#documents [data-programs]:visible input[type=checkbox]")
        self.assertEqual(documents.count(), 7)  # the Trung cấp checklist only
        for i in range(documents.count()):
            documents.nth(i).check()
        with page.expect_navigation():
            page.click("form.application-form button[type=submit]")

        application = Application.objects.get(national_id=number)
        self.assertTrue(page.url.endswith(reverse("admissions:detail", args=[application.pk])), page.url)
        badge = page.locator("h1 [data-status]")
        self.assertEqual(badge.get_attribute("data-status"), Status.ELIGIBLE)
        self.assertEqual(badge.inner_text().strip(), vietnamese(Status.ELIGIBLE.label))
        self.assertEqual(page.locator('#rules [data-outcome="passed"]').count(), 5)
        self.assertEqual(page.locator("#decision form").count(), 0)  # a coordinator does not decide

        # The training office admits them.
        detail = reverse("admissions:detail", args=[application.pk])
        page = self.sign_in(self.office, detail)
        page.check(f'#decision input[name=decision][value="{Decision.ADMITTED}"]')
        page.fill("#id_number", "25-QĐ/TCT")
        page.fill("#id_date", "20/02/2026")
        with page.expect_navigation():
            page.click("#decision button[type=submit]")
        badge = page.locator("h1 [data-status]")
        self.assertEqual(badge.get_attribute("data-status"), Status.ADMITTED)
        self.assertEqual(badge.inner_text().strip(), vietnamese(Status.ADMITTED.label))
        self.assertIn("25-QĐ/TCT", page.locator("#decision").inner_text())
        self.assertIn("20/02/2026", page.locator("#decision").inner_text())
        self.assertEqual(page.locator('#history [data-action="admission.decision"]').count(), 1)
        application.refresh_from_db()
        self.assertEqual((application.decision, application.decision_date), (Decision.ADMITTED, dt.date(2026, 2, 20)))
        self.assertEqual(application.student.national_id, number)

        path = artifacts_dir() / "admissions-admitted.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        self.assertEqual(path.read_bytes()[: len(PNG_SIGNATURE)], PNG_SIGNATURE)
        self.assertEqual(self.console_errors, [])
