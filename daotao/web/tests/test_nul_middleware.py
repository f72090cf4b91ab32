"""A NUL character anywhere a query could reach answers 400, never a 500 (PostgreSQL refuses
NUL in text; the suite runs on whichever database DATABASE_URL names)."""

import datetime as dt

from django.urls import reverse

from daotao.testing import WorldTestCase, make_cohort, make_student

PLAIN = "text/plain; charset=utf-8"
JSON = "application/json; charset=utf-8"


class RefuseNulTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_student("Trần Thị Ngọc Diệp", locality=cls.h01)
        make_cohort("TC-01", cls.programs["TC-LLCT-HC"], cls.h01, dt.date(2020, 3, 2))

    def assert_refused(self, response, content_type=PLAIN):
        self.assertEqual(response.status_code, 400, response.content[:200])
        self.assertEqual(response["Content-Type"], content_type)
        return response

    def test_staff_pages(self):
        self.client.force_login(self.office)
        for url in ("/cohorts/%00/", "/cohorts/TC-01%00/", "/students/?q=%00", "/students/?q=tr%00an"):
            with self.subTest(url=url):
                self.assert_refused(self.client.get(url))
        self.assert_refused(self.client.get(reverse("cohorts:list"), {"year": "2020\x00", "locality": "H01"}))
        self.assert_refused(self.client.get(reverse("reports:annual"), {"template": "\x00"}))

    def test_admin_search_filters_and_autocomplete(self):
        self.client.force_login(self.superuser)
        student_list = reverse("admin:people_student_changelist")
        self.assert_refused(self.client.get(student_list, {"q": "\x00"}))
        self.assert_refused(self.client.get(student_list, {"locality__kind": "x\x00"}))
        self.assert_refused(self.client.get(reverse("admin:cohorts_cohort_changelist"), {"q": "a\x00"}))
        autocomplete = reverse("admin:autocomplete")
        params = {"app_label": "cohorts", "model_name": "enrollment", "field_name": "student", "term": "\x00"}
        self.assert_refused(self.client.get(autocomplete, params))

    def test_form_fields_and_their_names(self):
        self.assert_refused(self.client.post(reverse("login"), {"username": "office\x00", "password": "x"}))
        self.assert_refused(self.client.post(reverse("login"), {"user\x00name": "office", "password": "x"}))

    def test_api_answers_json_naming_the_parameter(self):
        self.client.force_login(self.office)
        response = self.assert_refused(self.client.get("/api/v1/students", {"q": "tr\x00an"}), JSON)
        body = response.json()
        self.assertEqual([error["field"] for error in body["errors"]], ["q"])
        self.assertIn("“q”", body["detail"])
        response = self.assert_refused(self.client.get("/api/v1/cohorts/%00/enrollments"), JSON)
        self.assertEqual(response.json()["errors"], [])
        self.assertTrue(response.json()["detail"])

    def test_requests_without_nul_pass(self):
        self.client.force_login(self.office)
        response = self.client.get("/students/", {"q": "ngoc diep"})
        self.assertEqual(len(response.context["page"]), 1)
        self.assertEqual(self.client.get("/cohorts/TC-01/").status_code, 200)
        self.assertEqual(self.client.get("/cohorts/TC-02/").status_code, 404)
