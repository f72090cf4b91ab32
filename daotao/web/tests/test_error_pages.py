"""Requests refused outside the views (no such page, not allowed, a stale form, malformed or
too large): a page in Vietnamese on the site, the API's JSON error shape under /api/ —
never Django's English pages, and nothing the Content-Security-Policy would block."""

from __future__ import annotations

import json

from django.test import Client, override_settings
from django.urls import reverse

from daotao.accounts.models import ApiToken
from daotao.api.tests.base import JSON
from daotao.testing import WorldTestCase


class SitePagesTests(WorldTestCase):
    def assert_page(self, response, status: int, *phrases: str):
        self.assertEqual(response.status_code, status)
        self.assertEqual(response["Content-Type"], "text/html; charset=utf-8")
        body = response.content.decode()
        self.assertIn('<html lang="vi">', body)
        for phrase in phrases:
            self.assertIn(phrase, body)
        for english in ("Not Found", "Forbidden", "CSRF"):
            self.assertNotIn(english, body)
        self.assertNotIn("<style", body)  # CSP allows no inline style
        self.assertIn("Content-Security-Policy", response.headers)

    def test_no_such_page(self):
        response = self.client.get("/khong-co-trang-nay/")
        self.assert_page(response, 404, "Không tìm thấy trang", 'href="/"')

    def test_a_record_outside_the_scope_is_the_same_page(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("cohorts:detail", args=["KHONG-CO"]))
        self.assert_page(response, 404, "Không tìm thấy trang")

    def test_not_allowed(self):
        self.client.force_login(self.nobody)
        response = self.client.get(reverse("cohorts:list"))
        self.assert_page(response, 403, "Không được phép", "Phòng Quản lý đào tạo")

    def test_a_form_sent_without_its_security_token_changes_nothing(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.office)
        response = client.post(reverse("api_token_create"), {"name": "máy chủ báo cáo"})
        self.assert_page(response, 403, "Biểu mẫu đã hết hạn", "tải lại trang")
        self.assertFalse(ApiToken.objects.exists())

    def test_a_malformed_request(self):
        with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5):
            response = self.client.get("/", {f"f{i}": i for i in range(10)})
        self.assert_page(response, 400, "Không đọc được yêu cầu")


class ApiAnswersTests(WorldTestCase):
    def assert_json(self, response, status: int, phrase: str):
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], JSON)
        body = json.loads(response.content)
        self.assertEqual(set(body), {"detail", "errors"})
        self.assertIn(phrase, body["detail"])
        return body

    def test_unknown_addresses_under_api(self):
        for url in ("/api/", "/api/v2/students", "/api/v1/khong-co"):
            with self.subTest(url=url):
                self.assert_json(self.client.get(url), 404, "Không tìm thấy")

    def test_the_schema_is_read_with_get(self):
        self.assertEqual(self.client.get("/api/v1/openapi.json").status_code, 200)
        for method in ("POST", "PUT", "DELETE"):
            with self.subTest(method=method):
                response = self.client.generic(method, "/api/v1/openapi.json")
                self.assert_json(response, 405, method)
                self.assertEqual(response["Allow"], "GET, HEAD")

    def test_a_malformed_request(self):
        self.client.force_login(self.office)
        with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5):
            response = self.client.get("/api/v1/students", {f"f{i}": i for i in range(10)})
        self.assert_json(response, 400, "Không đọc được yêu cầu")

    @override_settings(DAOTAO_MAX_REQUEST_BYTES=2048)
    def test_a_request_over_the_size_limit(self):
        response = self.client.post("/api/v1/students", data=b"x" * 4096, content_type="application/octet-stream")
        self.assert_json(response, 413, "nhiều hơn mức 2 KB")

    def test_a_stale_security_token(self):
        # Django's CSRF check fails before any view of the API could answer for itself.
        from django.test import RequestFactory

        from daotao.web.errors import csrf_failure

        response = csrf_failure(RequestFactory().post("/api/v1/students"), reason="CSRF cookie not set.")
        self.assert_json(response, 403, "mã bảo mật")


class FaviconTests(WorldTestCase):
    def test_the_schools_logo_is_the_icon(self):
        # A redirect that is not permanent: the school may change its logo.
        response = self.client.get("/favicon.ico")
        self.assertEqual((response.status_code, response["Location"]), (302, "/static/portal/logo.svg"))
        self.client.force_login(self.office)
        self.assertContains(self.client.get(reverse("home")), '<link rel="icon" href="/static/portal/logo.svg">')
        self.assertContains(self.client.get("/khong-co/"), 'rel="icon"', status_code=404)
