"""GET /api/v1/reports/cohort-stats: the engine's count over the caller's classes."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from daotao.api.tests.base import ApiTestCase
from daotao.reports.engine import CohortFilter, CountSpec, Period, count
from daotao.testing import enroll, make_cohort

D = dt.date.fromisoformat
URL = "/api/v1/reports/cohort-stats"
YEAR_2020 = {"from": "2020-01-01", "to": "2020-12-31"}


class CohortStatsTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        tc, cv, cvc = cls.programs["TC-LLCT-HC"], cls.programs["BD-CV"], cls.programs["BD-CVC"]
        enroll(make_cohort("A", tc, cls.h01, D("2020-03-01")), 10)
        b = make_cohort("B", tc, cls.x01, D("2019-09-01"), D("2020-06-30"), funding="self_funded")
        enroll(b, 8)
        enroll(b, 2, "cancelled")
        enroll(make_cohort("C", tc, cls.h02, D("2020-05-01"), D("2020-11-30")), 5)
        enroll(make_cohort("D", cv, cls.school, D("2020-04-01"), D("2020-04-30"), mode="concentrated"), 20)
        enroll(make_cohort("E", cvc, cls.h02, D("2020-06-01"), D("2020-07-01"), funding="self_funded"), 7)
        enroll(make_cohort("F", tc, cls.h01, D("2020-02-01"), status="cancelled"), 30)
        enroll(make_cohort("G", tc, cls.h03, D("2018-01-01"), D("2019-12-31")), 9)

    def stats(self, user=None, status=200, **params):
        return self.get_json(URL, {**YEAR_2020, **params}, user=user or self.office, status=status)

    def test_each_relation_for_the_whole_school(self):
        expected = {
            "opened": {"classes": 4, "students": 42},
            "carried_over": {"classes": 1, "students": 8},
            "active": {"classes": 5, "students": 50},
            "closed": {"classes": 4, "students": 40},
        }
        for relation, figures in expected.items():
            with self.subTest(relation=relation):
                self.assertEqual(self.stats(relation=relation), figures)

    def test_same_numbers_as_the_engine(self):
        filters = [
            {},
            {"program": ["BD-CV", "BD-CVC"]},
            {"mode": "non_concentrated", "funding": "supported"},
            {"category": "civil_service_grade"},
            {"locality": "H01"},
        ]
        for relation in ("opened", "carried_over", "active", "closed"):
            for params in filters:
                with self.subTest(relation=relation, params=params):
                    spec = CountSpec(
                        Period(D("2020-01-01"), D("2020-12-31")),
                        relation,
                        CohortFilter(
                            programs=tuple(params.get("program", ())),
                            category=params.get("category", ""),
                            mode=params.get("mode", ""),
                            funding=params.get("funding", ""),
                            locality=params.get("locality", ""),
                        ),
                    )
                    self.assertEqual(self.stats(relation=relation, **params), count(spec, self.office).as_dict())

    def test_program_may_be_repeated(self):
        self.assertEqual(self.stats(relation="opened", program=["BD-CV"]), {"classes": 1, "students": 20})
        self.assertEqual(self.stats(relation="opened", program=["BD-CV", "BD-CVC"]), {"classes": 2, "students": 27})
        # The query string as a client writes it.
        response = self.get(f"{URL}?from=2020-01-01&to=2020-12-31&relation=opened&program=BD-CV&program=BD-CVC")
        self.assertEqual(response.json(), {"classes": 2, "students": 27})
        # Also as the command takes them: commas, any case, repeats ignored.
        self.assertEqual(
            self.stats(relation="opened", program=["bd-cv, BD-CVC", "BD-CV"]), {"classes": 2, "students": 27}
        )

    def test_five_codes_in_one_comma_list(self):
        # Split before each code's length (32) is checked: the list is longer than one code.
        five = "TC-LLCT-HC,BD-CV,BD-CVC,BD-LDP,BD-BTX"
        self.assertGreater(len(five), 32)
        self.assertEqual(self.stats(relation="opened", program=five), {"classes": 4, "students": 42})
        response = self.get(f"{URL}?from=2020-01-01&to=2020-12-31&relation=opened&program={five}")
        self.assertEqual(response.json(), {"classes": 4, "students": 42})
        # The number of codes is checked after the split too: 21 codes are too many.
        self.stats(relation="opened", program=",".join(f"P{n}" for n in range(21)), status=422)

    def test_kind_of_program(self):
        self.assertEqual(self.stats(relation="opened", kind="training"), {"classes": 2, "students": 15})
        self.assertEqual(self.stats(relation="opened", kind="fostering"), {"classes": 2, "students": 27})
        self.assertEqual(
            self.stats(relation="opened", kind="fostering", program="BD-CV"), {"classes": 1, "students": 20}
        )
        refused = self.stats(relation="opened", kind="diploma", status=422)
        self.assertIn("kind", str(refused))

    def test_filters(self):
        self.assertEqual(
            self.stats(relation="opened", mode="non_concentrated", funding="supported"), {"classes": 2, "students": 15}
        )
        self.assertEqual(self.stats(relation="opened", category="civil_service_grade"), {"classes": 2, "students": 27})
        # A locality counts the classes held in it and in every unit below it.
        self.assertEqual(self.stats(relation="active", locality="H01"), {"classes": 2, "students": 18})
        self.assertEqual(self.stats(relation="active", locality="h02"), {"classes": 2, "students": 12})

    def test_vietnamese_dates_are_accepted(self):
        iso = self.stats(relation="active")
        self.assertEqual(self.stats(relation="active", **{"from": "01/01/2020", "to": "31/12/2020"}), iso)
        self.assertEqual(self.stats(relation="active", **{"from": "1/1/2020", "to": "31/12/2020"}), iso)

    def test_coordinator_counts_only_their_locality_and_below(self):
        expected = {
            "opened": {"classes": 1, "students": 10},
            "carried_over": {"classes": 1, "students": 8},
            "active": {"classes": 2, "students": 18},
            "closed": {"classes": 1, "students": 8},
        }
        for relation, figures in expected.items():
            with self.subTest(relation=relation):
                self.assertEqual(self.stats(self.coordinator, relation=relation), figures)
        # Asking for another locality does not widen the scope.
        self.assertEqual(self.stats(self.coordinator, relation="active", locality="H02"), {"classes": 0, "students": 0})
        self.assertEqual(self.stats(self.other_coordinator, relation="active"), {"classes": 2, "students": 12})

    def test_token_user_gets_their_own_scope(self):
        key = self.key_for(self.coordinator)
        self.client.logout()
        self.assertEqual(
            self.get_json(URL, {**YEAR_2020, "relation": "active"}, key=key), {"classes": 2, "students": 18}
        )

    def test_bad_input_names_the_parameter(self):
        valid = {**YEAR_2020, "relation": "opened"}
        cases = [
            ({"from": None}, 422, "from", None),
            ({"relation": None}, 422, "relation", None),
            ({"from": "2020-13-01"}, 422, "from", None),
            ({"from": "yesterday"}, 422, "from", None),
            ({"from": "2020-01-01T00:00"}, 422, "from", None),
            ({"to": "31/02/2020"}, 400, "to", None),
            ({"to": "2019-12-31"}, 400, "to", "Ngày cuối kỳ không được trước ngày đầu kỳ."),
            ({"relation": "sometimes"}, 422, "relation", None),
            ({"relation": ""}, 422, "relation", None),
            ({"program": ["NOPE"]}, 400, "program", "Không có mã chương trình: NOPE."),
            ({"program": [""]}, 422, "program", None),
            ({"program": ["X" * 33]}, 422, "program", None),
            ({"program": [f"P{i}" for i in range(21)]}, 422, "program", None),
            ({"locality": "ZZZ"}, 400, "locality", "Không có mã địa phương: ZZZ."),
            ({"locality": "H0\x001"}, 400, "locality", None),  # web.middleware.RefuseNulMiddleware
            ({"mode": "online"}, 422, "mode", None),
            ({"funding": "free"}, 422, "funding", None),
            ({"category": "misc"}, 422, "category", None),
        ]
        for change, status, field, vietnamese in cases:
            params = {key: value for key, value in {**valid, **change}.items() if value is not None}
            with self.subTest(change=change):
                self.assert_bad_input(self.get(URL, params, user=self.office), status, field, vietnamese)

    def test_every_malformed_parameter_is_listed(self):
        response = self.get(URL, {"to": "x", "relation": "x", "mode": "x"}, user=self.office)
        body = self.assert_bad_input(response, 422, "from")
        self.assertEqual([error["field"] for error in body["errors"]], ["from", "to", "relation", "mode"])
        for field in ("from", "to", "relation", "mode"):
            self.assertIn(f"“{field}”", body["detail"])

    def test_query_count_does_not_grow_with_data(self):
        params = {**YEAR_2020, "relation": "active", "program": ["TC-LLCT-HC"], "locality": "H01"}
        self.client.force_login(self.coordinator)
        self.client.get(URL, params)
        # session, user, roles, unit (the scope); program codes, locality path, the count
        with self.assertNumQueries(7):
            self.client.get(URL, params)
        for index in range(5):
            enroll(make_cohort(f"MORE{index}", self.programs["TC-LLCT-HC"], self.x01, D("2020-08-01")), 12)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(URL, params).json(), {"classes": 7, "students": 78})
        self.assertEqual(len(queries), 7)
