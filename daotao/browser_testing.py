"""Browser tests: headless Chromium driven by Playwright for Python.

Uses Debian's Chromium (``/usr/bin/chromium``), never a browser Playwright downloads. Without
it, or without Playwright, a browser test is skipped; CI sets ``DAOTAO_REQUIRE_BROWSER=1`` so
that either missing fails instead. Screenshots go to ``$DAOTAO_ARTIFACTS`` (``artifacts/``
by default).
"""

from __future__ import annotations

import os
import shutil
import unittest
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None

CHROMIUM = "/usr/bin/chromium"
# Headless Chromium says "HeadlessChrome", which the portal's counters rightly take for a crawler.
DESKTOP_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chromium_path() -> str | None:
    if Path(CHROMIUM).is_file():
        return CHROMIUM
    return shutil.which("chromium")


def artifacts_dir() -> Path:
    return Path(os.environ.get("DAOTAO_ARTIFACTS") or settings.BASE_DIR / "artifacts")


class BrowserTestCase(StaticLiveServerTestCase):
    """A live server and one headless Chromium (``cls.browser``) for the class."""

    @classmethod
    def setUpClass(cls):
        executable = chromium_path()
        missing = None
        if sync_playwright is None:
            missing = "Playwright for Python is not installed (pip install -r requirements-dev.txt)"
        elif executable is None:
            missing = f"Chromium is not installed ({CHROMIUM} or chromium on PATH; apt-get install chromium)"
        if missing:
            if os.environ.get("DAOTAO_REQUIRE_BROWSER") == "1":
                raise RuntimeError(f"DAOTAO_REQUIRE_BROWSER=1 but {missing}")
            raise unittest.SkipTest(missing)

        # Playwright's sync API runs an event loop in this thread; Django's docs allow the
        # ORM here for such tests with this variable.
        previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        cls.addClassCleanup(cls._restore_environ, "DJANGO_ALLOW_ASYNC_UNSAFE", previous)
        super().setUpClass()
        cls.playwright = sync_playwright().start()
        cls.addClassCleanup(cls.playwright.stop)
        cls.browser = cls.playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        cls.addClassCleanup(cls.browser.close)

    @staticmethod
    def _restore_environ(name, value):
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value

    def new_page(self, width: int = 1280, height: int = 900):
        """A page in a fresh browser context: a desktop Chrome in Vietnamese at ``width`` x
        ``height``. Errors of its scripts and of the console (a Content-Security-Policy
        violation among them) are collected in ``self.page_errors``."""
        if not hasattr(self, "page_errors"):
            self.page_errors = []
        context = self.browser.new_context(
            user_agent=DESKTOP_CHROME, locale="vi-VN", viewport={"width": width, "height": height}
        )
        self.addCleanup(context.close)
        context.set_default_timeout(15_000)
        page = context.new_page()

        def on_console(message):
            if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
                self.page_errors.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))
        return page

    def sign_in(self, page, username: str, password: str, next_url: str = ""):
        """Sign in on the sign-in page as a person does; lands on ``next_url`` if given."""
        from django.urls import reverse

        query = f"?next={next_url}" if next_url else ""
        page.goto(f"{self.live_server_url}{reverse('login')}{query}")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("form button[type=submit]")
        if next_url:
            self.assertTrue(page.url.endswith(next_url), page.url)
        return page
