"""/api/v1/openapi.json describes every operation, its parameters and every answer it gives."""

import json

from django.test import SimpleTestCase

from daotao.api.tests.base import ApiTestCase

OPENAPI = "/api/v1/openapi.json"
# 400 everywhere: a NUL character anywhere in the query is refused before any view.
OPERATIONS = {
    "/api/v1/reports/cohort-stats": {"200", "400", "401", "403", "422"},
    "/api/v1/reports/annual": {"200", "400", "401", "403", "422"},
    "/api/v1/cohorts/{code}/enrollments": {"200", "400", "401", "403", "404", "422"},
    "/api/v1/students": {"200", "400", "401", "403", "422"},
    "/api/v1/students/{national_id}/record": {"200", "400", "401", "403", "404", "422"},
    "/api/v1/admissions/quota-progress": {"200", "400", "401", "403", "404", "422"},
    "/api/v1/grading/cohorts/{cohort_id}/results": {"200", "400", "401", "403", "404", "422"},
    "/api/v1/grading/me": {"200", "400", "401", "403", "422"},
    # 503: the school has not made its figures key (docs/deploy.md).
    "/api/v1/figures": {"200", "400", "401", "403", "422", "503"},
    # Public: anyone checks a printed credential's code (no token, no session), within a limit.
    "/api/v1/verify/{code}": {"200", "400", "404", "429"},
}
PUBLIC = {"/api/v1/verify/{code}"}


class OpenApiDocumentTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        response = cls.client_class().get(OPENAPI)
        cls.status, cls.content_type = response.status_code, response["Content-Type"]
        cls.doc = json.loads(response.content)

    def test_valid_json_openapi_3(self):
        self.assertEqual(self.status, 200)
        self.assertTrue(self.content_type.startswith("application/json"))
        self.assertRegex(self.doc["openapi"], r"^3\.\d+\.\d+$")
        self.assertEqual(self.doc["info"]["title"], "DaoTao API")

    def test_every_path_with_its_answers(self):
        self.assertEqual(set(self.doc["paths"]), set(OPERATIONS))
        for path, statuses in OPERATIONS.items():
            operation = self.doc["paths"][path]["get"]
            with self.subTest(path=path):
                self.assertEqual(set(operation["responses"]), statuses)
                for status in statuses - {"200"}:
                    schema = operation["responses"][status]["content"]["application/json"]["schema"]
                    self.assertEqual(schema, {"$ref": "#/components/schemas/Error"})
                if path in PUBLIC:
                    self.assertNotIn("security", operation)
                else:
                    self.assertEqual(operation["security"], [{"BearerToken": []}, {"DjangoSession": []}])

    def test_parameters(self):
        def parameters(path):
            return {p["name"]: p for p in self.doc["paths"][path]["get"]["parameters"]}

        stats = parameters("/api/v1/reports/cohort-stats")
        self.assertEqual(
            set(stats),
            {"from", "to", "relation", "program", "category", "kind", "mode", "funding", "locality", "units"},
        )
        self.assertEqual(stats["units"]["schema"]["enum"], ["today", "then"])
        annual = parameters("/api/v1/reports/annual")
        self.assertEqual(set(annual), {"year", "template", "units"})
        self.assertEqual(annual["units"]["schema"]["enum"], ["today", "then"])
        self.assertEqual(stats["kind"]["schema"]["enum"], ["training", "fostering"])
        self.assertTrue(stats["from"]["required"] and stats["to"]["required"] and stats["relation"]["required"])
        self.assertEqual(
            stats["relation"]["schema"]["enum"], ["opened", "carried_over", "active", "closed", "carried_over_running"]
        )
        self.assertEqual(stats["program"]["schema"]["type"], "array")
        self.assertNotIn("default", stats["mode"]["schema"])  # absent, not null
        self.assertEqual(set(parameters("/api/v1/students")), {"q", "limit", "offset"})
        figures = parameters("/api/v1/figures")
        self.assertEqual(set(figures), {"from", "to"})
        self.assertTrue(figures["from"]["required"] and figures["to"]["required"])
        self.assertEqual(parameters("/api/v1/cohorts/{code}/enrollments")["code"]["in"], "path")
        # Ninja copies a schema's `examples` list to the parameter, where OpenAPI wants a map.
        for path in OPERATIONS:
            for parameter in parameters(path).values():
                self.assertNotIn("examples", parameter)

    def test_components(self):
        schemas = self.doc["components"]["schemas"]
        self.assertEqual(schemas["Error"]["required"], ["detail", "errors"])
        self.assertEqual(set(schemas["PeriodOut"]["properties"]), {"from", "to", "name"})
        self.assertEqual(set(schemas["UnitsViewOut"]["properties"]), {"view", "text"})
        self.assertEqual(self.doc["components"]["securitySchemes"]["BearerToken"], {"type": "http", "scheme": "bearer"})

    def test_no_swagger_ui(self):
        # It would load its scripts from a CDN.
        self.assertEqual(self.client.get("/api/v1/docs").status_code, 404)


class AnswersAreDocumentedTests(ApiTestCase):
    """Whatever the input, the status code is one the document lists for the operation."""

    def test_status_codes_are_documented(self):
        doc = self.client.get(OPENAPI).json()
        stats, annual, students = "/api/v1/reports/cohort-stats", "/api/v1/reports/annual", "/api/v1/students"
        figures = "/api/v1/figures"
        enrollments = "/api/v1/cohorts/{code}/enrollments"
        requests = [
            (stats, stats, {"from": "x"}),
            (stats, stats, {"from": "2020-01-01", "to": "2019-01-01", "relation": "opened"}),
            (annual, annual, {"year": 2020, "template": "none"}),
            (annual, annual, {"year": "x"}),
            (enrollments, "/api/v1/cohorts/NONE/enrollments", {}),
            (students, students, {"limit": -1}),
            (students, students, {}),
            (figures, figures, {"from": "2020-01-01", "to": "2019-01-01"}),
            (figures, figures, {"from": "31/02/2020", "to": "2020-12-31"}),
            (figures, figures, {"from": "x"}),
            (figures, figures, {"from": "2020-01-01", "to": "2020-12-31"}),
        ]
        for user in (None, self.nobody, self.office):
            if user is not None:
                self.client.force_login(user)
            for path, url, params in requests:
                with self.subTest(user=user and user.username, url=url, params=params):
                    response = self.client.get(url, params)
                    self.assertIn(str(response.status_code), doc["paths"][path]["get"]["responses"])
                    self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")

    def test_a_nul_character_anywhere_answers_a_documented_400(self):
        # Found by the fuzzer (test_fuzz): RefuseNulMiddleware answers 400 for a NUL in any
        # query parameter, even one the operation does not take, before auth or the view.
        doc = self.client.get(OPENAPI).json()
        self.client.force_login(self.office)
        requests = [
            ("/api/v1/reports/cohort-stats", "/api/v1/reports/cohort-stats", {"relation": "opened\x00"}),
            ("/api/v1/reports/annual", "/api/v1/reports/annual", {"year": 2020, "x": "\x00"}),
            ("/api/v1/cohorts/{code}/enrollments", "/api/v1/cohorts/K1/enrollments", {"page": "1\x00"}),
            ("/api/v1/cohorts/{code}/enrollments", "/api/v1/cohorts/K%001/enrollments", {}),
            ("/api/v1/students", "/api/v1/students", {"q\x00": "an"}),
            ("/api/v1/admissions/quota-progress", "/api/v1/admissions/quota-progress", {"year": "2026\x00"}),
            ("/api/v1/grading/cohorts/{cohort_id}/results", "/api/v1/grading/cohorts/1/results", {"x": "\x00"}),
            ("/api/v1/grading/cohorts/{cohort_id}/results", "/api/v1/grading/cohorts/1%00/results", {}),
            ("/api/v1/grading/me", "/api/v1/grading/me", {"x": "\x00"}),
            ("/api/v1/figures", "/api/v1/figures", {"from": "2020-01-01\x00", "to": "2020-12-31"}),
        ]
        for path, url, params in requests:
            with self.subTest(url=url, params=params):
                response = self.client.get(url, params)
                self.assertEqual(response.status_code, 400)
                self.assertIn("400", doc["paths"][path]["get"]["responses"])
                self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
                self.assertIn("NUL", response.json()["detail"])
