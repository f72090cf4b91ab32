"""GET /api/v1/students: accent-insensitive search, scoped, in Vietnamese name order."""

import datetime as dt

from daotao.api.tests.base import ApiTestCase
from daotao.cohorts.models import Enrollment
from daotao.testing import load_testdata, make_cohort, make_student

URL = "/api/v1/students"


class StudentSearchTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for name in load_testdata("names-order.json")["input"]:
            make_student(name, locality=cls.h01)
        cls.diep = make_student("Trần Thị Ngọc Diệp", locality=cls.h02, gender="female")
        # From H03, but studying in a class held in H01: the H01 coordinator sees her too.
        guest = make_student("Lò Thị Mai", locality=cls.h03, gender="female")
        cohort = make_cohort("TC01", cls.programs["TC-LLCT-HC"], cls.h01, dt.date(2020, 3, 1))
        Enrollment.objects.create(cohort=cohort, student=guest)

    def search(self, user=None, status=200, **params):
        return self.get_json(URL, params, user=user or self.office, status=status)

    def test_search_ignores_case_and_diacritics(self):
        for query in ("tran thi ngoc diep", "TRẦN THỊ NGỌC DIỆP", "Ngoc Diep", "diệp"):
            with self.subTest(query=query):
                body = self.search(q=query)
                self.assertEqual(body["total"], 1)
                self.assertEqual(body["items"][0]["full_name"], "Trần Thị Ngọc Diệp")
                self.assertEqual(body["items"][0]["locality"], {"code": "H02", "name": "Thị xã Phú Mỹ"})

    def test_a_name_lists_the_best_matches_first(self):
        for name in ("Trần Văn Hải Yến", "Trần Bá Văn Hải", "Trần Văn Hải", "Phạm Văn Thái"):
            make_student(name, locality=self.h03)
        body = self.search(q="tran van hai")
        names = [item["full_name"] for item in body["items"]]
        self.assertEqual(names, ["Trần Văn Hải", "Trần Bá Văn Hải", "Trần Văn Hải Yến"])
        self.assertEqual(self.search(q="hai")["total"], 3)  # not Thái

    def test_national_id_prefix(self):
        body = self.search(q=self.diep.national_id[:9])
        self.assertIn(self.diep.national_id, [item["national_id"] for item in body["items"]])

    def test_vietnamese_name_order_with_total(self):
        expected = load_testdata("names-order.json")["expected"]
        body = self.search(user=self.coordinator, limit=200)
        self.assertEqual(body["total"], len(expected) + 1)
        names = [item["full_name"] for item in body["items"]]
        self.assertEqual([name for name in names if name != "Lò Thị Mai"], expected)

    def test_pages(self):
        expected = load_testdata("names-order.json")["expected"]
        first = self.search(user=self.coordinator, q="", limit=15)
        second = self.search(user=self.coordinator, limit=15, offset=15)
        everyone = [item["full_name"] for item in first["items"] + second["items"]]
        self.assertEqual((first["limit"], first["offset"], second["offset"]), (15, 0, 15))
        self.assertEqual([name for name in everyone if name != "Lò Thị Mai"], expected[: len(everyone) - 1])
        beyond = self.search(offset=10**30)
        self.assertEqual((beyond["items"], beyond["total"], beyond["offset"]), ([], 42, 10**30))

    def test_limit_is_capped(self):
        for index in range(200):
            make_student(f"Phạm Văn Số {index}", locality=self.h03)
        body = self.search(limit=100000)
        self.assertEqual((body["limit"], len(body["items"]), body["total"]), (200, 200, 242))
        self.assertEqual(self.search(limit=10**40)["limit"], 200)

    def test_coordinator_finds_only_their_students(self):
        self.assertEqual(self.search(user=self.coordinator, q="diep")["total"], 0)
        self.assertEqual(self.search(user=self.other_coordinator, q="diep")["total"], 1)
        # Students of their locality, and those studying in a class held there.
        self.assertEqual(self.search(user=self.coordinator, q="mai")["items"][0]["full_name"], "Lò Thị Mai")
        self.assertEqual(self.search(user=self.other_coordinator)["total"], 1)

    def test_bad_input_names_the_parameter(self):
        cases = [
            ({"limit": "0"}, "limit"),
            ({"limit": "-1"}, "limit"),
            ({"limit": "ten"}, "limit"),
            ({"limit": ""}, "limit"),
            ({"offset": "-1"}, "offset"),
            ({"offset": "1e3"}, "offset"),
            ({"q": "a" * 101}, "q"),
        ]
        for params, field in cases:
            with self.subTest(params=params):
                self.assert_bad_input(self.get(URL, params, user=self.office), 422, field)
        # Refused before the API by web.middleware.RefuseNulMiddleware.
        self.assert_bad_input(self.get(URL, {"q": "tr\x00an"}, user=self.office), 400, "q")

    def test_query_count_does_not_grow_with_data(self):
        self.client.force_login(self.coordinator)
        self.client.get(URL)
        # session, user, roles, unit (the scope); count; page with localities
        with self.assertNumQueries(6):
            before = len(self.client.get(URL, {"q": "thi", "limit": 100}).json()["items"])
        for index in range(30):
            make_student(f"Nguyễn Thị Số {index}", locality=self.x01)
        with self.assertNumQueries(6):
            self.assertEqual(len(self.client.get(URL, {"q": "thi", "limit": 100}).json()["items"]), before + 30)
