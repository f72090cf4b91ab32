"""GET /api/v1/cohorts/{code}/enrollments: a class list, in Vietnamese name order."""

import datetime as dt

from daotao.api.tests.base import ApiTestCase
from daotao.cohorts.models import Enrollment
from daotao.testing import enroll, load_testdata, make_cohort, make_student

D = dt.date.fromisoformat


def url(code: str) -> str:
    return f"/api/v1/cohorts/{code}/enrollments"


class EnrollmentsTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        tc = cls.programs["TC-LLCT-HC"]
        cls.local = make_cohort("TC01-2020", tc, cls.h01, D("2020-03-01"), D("2021-06-30"))
        for name in load_testdata("names-order.json")["input"]:
            Enrollment.objects.create(cohort=cls.local, student=make_student(name, locality=cls.x01))
        cls.diep = make_student("Trần Thị Ngọc Diệp", locality=cls.h02, gender="female", date_of_birth=D("1988-02-29"))
        Enrollment.objects.create(cohort=cls.local, student=cls.diep, status="withdrawn")
        cls.elsewhere = make_cohort("TC02-2020", tc, cls.h02, D("2020-04-01"))
        enroll(cls.elsewhere, 3, locality=cls.h01)
        enroll(cls.elsewhere, 2)  # from H02, where the class is held
        cls.far = make_cohort("TC03-2020", tc, cls.h03, D("2020-05-04"))
        enroll(cls.far, 2)

    def test_class_list_in_vietnamese_name_order(self):
        body = self.get_json(url("TC01-2020"), user=self.office)
        expected = load_testdata("names-order.json")["expected"]
        names = [item["full_name"] for item in body["items"]]
        self.assertEqual([name for name in names if name != "Trần Thị Ngọc Diệp"], expected)
        self.assertEqual(len(names), len(expected) + 1)

    def test_each_student_and_the_class(self):
        body = self.get_json(url("TC01-2020"), user=self.office)
        self.assertEqual(
            body["cohort"],
            {
                "code": "TC01-2020",
                "name": "Lớp TC01-2020",
                "program": "TC-LLCT-HC",
                "host_locality": {"code": "H01", "name": "Thành phố Bình An"},
                "opening_date": "2020-03-01",
                "closing_date": "2021-06-30",
            },
        )
        [diep] = [item for item in body["items"] if item["full_name"] == "Trần Thị Ngọc Diệp"]
        self.assertEqual(
            diep,
            {
                "national_id": self.diep.national_id,
                "full_name": "Trần Thị Ngọc Diệp",
                "date_of_birth": "1988-02-29",
                "year_of_birth": 1988,
                "gender": "female",
                "locality": {"code": "H02", "name": "Thị xã Phú Mỹ"},
                "personal_data_masked": False,
                "status": "withdrawn",
            },
        )

    def test_coordinator_sees_classes_held_in_their_locality(self):
        body = self.get_json(url("TC01-2020"), user=self.coordinator)
        # The whole class, including the student who comes from another locality.
        self.assertEqual(len(body["items"]), 41)

    def test_another_localitys_class_lists_only_the_coordinators_own_students(self):
        # TC02-2020 is held in H02: the coordinator of H01 sees their 3 students in it, not
        # the 2 from H02; the coordinator of H02 sees the whole class.
        body = self.get_json(url("TC02-2020"), user=self.coordinator)
        self.assertEqual([item["locality"]["code"] for item in body["items"]], ["H01"] * 3)
        self.assertEqual(body["cohort"]["code"], "TC02-2020")
        self.assertEqual(len(self.get_json(url("TC02-2020"), user=self.other_coordinator)["items"]), 5)

    def test_class_outside_the_scope_is_not_found_like_an_unknown_one(self):
        # TC03-2020 is held in H03 and has no student from H01.
        outside = self.get_json(url("TC03-2020"), user=self.coordinator, status=404)
        unknown = self.get_json(url("NOPE"), user=self.coordinator, status=404)
        self.assertIn("TC03-2020", outside["detail"])
        self.assertEqual(unknown["errors"], [])

    def test_a_class_code_with_a_slash(self):
        cohort = make_cohort("TC-01/2020", self.programs["TC-LLCT-HC"], self.h01, D("2020-03-01"))
        enroll(cohort, 2)
        body = self.get_json(url("TC-01/2020"), user=self.office)
        self.assertEqual((body["cohort"]["code"], len(body["items"])), ("TC-01/2020", 2))
        self.assertEqual(len(self.get_json(url("TC-01%2F2020"), user=self.coordinator)["items"]), 2)
        self.get_json(url("TC-01/2021"), user=self.office, status=404)
        self.get_json(url("TC-01/2020/extra"), user=self.office, status=404)

    def test_token_auth(self):
        key = self.key_for(self.other_coordinator)
        self.client.logout()
        self.assertEqual(self.get_json(url("TC02-2020"), key=key)["cohort"]["code"], "TC02-2020")
        # Held in H01: only the one student from H02 in it.
        names = [item["full_name"] for item in self.get_json(url("TC01-2020"), key=key)["items"]]
        self.assertEqual(names, ["Trần Thị Ngọc Diệp"])
        self.get_json(url("TC03-2020"), key=key, status=404)

    def test_malformed_code(self):
        self.assert_bad_input(self.get(url("A" * 33), user=self.office), 422, "code")
        # Refused before the API by web.middleware.RefuseNulMiddleware, in the API's shape.
        self.assertEqual(self.get_json(url("A%00B"), user=self.office, status=400)["errors"], [])

    def test_query_count_does_not_grow_with_the_class(self):
        self.client.force_login(self.coordinator)
        self.client.get(url("TC01-2020"))
        # session, user, roles, unit (the scope); the class; its enrollments with students
        with self.assertNumQueries(6):
            self.client.get(url("TC01-2020"))
        enroll(self.local, 25)
        with self.assertNumQueries(6):
            self.assertEqual(len(self.client.get(url("TC01-2020")).json()["items"]), 66)
