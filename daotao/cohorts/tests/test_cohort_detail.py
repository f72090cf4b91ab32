"""One class: its data, counts by status, the class list in Vietnamese order; scope."""

import datetime as dt

from django.urls import reverse

from daotao.accounts import roles
from daotao.cohorts.models import Enrollment, EnrollmentStatus
from daotao.org.models import UnitKind
from daotao.testing import WorldTestCase, enroll, load_testdata, make_cohort, make_student, make_unit, make_user

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
        # The class hub (dashboards/cohort_hub.py): the session, user and roles; the class,
        # counts by status, the class list, its officers; the committee, lessons and their
        # counts, field trips, essays; the modules; decisions, credentials, evaluation
        # rounds, results packs sent. The same with 40 more students.
        with self.assertNumQueries(18) as first:
            self.client.get(self.url)
        enroll(self.cohort, 40, locality=self.h03)
        with self.assertNumQueries(len(first.captured_queries)):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["enrollments"]), len(self.names["input"]) + 42)

    def test_a_class_held_elsewhere_shows_a_coordinator_and_an_agency_only_their_own(self):
        # Held in H03; one student from a commune of H01, one sent by Sở Nội vụ, two of H03.
        agency = make_unit("SNV", "Sở Nội vụ", UnitKind.AGENCY, self.province)
        agency_user = make_user("snv", roles.SENDING_AGENCY, agency)
        held = make_cohort("TC-H03", self.programs["TC-LLCT-HC"], self.h03, D(2021, 3, 1))
        ours = make_student("Đặng Văn Mười", locality=self.x01)
        Enrollment.objects.create(cohort=held, student=ours, status="withdrawn")
        sent = make_student("Lò Thị Xuân", agency=agency)
        Enrollment.objects.create(cohort=held, student=sent)
        theirs = [e.student for e in enroll(held, 2)]
        url = reverse("cohorts:detail", args=[held.code])
        for user, own in ((self.coordinator, ours), (agency_user, sent)):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual([e.student for e in response.context["enrollments"]], [own])
                self.assertContains(response, own.national_id)
                for student in theirs:
                    self.assertNotContains(response, student.national_id)
                    self.assertNotContains(response, student.full_name)
                self.assertContains(response, "chỉ hiển thị học viên của đơn vị đồng chí")
                status = Enrollment.objects.get(student=own).get_status_display()
                self.assertEqual(response.context["status_counts"], [(status, 1)])
                self.assertEqual(response.context["counted"], 1)
        # The coordinator of H02 has nobody there; the coordinator of H03 sees everyone.
        self.login(self.other_coordinator)
        self.assertEqual(self.client.get(url).status_code, 404)
        host = make_user("coord3", roles.LOCALITY_COORDINATOR, self.h03)
        self.login(host)
        response = self.client.get(url)
        self.assertEqual(len(response.context["enrollments"]), 4)
        self.assertNotContains(response, "chỉ hiển thị học viên của đơn vị đồng chí")
