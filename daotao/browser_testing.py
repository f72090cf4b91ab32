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
