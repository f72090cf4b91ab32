"""GET /api/v1/admissions/quota-progress: the quota progress as the page counts it
(achievement by the yearly report's rule, the admissions beside it)."""

from django.urls import reverse

from daotao.admissions.progress import quota_progress
from daotao.admissions.tests.test_quota import QuotaProgressTestCase
from daotao.api.tests.base import ApiTestCase, dumps

URL = "/api/v1/admissions/quota-progress"


class QuotaProgressApiTests(QuotaProgressTestCase, ApiTestCase):
    def test_the_numbers_of_the_counting_and_the_page(self):
        body = self.get_json(URL, {"year": 2026}, user=self.office)
        self.assertEqual(body, dumps(quota_progress(2026, self.office).as_dict()))
        self.assertEqual(body["plan"]["decision_number"], "15-QĐ/TCT")
        self.assertEqual(body["plan"]["decision_date"], "2026-01-10")
        h01, h02 = body["rows"]
        self.assertEqual(
            (h01["locality"], h01["program"], h01["funding"], h01["planned_students"], h01["enrolled_students"]),
            ("H01", "TC-LLCT-HC", "supported", 80, 81),
        )
        self.assertEqual((h01["ratio"], h01["met"], h01["shortfall"]), (1.0125, True, 0))
        pipeline = (h01["nominated"], h01["eligible"], h01["admitted"], h01["nominations_short"])
        self.assertEqual(pipeline, (4, 3, 1, True))
        self.assertEqual((h02["enrolled_students"], h02["met"]), (0, False))
        total = body["total"]
        self.assertEqual((total["planned_students"], total["enrolled_students"], total["met"]), (140, 81, False))
        self.assertEqual(body["localities_not_met"], 1)
        page = self.client.get(reverse("admissions:quota"), {"year": 2026}).context["progress"]
        self.assertEqual(body["rows"], dumps([row.as_dict() for row in page.rows]))

    def test_scoped_by_the_tokens_user(self):
        body = self.get_json(URL, {"year": 2026}, key=self.key_for(self.coordinator))
        self.assertEqual([row["locality"] for row in body["rows"]], ["H01"])
        self.assertEqual(body, dumps(quota_progress(2026, self.coordinator).as_dict()))
        body = self.get_json(URL, {"year": 2026}, key=self.key_for(self.agency_user))
        self.assertEqual((body["rows"], body["total"]["planned_students"]), ([], 0))

    def test_bad_or_unknown_year(self):
        body = self.get_json(URL, {"year": 1999}, status=404, user=self.office)
        self.assertIn("1999", body["detail"])
        self.assert_bad_input(self.get(URL, {"year": "abc"}), 422, "year")
        self.assert_bad_input(self.get(URL, {}), 422, "year")
        self.assert_bad_input(self.get(URL, {"year": 3000}), 422, "year")
        self.assert_bad_input(self.get(URL, {"year": 1949}), 422, "year")  # before any plan may be (1950)

    def test_who_may_call(self):
        self.assertEqual(self.get(URL, {"year": 2026}).status_code, 401)
        self.assertEqual(self.get(URL, {"year": 2026}, user=self.nobody).status_code, 403)

    def test_in_the_openapi_document(self):
        operation = self.client.get("/api/v1/openapi.json").json()["paths"][URL]["get"]
        self.assertEqual(set(operation["responses"]), {"200", "400", "401", "403", "404", "422"})
        [year] = operation["parameters"]
        self.assertEqual((year["name"], year["required"]), ("year", True))
