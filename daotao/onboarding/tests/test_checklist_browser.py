"""The first administrator walks the set-up checklist in headless Chromium, from an empty
database: the identity with a logo, the shipped programs, the units and people workbooks
(each template downloaded, checked, then imported); the checklist follows each step. The
checklist is saved as a screenshot in ``$DAOTAO_ARTIFACTS``.

How browser tests run, and when they are skipped: ``daotao.browser_testing``."""

from __future__ import annotations

from pathlib import Path

import pytest

from daotao.accounts.models import User
from daotao.browser_testing import BrowserTestCase, artifacts_dir
from daotao.org.models import Unit
from daotao.programs.models import Program
from daotao.school import identity

LOGO = Path(__file__).with_name("files") / "logo.svg"
PASSWORD = "mat-khau-quan-tri-2026"


@pytest.mark.browser
class ChecklistInBrowserTests(BrowserTestCase):
    def setUp(self):
        User.objects.create_superuser("quantri", "quantri@truong.example", PASSWORD)

    def done(self, page) -> dict[str, bool]:
        steps = page.locator("ol.checklist > li")
        return {
            steps.nth(i).get_attribute("id").removeprefix("step-"): steps.nth(i).locator(".badge.ok").count() == 1
            for i in range(steps.count())
        }

    def import_template(self, page, link: str, folder: Path) -> None:
        """From the checklist: the workbook's page, its template downloaded, checked, imported."""
        with page.expect_navigation():
            page.get_by_role("link", name=link).click()
        with page.expect_download() as download:
            page.get_by_role("link", name="Tải sổ tính mẫu").click()
        template = folder / download.value.suggested_filename
        download.value.save_as(template)
        page.set_input_files("input[type=file]", str(template))
        self.assertTrue(page.is_checked("input[name=dry_run]"))  # checking first is the default
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        self.assertIn("chưa ghi dữ liệu nào", page.inner_text("main"))
        page.go_back()
        page.set_input_files("input[type=file]", str(template))
        page.uncheck("input[name=dry_run]")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        self.assertIn("Đã nhập xong", page.inner_text("main"))
        page.goto(f"{self.live_server_url}/setup/")

    def test_the_first_administrator_walks_the_checklist(self, tmp_path=None):
        import tempfile

        folder = Path(tempfile.mkdtemp())
        page = self.sign_in(self.new_page(1366), "quantri", PASSWORD)
        self.assertIn("Nhà trường chưa được thiết lập", page.inner_text("main"))  # home leads there too
        page.locator("details.dropdown > summary", has_text="Quản trị").first.click()
        with page.expect_navigation():
            page.get_by_role("link", name="Thiết lập nhà trường", exact=True).click()
        self.assertEqual(set(self.done(page).values()), {False})

        with page.expect_navigation():
            page.get_by_role("link", name="Khai báo thông tin nhà trường").click()
        page.fill("#id_name", "Trường Chính trị tỉnh Lạng Giang")
        page.fill("#id_parent", "Tỉnh ủy Lạng Giang")
        page.fill("#id_province", "Lạng Giang")
        page.fill("#id_default-name", "Hoàng Văn Thụ")
        page.set_input_files("#id_logo", str(LOGO))
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        self.assertTrue(self.done(page)["identity"])
        self.assertIn("Trường Chính trị tỉnh Lạng Giang", page.text_content(".site-header"))
        self.assertEqual(page.locator("link[rel=icon]").get_attribute("href"), identity.current().logo_url)

        with page.expect_navigation():
            page.get_by_role("button", name="Cài các chương trình và thiết lập có sẵn").click()
        self.assertTrue(self.done(page)["programs"])
        self.assertEqual(Program.objects.count(), 5)

        self.import_template(page, "Nhập tệp đơn vị", folder)
        self.assertTrue(self.done(page)["units"])
        self.assertTrue(Unit.objects.filter(kind="commune").exists())
        self.import_template(page, "Nhập tệp nhân sự", folder)
        self.assertEqual(
            self.done(page),
            {"identity": True, "units": True, "programs": True, "people": True, "plan": False, "history": False},
        )
        self.assertIn("4/5", page.inner_text("main"))
        page.screenshot(path=str(artifacts_dir() / "setup-checklist.png"), full_page=True)
        self.assertEqual(self.page_errors, [])
