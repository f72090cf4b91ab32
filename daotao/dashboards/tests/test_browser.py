"""The menu and a class's hub in headless Chromium: the menu on one line at 1366 px and
behind a button on a 390 px phone, each group opening its links; the class hub's tabs, each
leading to a page with the same header and its own tab marked, and back.

How browser tests run, and when they are skipped: ``daotao.browser_testing``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from daotao.browser_testing import BrowserTestCase, artifacts_dir
from daotao.dashboards.tests.test_hub import EVERY_TAB
from daotao.teaching.models import Lesson
from daotao.testing import PASSWORD, build_teaching_world, build_world


@pytest.mark.browser
class MenuAndHubInBrowserTests(BrowserTestCase):
    def setUp(self):
        build_world(self)
        build_teaching_world(self)
        Lesson.objects.create(
            cohort=self.cohort, module=self.m1, lecturer=self.lecturer, date=dt.date(2026, 3, 3), session="morning"
        )

    def open_as(self, username, width, height=900):
        return self.sign_in(self.new_page(width, height), username, PASSWORD)

    def open_group(self, page, label):
        page.locator("details.dropdown > summary", has_text=label).first.click()

    def test_menu_fits_one_line_at_1366_and_marks_the_current_page(self):
        # The demo's longest account name, in the account menu at the right.
        self.office.last_name, self.office.first_name = "Phòng Quản lý", "đào tạo"
        self.office.save()
        page = self.open_as("office", 1366)
        groups = page.locator(".menu-group")
        self.assertEqual(groups.count(), 7)  # Đào tạo ... Quản trị: the office sees every group
        tops = {round(groups.nth(i).bounding_box()["y"]) for i in range(groups.count())}
        self.assertEqual(len(tops), 1, "the menu's groups are on more than one line")
        header = page.locator(".site-header").bounding_box()
        self.assertLess(header["height"], 80)
        account = page.locator(".user-box").bounding_box()
        last = groups.nth(groups.count() - 1).bounding_box()
        self.assertGreater(account["x"], last["x"] + last["width"], "the account menu overlaps the menu")
        self.assertAlmostEqual(account["y"], last["y"], delta=20)
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 1366)
        self.open_group(page, "Đào tạo")
        with page.expect_navigation():
            page.get_by_role("link", name="Lớp học", exact=True).click()
        self.assertIn(reverse("cohorts:list"), page.url)
        current = page.locator('.dropdown-body a[aria-current="page"]')
        self.assertEqual(current.count(), 1)
        self.assertEqual(current.text_content(), "Lớp học")
        self.assertIn("Lớp học", page.locator(".breadcrumbs").inner_text())
        page.screenshot(path=str(artifacts_dir() / "menu-1366.png"))
        self.assertEqual(self.page_errors, [])

    def test_menu_collapses_on_a_phone(self):
        page = self.open_as("office", 390, 844)
        menu = page.locator("#main-menu")
        self.assertFalse(menu.is_visible())
        toggle = page.locator(".nav-toggle")
        self.assertTrue(toggle.is_visible())
        toggle.click()
        self.assertTrue(menu.is_visible())
        self.assertEqual(toggle.get_attribute("aria-expanded"), "true")
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)
        self.open_group(page, "Tuyển sinh")
        link = page.get_by_role("link", name="Tiến độ chỉ tiêu", exact=True)
        self.assertTrue(link.is_visible())
        box = link.bounding_box()
        self.assertLessEqual(box["x"] + box["width"], 390)
        page.screenshot(path=str(artifacts_dir() / "menu-390.png"), full_page=True)
        with page.expect_navigation():
            link.click()
        self.assertIn(reverse("admissions:quota"), page.url)
        self.assertEqual(self.page_errors, [])

    def test_the_hub_tabs_lead_to_the_class_pages_and_back(self):
        page = self.open_as("office", 1366)
        page.goto(f"{self.live_server_url}{reverse('cohorts:list')}")
        with page.expect_navigation():
            page.get_by_role("link", name=self.cohort.code, exact=True).click()
        hub_url = page.url
        self.assertIn(reverse("cohorts:detail", args=[self.cohort.code]), hub_url)
        page.screenshot(path=str(artifacts_dir() / "class-hub.png"), full_page=True)
        tabs = page.locator(".class-header .tabs a")
        keys = [tabs.nth(i).get_attribute("data-tab") for i in range(tabs.count())]
        self.assertEqual(keys, EVERY_TAB)
        headings = {}
        for key in ["timetable", "organisation", "results", "absences", "essays", "graduation", "packs"]:
            with page.expect_navigation():
                page.locator(f'.class-header .tabs a[data-tab="{key}"]').click()
            marked = page.locator('.class-header .tabs a[aria-current="page"]')
            self.assertEqual(marked.get_attribute("data-tab"), key, page.url)
            self.assertIn(self.cohort.code, page.locator(".class-header .class-title").inner_text())
            headings[key] = page.locator("h1").first.inner_text()
            # A wide table (the class's results) scrolls in its own box, not the page.
            self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 1366, key)
            with page.expect_navigation():
                page.locator('.class-header .tabs a[data-tab="summary"]').click()
            self.assertEqual(page.url, hub_url)
        self.assertEqual(len(set(headings.values())), len(headings), headings)
        # The in-page tabs scroll to their section of the hub.
        page.locator('.class-header .tabs a[data-tab="students"]').click()
        self.assertTrue(page.locator("#students").is_visible())
        self.assertEqual(self.page_errors, [])
