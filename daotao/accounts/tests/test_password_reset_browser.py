"""A forgotten password in headless Chromium: from the sign-in page, "Quên mật khẩu?", the
address typed, the email read from a real SMTP server on loopback, its link opened in the
browser, a new password set and signed in with; no page breaks the Content-Security-Policy.

How browser tests run, and when they are skipped: ``daotao.browser_testing``."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from daotao.accounts import roles
from daotao.browser_testing import PNG_SIGNATURE, BrowserTestCase, artifacts_dir
from daotao.testing import PASSWORD, make_user
from daotao.testing_smtp import SmtpTestMixin, body

NEW_PASSWORD = "Sen-hong-tren-dinh-2026"


@pytest.mark.browser
class PasswordResetInBrowserTests(SmtpTestMixin, BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.enterContext(override_settings(DAOTAO_SITE_URL=self.live_server_url))
        self.user = make_user(
            "lan.daotao", roles.TRAINING_OFFICE, email="lan.daotao@truong.test", first_name="Lan", last_name="Trần Thị"
        )

    def test_forgotten_password_by_email_then_sign_in(self):
        page = self.new_page(1000, 900)
        page.goto(self.live_server_url + reverse("login"))
        with page.expect_navigation():
            page.get_by_role("link", name="Quên mật khẩu?").click()
        self.assertTrue(page.url.endswith(reverse("password_reset")), page.url)

        page.get_by_label("Địa chỉ email").fill("lan.daotao@truong.test")
        with page.expect_navigation():
            page.get_by_role("button", name="Gửi đường dẫn").click()
        self.assertIn("Xin kiểm tra hộp thư", page.locator("main").inner_text())

        [message] = self.smtp.messages
        self.assertEqual(message["To"], "lan.daotao@truong.test")
        text = body(message)
        self.assertIn("Kính gửi đồng chí Trần Thị Lan,", text)
        link = re.search(re.escape(self.live_server_url) + r"/accounts/password/reset/\S+/\S+/", text).group(0)

        page.goto(link)  # leads on to the form, the token out of the address
        self.assertTrue(page.url.endswith("/set-password/"), page.url)
        page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
        directory = artifacts_dir()
        directory.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(directory / "password-reset-form.png"), full_page=True)
        with page.expect_navigation():
            page.get_by_role("button", name="Đặt mật khẩu").click()
        self.assertIn("Đã đặt mật khẩu mới", page.locator("main").inner_text())

        with page.expect_navigation():
            page.locator("main").get_by_role("link", name="Đăng nhập").click()
        page.fill("#id_username", "lan.daotao")
        page.fill("#id_password", NEW_PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        self.assertTrue(page.url.endswith(reverse("home")), page.url)
        self.assertIn("Trần Thị Lan", page.locator(".user-box").inner_text())
        self.assertTrue(page.screenshot(path=str(directory / "password-reset-signed-in.png")).startswith(PNG_SIGNATURE))

        # The link a second time, in another browser: refused, no form.
        again = self.new_page()
        again.goto(link)
        self.assertIn("Đường dẫn không còn dùng được", again.locator("main").inner_text())
        self.assertEqual(again.locator("input[type=password]").count(), 0)
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(NEW_PASSWORD))
        self.assertFalse(self.user.check_password(PASSWORD))
        self.assertEqual(self.page_errors, [])
