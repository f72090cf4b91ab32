"""The Content-Security-Policy (django-csp, ``CONTENT_SECURITY_POLICY`` in daotao/settings.py):
every page carries it, in development and production alike; no template served as a page
holds what it forbids (inline script or style, event handlers); and in headless Chromium
the portal, the sign-in page, the staff pages and the admin run with no violation while
their scripts still work.

How browser tests run, and when they are skipped: ``daotao.browser_testing``."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import SimpleTestCase
from django.urls import reverse

from daotao.accounts import roles
from daotao.admissions import presets
from daotao.browser_testing import DESKTOP_CHROME, BrowserTestCase
from daotao.grading.models import Grade
from daotao.org.models import UnitKind
from daotao.planning.models import AnnualPlan
from daotao.portal.models import Category
from daotao.portal.tests.world import make_article
from daotao.programs.models import Program
from daotao.surveys.models import CareerEvent, CareerEventKind
from daotao.surveys.outcomes import career_event_record
from daotao.testing import (
    PASSWORD,
    TEST_AND_EXAM,
    WorldTestCase,
    enroll,
    make_cohort,
    make_module,
    make_unit,
    make_user,
)
from daotao.web.tests.test_production import manage, production_env

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
BASE_DIR = Path(settings.BASE_DIR)


def directives(header: str) -> dict[str, list[str]]:
    """``"default-src 'self'; img-src 'self' data:"`` -> ``{"default-src": ["'self'"], ...}``."""
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


class PolicyHeaderTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Category.objects.create(name="Tin hoạt động", slug="tin-hoat-dong", order=1)

    def assertPolicy(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertEqual(directives(response["Content-Security-Policy"]), POLICY)

    def test_portal_page(self):
        self.assertPolicy(self.client.get(reverse("portal:home")))

    def test_sign_in_and_staff_pages(self):
        self.assertPolicy(self.client.get(reverse("login")))
        self.client.force_login(self.office)
        self.assertPolicy(self.client.get(reverse("home")))
        self.assertPolicy(self.client.get(reverse("admissions:list")))

    def test_admin(self):
        self.client.force_login(self.superuser)
        self.assertPolicy(self.client.get(reverse("admin:index")))
        self.assertPolicy(self.client.get(reverse("admin:org_unit_change", args=[self.h01.pk])))

    def test_production_has_the_same_policy(self):
        code = (
            "from django.conf import settings; "
            "print('csp.middleware.CSPMiddleware' in settings.MIDDLEWARE); "
            "print(sorted(settings.CONTENT_SECURITY_POLICY['DIRECTIVES'].items()))"
        )
        result = manage("shell", "-c", code, env=production_env())
        self.assertEqual(result.returncode, 0, result.stderr)
        in_middleware, policy = result.stdout.splitlines()[-2:]
        self.assertEqual(in_middleware, "True")
        self.assertEqual(ast.literal_eval(policy), sorted(POLICY.items()))


# --- templates --------------------------------------------------------------------------

TEMPLATE_ROOTS = [BASE_DIR / "templates", *sorted((BASE_DIR / "daotao").glob("*/templates"))]
_COMMENTS = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.DOTALL)
_SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
# A <script> that holds data, not code (json_script): never run, so the policy allows it.
_DATA_SCRIPT = re.compile(r"""\btype\s*=\s*["']application/(ld\+)?json["']""", re.IGNORECASE)
_FORBIDDEN = [
    (re.compile(r"<style\b", re.IGNORECASE), "inline <style> element"),
    (re.compile(r"(?<![\w-])style\s*=", re.IGNORECASE), "style attribute"),
    (re.compile(r"(?<![\w-])on[a-z]+\s*=", re.IGNORECASE), "event handler attribute"),
    (re.compile(r"\bhx-on\b", re.IGNORECASE), "hx-on attribute (evaluated as inline script)"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
]
# Where the code hands HTML to WeasyPrint: render_to_string("x.html", ...) and html_to_pdf
# on one line, or daotao.school.documents.render_pdf("x.html", ...). A template named
# anywhere else is (also) served as a page.
_TEMPLATE_NAME = re.compile(r"""["']([\w/.-]+\.html)["']""")


def template_files() -> dict[str, Path]:
    """Template name -> file, for every template of the project (templates/ first)."""
    found: dict[str, Path] = {}
    for root in TEMPLATE_ROOTS:
        for path in sorted(root.rglob("*.html")):
            found.setdefault(path.relative_to(root).as_posix(), path)
    return found


def pdf_only_templates() -> set[str]:
    """Templates that the code passes only to WeasyPrint (daotao.lib.pdf.html_to_pdf)."""
    to_pdf, elsewhere = set(), set()
    for path in (BASE_DIR / "daotao").rglob("*.py"):
        if "tests" in path.parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            for name in _TEMPLATE_NAME.findall(line):
                (to_pdf if "html_to_pdf(" in line or "render_pdf(" in line else elsewhere).add(name)
    return to_pdf - elsewhere


def problems_in(text: str) -> list[tuple[int, str]]:
    """(line, what) for everything the policy would refuse in a template's text."""
    text = _COMMENTS.sub(lambda match: "\n" * match.group().count("\n"), text)
    found = []

    def line_of(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    for match in _SCRIPT.finditer(text):
        attributes = match.group(1)
        if not re.search(r"(?<![\w-])src\s*=", attributes) and not _DATA_SCRIPT.search(attributes):
            found.append((line_of(match.start()), "inline <script> without src"))
    for pattern, what in _FORBIDDEN:
        found.extend((line_of(match.start()), what) for match in pattern.finditer(text))
    return sorted(found)


class TemplatesTests(SimpleTestCase):
    def test_the_scan_sees_what_it_refuses(self):
        sample = (
            '<p style="color: red">\n<button onclick="go()">\n<script>alert(1)</script>\n'
            '<script src="/static/x.js" defer></script>\n{# <p style="x"> #}\n<style>p {}</style>\n'
            '<script type="application/json" id="d">{}</script>\n<a href="javascript:go()">\n'
            '<div hx-on:click="go()">\n<link rel="stylesheet" href="/static/a.css">\n'
        )
        self.assertEqual(
            problems_in(sample),
            [
                (1, "style attribute"),
                (2, "event handler attribute"),
                (3, "inline <script> without src"),
                (6, "inline <style> element"),
                (8, "javascript: URL"),
                (9, "hx-on attribute (evaluated as inline script)"),
            ],
        )

    def test_the_pdf_only_templates_are_found(self):
        self.assertEqual(
            pdf_only_templates(),
            {
                "exams/candidates_pdf.html",
                "exams/slips_pdf.html",
                "finance/receipt_pdf.html",
                "grading/decision_pdf.html",
                "grading/report_pdf.html",
                "surveys/results/round_pdf.html",
                "twoway/pack_pdf.html",
            },
        )
        # The printed credential is both a page and a PDF: it is scanned like any page.
        self.assertNotIn("grading/credential_print.html", pdf_only_templates())

    def test_no_page_template_has_inline_script_style_or_handlers(self):
        pdf_only = pdf_only_templates()
        templates = template_files()
        self.assertGreater(len(templates), 50)
        problems = [
            f"{path.relative_to(BASE_DIR)}:{line}: {what}"
            for name, path in templates.items()
            if name not in pdf_only
            for line, what in problems_in(path.read_text(encoding="utf-8"))
        ]
        self.assertEqual(problems, [])


# --- in the browser ---------------------------------------------------------------------

# Collects the policy's violation reports from the moment a page starts, before its scripts.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " +
    (event.sourceFile || "") + ":" + event.lineNumber);
});
"""


@pytest.mark.browser
class PolicyInBrowserTests(BrowserTestCase):
    def setUp(self):
        province = make_unit("BA", "Tỉnh Bình An", UnitKind.PROVINCE)
        self.h01 = make_unit("H01", "Thành phố Bình An", UnitKind.DISTRICT, province)
        make_unit("X0101", "Phường Nam Sơn", UnitKind.COMMUNE, self.h01)
        category = Category.objects.create(name="Tin hoạt động", slug="tin-hoat-dong", order=1)
        make_article(category, "Khai giảng lớp Trung cấp lý luận chính trị - hành chính", featured=True)
        self.program = Program.objects.create(
            code="TC-LLCT-HC", name="Trung cấp lý luận chính trị - hành chính", kind="training"
        )
        AnnualPlan.objects.create(year=2026, status="approved")
        presets.install()
        self.module = make_module(self.program, "I.1", 60, TEST_AND_EXAM, name="Triết học Mác - Lênin")
        self.cohort = make_cohort("TC01", self.program, self.h01, dt.date(2026, 3, 2))
        self.enrollments = sorted(enroll(self.cohort, 3), key=lambda e: e.student.sort_key)
        self.office = make_user("office", roles.TRAINING_OFFICE)
        self.superuser = make_user("root", is_superuser=True, is_staff=True)
        self.problems: list[str] = []

    def new_page(self):
        """A page in a fresh browser context whose console messages, uncaught errors and
        policy violations all go to ``self.problems``."""
        context = self.browser.new_context(
            user_agent=DESKTOP_CHROME, locale="vi-VN", viewport={"width": 1280, "height": 900}
        )
        self.addCleanup(context.close)
        context.set_default_timeout(15_000)
        context.add_init_script(WATCH_VIOLATIONS)
        page = context.new_page()

        def on_console(message):
            # The site has no favicon; the browser asks for one on its own.
            if not message.location.get("url", "").endswith("/favicon.ico"):
                self.problems.append(f"{page.url}: console {message.type}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: {error}"))
        return page

    def open(self, page, path: str):
        response = page.goto(self.live_server_url + path)
        self.assertEqual(response.status, 200, path)
        self.assertIn("script-src 'self'", response.headers["content-security-policy"])
        page.wait_for_load_state("load")
        return page

    def check_violations(self, page):
        self.problems.extend(f"{page.url}: {v}" for v in page.evaluate("window.__violations"))

    def sign_in(self, page, user, login_path: str, next_path: str):
        self.open(page, f"{login_path}?next={next_path}")
        self.check_violations(page)
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("form [type=submit]")
        self.assertTrue(page.url.endswith(next_path), page.url)

    def test_portal_and_language_switch(self):
        page = self.open(self.new_page(), reverse("portal:home"))
        self.assertEqual(page.get_attribute("html", "lang"), "vi")
        self.check_violations(page)
        # The language switch submits itself on change (static/web/forms.js).
        with page.expect_navigation():
            page.select_option(".topbar select[name=language]", "en")
        self.assertEqual(page.get_attribute("html", "lang"), "en")
        self.check_violations(page)
        self.assertEqual(self.problems, [])

    def test_staff_pages(self):
        page = self.new_page()
        self.sign_in(page, self.office, reverse("login"), reverse("home"))
        self.check_violations(page)

        # The grade sheet: HTMX saves a cell on change, static/grading/sheet.js moves down on Enter.
        first, second, _third = self.enrollments
        test = self.module.assessments.order_by("order").first()
        self.open(page, reverse("grading:sheet", args=[self.cohort.pk, self.module.pk]))
        page.locator(f"#cell-{first.pk}-{test.pk}-1 input.grade").click()
        with page.expect_response(lambda response: "/cell/" in response.url):
            page.keyboard.type("7,5")
            page.keyboard.press("Enter")
        active = page.evaluate("document.activeElement.closest('td').id")
        self.assertEqual(active, f"cell-{second.pk}-{test.pk}-1")
        self.assertEqual(page.locator(f"#cell-{first.pk}-{test.pk}-1 input.grade").input_value(), "7,5")
        self.assertEqual(Grade.objects.get(enrollment=first, assessment=test).score, 7.5)
        self.check_violations(page)

        # The application form shows the chosen program's documents (static/admissions/application_form.js).
        self.open(page, reverse("admissions:new"))
        documents = page.locator("#documents [data-programs]:visible")
        self.assertEqual(documents.count(), 0)
        page.select_option("#id_program", str(self.program.pk))
        self.assertEqual(documents.count(), 7)  # the Trung cấp checklist
        self.check_violations(page)

        # A delete button asks first (data-confirm, static/web/forms.js): "Cancel" keeps the event.
        student = first.student
        career_event_record(
            user=self.office, student=student, kind=CareerEventKind.PROMOTION, date=dt.date(2027, 5, 4),
            decision_number="12-QĐ/TU",
        )  # fmt: skip
        self.open(page, reverse("surveys:outcome_student", args=[student.pk]))
        questions = []

        def answer(dialog, accept):
            questions.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        page.once("dialog", lambda dialog: answer(dialog, False))
        page.click("form button[data-confirm]")
        page.wait_for_timeout(300)
        self.assertEqual(CareerEvent.objects.count(), 1)
        page.once("dialog", lambda dialog: answer(dialog, True))
        with page.expect_navigation():
            page.click("form button[data-confirm]")
        self.assertEqual(CareerEvent.objects.count(), 0)
        self.assertEqual(questions, ["Xóa quyết định này?"] * 2)
        self.check_violations(page)
        self.assertEqual(self.problems, [])

    def test_admin(self):
        page = self.new_page()
        change = reverse("admin:cohorts_cohort_change", args=[self.cohort.pk])
        self.sign_in(page, self.superuser, reverse("admin:login"), change)
        # Its scripts ran: the calendar shortcut beside a date, the autocomplete of a foreign key.
        self.assertGreater(page.locator(".datetimeshortcuts").count(), 0)
        self.assertGreater(page.locator(".select2-container").count(), 0)
        page.locator(".select2-container").first.click()
        page.wait_for_selector(".select2-results__option")
        page.keyboard.press("Escape")
        self.check_violations(page)
        self.assertEqual(self.problems, [])
