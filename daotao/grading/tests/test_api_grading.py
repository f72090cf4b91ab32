"""/api/v1/grading/: a class's results and a student's own, scoped per role."""

from decimal import Decimal as D

from daotao.accounts.models import ApiToken
from daotao.grading.models import Grade
from daotao.testing import TeachingWorldTestCase, enroll


class GradingApiTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        test, exam = cls.m1.assessments.order_by("order")
        for enrollment in cls.enrollments:
            Grade.objects.create(enrollment=enrollment, assessment=test, score=D("6"))
            Grade.objects.create(enrollment=enrollment, assessment=exam, score=D("9"))
        cls.url = f"/api/v1/grading/cohorts/{cls.cohort.pk}/results"

    def get(self, user, url=None):
        self.client.force_login(user)
        return self.client.get(url or self.url)

    def test_results_for_the_office(self):
        response = self.get(self.office)
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual((body["code"], len(body["students"])), ("TC01", 6))
        first = body["students"][0]
        self.assertEqual(first["modules"][0], {
            "module": "HP1", "periods": 60, "result": "8.1", "status": "passed", "retaken": False,
            "missed_periods": 0, "total_periods": 0,
        })  # fmt: skip
        self.assertFalse(first["complete"])

    def test_scope_per_role(self):
        self.assertEqual(self.get(self.lecturer_user).status_code, 200)
        self.assertEqual(self.get(self.coordinator).status_code, 200)
        self.assertEqual(self.get(self.other_coordinator).status_code, 404)
        self.assertEqual(
            self.get(self.lecturer_user, f"/api/v1/grading/cohorts/{self.other_cohort.pk}/results").status_code, 404
        )
        own = self.get(self.student_user).json()["students"]
        self.assertEqual([s["full_name"] for s in own], [self.enrollments[0].student.full_name])
        self.assertEqual(self.get(self.other_student_user).status_code, 404)
        self.assertEqual(self.get(self.nobody).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 401)

    def test_coordinator_of_the_students_locality_sees_their_students_only(self):
        [own] = enroll(self.cohort, 1, locality=self.h02)
        body = self.get(self.other_coordinator).json()
        self.assertEqual([s["full_name"] for s in body["students"]], [own.student.full_name])

    def test_lecturer_sees_the_whole_class_they_teach(self):
        body = self.get(self.other_lecturer_user).json()  # gv2 teaches m3 in this class
        self.assertEqual(len(body["students"]), 6)

    def test_a_lecturer_sees_her_modules_results_only_unless_homeroom(self):
        first = self.get(self.other_lecturer_user).json()["students"][0]  # gv2 teaches m3 only
        self.assertEqual([m["module"] for m in first["modules"]], ["HP3"])
        self.assertEqual(
            [first[key] for key in ("average", "classification", "downgraded", "complete", "problems")],
            [None, None, None, None, []],
        )
        self.cohort.homeroom_lecturer = self.other_lecturer
        self.cohort.save()
        first = self.get(self.other_lecturer_user).json()["students"][0]
        self.assertEqual([m["module"] for m in first["modules"]], ["HP1", "HP2", "HP3"])
        self.assertFalse(first["complete"])

    def test_queries_do_not_grow_with_the_class(self):
        self.get(self.office)
        with self.assertNumQueries(12):
            self.client.get(self.url)
        enroll(self.cohort, 20)
        with self.assertNumQueries(12):
            self.assertEqual(len(self.client.get(self.url).json()["students"]), 26)

    def test_bad_ids_answer_json(self):
        # An id that cannot be one is invalid (422, with the reason); a valid id of no class
        # the user may see is not found (404).
        for cohort_id, status, detail in (
            ("0", 422, "Tham số “cohort_id”: Phải lớn hơn hoặc bằng 1."),
            ("abc", 422, "Tham số “cohort_id”: Phải là số nguyên."),
            ("99999999999", 422, "Tham số “cohort_id”: Phải nhỏ hơn hoặc bằng 2147483647."),
            ("999999", 404, "Không có lớp 999999 mà bạn được xem."),
        ):
            url = f"/api/v1/grading/cohorts/{cohort_id}/results"
            with self.subTest(url=url):
                response = self.get(self.office, url)
                self.assertEqual(response.status_code, status)
                self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
                self.assertEqual(response.json()["detail"], detail)

    def test_me_for_a_student_with_a_token(self):
        _token, key = ApiToken.issue(self.student_user, "điện thoại")
        self.client.logout()
        response = self.client.get("/api/v1/grading/me", HTTP_AUTHORIZATION=f"Bearer {key}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual([c["code"] for c in response.json()], ["TC01"])
        self.assertEqual(self.get(self.office, "/api/v1/grading/me").status_code, 403)

    def test_staff_only_routes_stay_closed_to_students(self):
        self.assertEqual(self.get(self.student_user, "/api/v1/students?q=a").status_code, 403)
        self.assertEqual(self.get(self.lecturer_user, "/api/v1/students?q=a").status_code, 403)
