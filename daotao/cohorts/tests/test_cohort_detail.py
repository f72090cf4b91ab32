"""One class: its data, counts by status, the class list in Vietnamese order; scope."""

import datetime as dt

from django.urls import reverse

from daotao.cohorts.models import Enrollment, EnrollmentStatus
from daotao.testing import WorldTestCase, enroll, load_testdata, make_cohort, make_student

D = dt.date


class CohortDetailTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.cohort = make_cohort("TC-K25/2020", cls.programs["TC-LLCT-HC"], cls.x01, D(2020, 3, 2), venue="Hội trường")
        cls.names = load_testdata("names-order.json")
        for name in cls.names["input"]:
            Enrollment.objects.create(cohort=cls.cohort, student=make_student(name, locality=cls.x01))
        cls.withdrawn = make_student("Vũ Thị Hạnh", date_of_birth=D(1979, 12, 31), gender="female")
        Enrollment.objects.create(cohort=cls.cohort, student=cls.withdrawn, status="withdrawn")
        Enrollment.objects.create(cohort=cls.cohort, student=make_student("Hồ Văn Hủy"), status="cancelled")
        cls.elsewhere = make_cohort("TC-H02", cls.programs["TC-LLCT-HC"], cls.h02, D(2020, 4, 6))
        cls.url = reverse("cohorts:detail", args=[cls.cohort.code])

    def login(self, user):
        self.client.force_login(user)

    def test_shows_the_class_and_its_list_in_vietnamese_order(self):
        self.login(self.office)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        shown = [e.student.full_name for e in response.context["enrollments"]]
        self.assertEqual(len(shown), len(self.names["input"]) + 2)
        self.assertEqual([name for name in shown if name in self.names["expected"]], self.names["expected"])
        self.assertLess(shown.index("Vũ Thị Hạnh"), shown.index("Hồ Văn Hủy"))  # Hạnh before Hủy
        self.assertContains(response, "Hội trường")
        self.assertContains(response, "02/03/2020")
        # The roles that can open this page need the personal data of a class list.
        self.assertContains(response, self.withdrawn.national_id)
        self.assertContains(response, "31/12/1979")

    def test_counts_by_status(self):
        self.login(self.board)
        response = self.client.get(self.url)
        studying = len(self.names["input"])
        expected = [
            (EnrollmentStatus.STUDYING.label, studying),
            (EnrollmentStatus.WITHDRAWN.label, 1),
            (EnrollmentStatus.CANCELLED.label, 1),
        ]
        self.assertEqual(response.context["status_counts"], expected)
        self.assertEqual(response.context["counted"], studying + 1)  # withdrawn counts, cancelled does not

    def test_a_cancelled_class_counts_no_students(self):
        cancelled = make_cohort("TC-HUY", self.programs["TC-LLCT-HC"], self.x01, D(2020, 5, 4), status="cancelled")
        enroll(cancelled, 3)
        enroll(cancelled, 1, status="cancelled")
        self.login(self.office)
        response = self.client.get(reverse("cohorts:detail", args=[cancelled.code]))
        self.assertEqual(response.context["counted"], 0)
        statuses = [(EnrollmentStatus.STUDYING.label, 3), (EnrollmentStatus.CANCELLED.label, 1)]
        self.assertEqual(response.context["status_counts"], statuses)  # still shown, by status

    def test_coordinator_sees_their_localitys_classes_only(self):
        self.login(self.coordinator)
        self.assertEqual(self.client.get(self.url).status_code, 200)  # held in a commune below H01
        self.assertEqual(self.client.get(reverse("cohorts:detail", args=["TC-H02"])).status_code, 404)
        self.login(self.other_coordinator)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_unknown_class(self):
        self.login(self.office)
        self.assertEqual(self.client.get(reverse("cohorts:detail", args=["NOPE"])).status_code, 404)

    def test_access(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('login')}?next={self.url}")
        self.login(self.nobody)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_query_count_is_constant(self):
        self.login(self.office)
        self.client.get(self.url)
        # session, user, roles, class, counts by status, class list
        with self.assertNumQueries(6):
            self.client.get(self.url)
        enroll(self.cohort, 40, locality=self.h03)
        with self.assertNumQueries(6):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["enrollments"]), len(self.names["input"]) + 42)
