"""Failures the views never see still answer the API's JSON ``Error`` shape, in Vietnamese."""

from daotao.api.tests.base import JSON, ApiTestCase
from daotao.api.tests.test_openapi import OPERATIONS


class WrongMethodTests(ApiTestCase):
    """Found by the fuzzer (test_fuzz): a method that an address does not take got ninja's
    bare English "Method not allowed" as text/html."""

    def test_405_in_the_error_shape_for_every_operation(self):
        self.client.force_login(self.office)
        for path in OPERATIONS:
            url = path.replace("{code}", "K1").replace("{cohort_id}", "1")
            for method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"):
                with self.subTest(url=url, method=method):
                    response = self.client.generic(method, url)
                    self.assertEqual(response.status_code, 405)
                    self.assertEqual(response["Content-Type"], JSON)
                    self.assertEqual(response["Allow"], "GET")
                    body = response.json()
                    self.assertEqual(body["errors"], [])
                    self.assertEqual(body["detail"], f"Địa chỉ này không nhận phương thức {method}; hãy dùng GET.")

    def test_head_has_no_body(self):
        response = self.client.head("/api/v1/students")
        self.assertEqual((response.status_code, response["Allow"], response.content), (405, "GET", b""))

    def test_anonymous_callers_too_without_a_csrf_token(self):
        # The JSON answer keeps ninja's views exempt from Django's CSRF page (a 403 in HTML).
        client = self.client_class(enforce_csrf_checks=True)
        response = client.post("/api/v1/reports/annual", {"year": 2020})
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response["Content-Type"], JSON)

    def test_the_allowed_method_still_answers(self):
        self.assertEqual(self.get("/api/v1/students", user=self.office).status_code, 200)
