"""GET /api/v1/reports/annual: the yearly report as the page and exports build it."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from daotao.api.tests.base import ApiTestCase, dumps
from daotao.planning.models import AnnualPlan, Quota
from daotao.reports.annual import annual_report
from daotao.reports.models import ReportLine, ReportTemplate
from daotao.testing import enroll, make_cohort

D = dt.date.fromisoformat
URL = "/api/v1/reports/annual"


class AnnualReportTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        tc = cls.programs["TC-LLCT-HC"]
        enroll(make_cohort("A", tc, cls.h01, D("2020-03-01")), 40)
        enroll(make_cohort("B", tc, cls.h02, D("2020-04-01"), funding="self_funded"), 35)
        enroll(make_cohort("C", tc, cls.h02, D("2019-09-01"), D("2020-08-31")), 30)
        enroll(make_cohort("D", cls.programs["BD-CV"], cls.school, D("2020-05-04"), D("2020-06-04")), 60)
        plan = AnnualPlan.objects.create(year=2020)
        Quota.objects.create(plan=plan, program=tc, locality=cls.h01, funding="supported", classes=1, students=50)
        Quota.objects.create(plan=plan, program=tc, locality=cls.h02, funding="self_funded", classes=1, students=30)
        template = ReportTemplate.objects.create(code="by-locality", name="By locality", title="H01 in {year}")
        ReportLine.objects.create(
            template=template, key="h01", label="H01 {year}", relation="active", locality=cls.h01, show_students=False
        )

    def test_the_builtin_report_as_the_report_module_builds_it(self):
        body = self.get_json(URL, {"year": 2020}, user=self.office)
        self.assertEqual(body, dumps(annual_report(2020, self.office).as_dict()))
        self.assertEqual(body["template"], "coordination-yearly")
        self.assertEqual(body["period"], {"from": "2020-01-01", "to": "2020-12-31", "name": "năm 2020"})
        tc_opened = next(line for line in body["lines"] if line["key"] == "tc_opened")
        self.assertEqual((tc_opened["classes"], tc_opened["students"], tc_opened["classes_text"]), (2, 75, "02"))
        self.assertEqual(
            [(row["locality"], row["funding"], row["enrolled_students"], row["met"]) for row in body["quota"]],
            [("H01", "supported", 40, False), ("H02", "self_funded", 35, True)],
        )
        totals = [(row["locality"], row["met"]) for row in body["quota_totals"]]
        self.assertEqual(totals, [("H01", False), ("H02", True)])
        self.assertIn("2020", body["summary"])

    def test_another_template(self):
        body = self.get_json(URL, {"year": 2020, "template": "by-locality"}, user=self.office)
        self.assertEqual(body["title"], "H01 in 2020")
        [line] = body["lines"]
        self.assertEqual(line["filter"]["locality"], "H01")
        self.assertEqual((line["classes"], line["students"], line["students_text"]), (1, None, None))

    def test_coordinator_report_counts_only_their_locality(self):
        body = self.get_json(URL, {"year": 2020}, user=self.coordinator)
        self.assertEqual(body, dumps(annual_report(2020, self.coordinator).as_dict()))
        tc_active = next(line for line in body["lines"] if line["key"] == "tc_active")
        self.assertEqual((tc_active["classes"], tc_active["students"]), (1, 40))
        self.assertEqual([row["locality"] for row in body["quota"]], ["H01"])

    def test_token_auth(self):
        key = self.key_for(self.board)
        self.assertEqual(self.get_json(URL, {"year": 2019}, key=key)["year"], 2019)

    def test_bad_input_names_the_parameter(self):
        cases = [
            ({}, 422, "year", None),
            ({"year": "twenty"}, 422, "year", None),
            ({"year": "2020.5"}, 422, "year", None),
            # The API took 1900-2100, the page and the command 1950-2100 (lib.dates.MIN_YEAR).
            ({"year": "1949"}, 422, "year", None),
            ({"year": "2101"}, 422, "year", None),
            ({"year": "9" * 40}, 422, "year", None),
            ({"year": "-5"}, 422, "year", None),
            ({"year": 2020, "template": "nope"}, 400, "template", "Không có mẫu báo cáo “nope”."),
            ({"year": 2020, "template": ""}, 422, "template", None),
            ({"year": 2020, "template": "x" * 65}, 422, "template", None),
            ({"year": 2020, "template": "a\x00b"}, 400, "template", None),  # web.middleware.RefuseNulMiddleware
        ]
        for params, status, field, vietnamese in cases:
            with self.subTest(params=params):
                self.assert_bad_input(self.get(URL, params, user=self.office), status, field, vietnamese)

    def test_a_stored_template_that_cannot_be_filled_is_a_400(self):
        ReportTemplate.objects.create(code="hong", name="Hỏng", title="Năm {year}", summary="{quota:d}")
        body = self.assert_bad_input(
            self.get(URL, {"year": 2020, "template": "hong"}, user=self.office), 400, "template"
        )
        self.assertIn("“hong”", body["detail"])

    def test_query_count_does_not_grow_with_data(self):
        self.client.force_login(self.office)
        self.client.get(URL, {"year": 2020})
        with CaptureQueriesContext(connection) as before:
            self.client.get(URL, {"year": 2020})
        for index in range(5):
            enroll(make_cohort(f"MORE{index}", self.programs["TC-LLCT-HC"], self.h03, D("2020-09-01")), 10)
        with CaptureQueriesContext(connection) as after:
            body = self.client.get(URL, {"year": 2020}).json()
        self.assertEqual(len(after), len(before))
        tc_opened = next(line for line in body["lines"] if line["key"] == "tc_opened")
        self.assertEqual(tc_opened["classes"], 7)
