"""The portal's counters as a visitor sees them, in headless Chromium driven by Playwright.

A new visitor opens the home page and an article: today's visits and the article's views
each go up by one, and a reload changes neither. A crawler changes nothing. The home page
is saved as a screenshot in ``$DAOTAO_ARTIFACTS`` (``artifacts/`` by default).

How browser tests run, and when they are skipped: ``daotao.browser_testing``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from daotao.browser_testing import DESKTOP_CHROME, PNG_SIGNATURE, BrowserTestCase, artifacts_dir
from daotao.portal.counting import VISITOR_COOKIE
from daotao.portal.models import Article, Category, DailyVisits
from daotao.portal.tests.world import make_article
from daotao.testing import make_identity

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})*")


def parse_vn_int(text: str) -> int:
    """The first number in ``text`` as Vietnamese writes it: ``"1.234 lượt xem"`` -> ``1234``."""
    match = _NUMBER.search(text)
    if match is None:
        raise ValueError(f"no number in {text!r}")
    return int(match.group().replace(".", ""))


def cookie_names(page) -> set[str]:
    return {cookie["name"] for cookie in page.context.cookies()}


@pytest.mark.browser
class VisitorCountingInBrowserTests(BrowserTestCase):
    def setUp(self):
        cache.clear()
        make_identity()
        category = Category.objects.create(name="Tin hoạt động", slug="tin-hoat-dong", order=1)
        self.article = make_article(
            category,
            "Khai giảng lớp Trung cấp lý luận chính trị - hành chính khóa 2026",
            featured=True,
        )
        make_article(category, "Hội nghị tổng kết công tác đào tạo, bồi dưỡng năm 2025")
        make_article(category, "Bồi dưỡng kiến thức quốc phòng và an ninh cho cán bộ cơ sở")
        self.home_url = self.live_server_url + reverse("portal:home")
        self.article_url = self.live_server_url + self.article.get_absolute_url()
        self.today = timezone.localdate()
        self.console_errors = []

    def new_page(self, user_agent: str):
        """A page in a browser context of its own (fresh cookies); its console errors and
        uncaught exceptions go to ``self.console_errors``."""
        context = self.browser.new_context(
            user_agent=user_agent, locale="vi-VN", viewport={"width": 1280, "height": 900}
        )
        self.addCleanup(context.close)
        context.set_default_timeout(15_000)
        page = context.new_page()

        def on_console(message):
            if message.type == "error":
                self.console_errors.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"{page.url}: {error}"))
        return page

    def open(self, page, url: str):
        response = page.goto(url)
        self.assertEqual(response.status, 200, url)
        return page

    def shown(self, page, counter: str) -> int:
        return parse_vn_int(page.locator(f'[data-counter="{counter}"]').inner_text())

    def visits_today(self) -> int:
        return DailyVisits.objects.filter(day=self.today).values_list("visits", flat=True).first() or 0

    def views(self) -> int:
        return Article.objects.values_list("view_count", flat=True).get(pk=self.article.pk)

    def save_screenshot(self, page) -> Path:
        path = artifacts_dir() / "portal-home.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        return path

    def test_a_new_visitor_counts_once_and_a_crawler_not_at_all(self):
        visits, views = self.visits_today(), self.views()

        # A new visitor's first page is a visit.
        visitor = self.open(self.new_page(DESKTOP_CHROME), self.home_url)
        self.assertEqual(visitor.locator(".portal-name").text_content(), "Trường Chính trị tỉnh Bình An")
        self.assertEqual(self.shown(visitor, "today"), visits + 1)
        self.assertIn(VISITOR_COOKIE, cookie_names(visitor))
        screenshot = self.save_screenshot(visitor)
        self.assertGreater(screenshot.stat().st_size, len(PNG_SIGNATURE))
        self.assertEqual(screenshot.read_bytes()[: len(PNG_SIGNATURE)], PNG_SIGNATURE)

        # Then an article: one view more, but the same visit.
        self.open(visitor, self.article_url)
        self.assertEqual(self.shown(visitor, "views"), views + 1)
        self.assertEqual(self.shown(visitor, "today"), visits + 1)

        # A reload is neither a view nor a visit.
        visitor.reload()
        self.assertEqual(self.shown(visitor, "views"), views + 1)
        self.assertEqual(self.shown(visitor, "today"), visits + 1)
        self.assertEqual((self.visits_today(), self.views()), (visits + 1, views + 1))

        # A crawler changes nothing and is handed no visitor cookie.
        crawler = self.open(self.new_page(GOOGLEBOT), self.home_url)
        self.open(crawler, self.article_url)
        self.assertNotIn(VISITOR_COOKIE, cookie_names(crawler))
        self.assertEqual((self.visits_today(), self.views()), (visits + 1, views + 1))
        visitor.reload()
        self.assertEqual(self.shown(visitor, "views"), views + 1)
        self.assertEqual(self.shown(visitor, "today"), visits + 1)
        self.open(visitor, self.home_url)
        self.assertEqual(self.shown(visitor, "today"), visits + 1)

        self.assertEqual(self.console_errors, [])
