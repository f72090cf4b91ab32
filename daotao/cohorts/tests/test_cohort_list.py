"""The class list: scope, filters, counted students, Vietnamese formats, query count."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from daotao.accounts import roles
from daotao.cohorts.models import Enrollment
from daotao.org.models import UnitKind
from daotao.testing import WorldTestCase, enroll, make_cohort, make_student, make_unit, make_user

D = dt.date


class CohortListTests(WorldTestCase):
    url = reverse("cohorts:list")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.programs
        cls.tc_h01 = make_cohort("TC-H01-20", p["TC-LLCT-HC"], cls.h01, D(2020, 3, 2))
        cls.bd_x01 = make_cohort(
            "BD-X01-19", p["BD-CV"], cls.x01, D(2019, 9, 3), D(2019, 10, 30), mode="concentrated", funding="self_funded"
        )
        cls.tc_h02 = make_cohort("TC-H02-20", p["TC-LLCT-HC"], cls.h02, D(2020, 4, 6), funding="self_funded")
        cls.bd_sch = make_cohort(
            "BD-SCH-21", p["BD-LDP"], cls.school, D(2021, 5, 10), mode="concentrated", status="cancelled"
        )
        enroll(cls.tc_h01, 3)
        enroll(cls.tc_h01, 1, status="cancelled")  # not counted
        enroll(cls.tc_h01, 1, status="withdrawn")  # still counted
        enroll(cls.bd_x01, 2)

    def login(self, user):
        self.client.force_login(user)

    def codes(self, response):
        return [cohort.code for cohort in response.context["page"]]

    def test_lists_every_class_for_the_office_newest_first(self):
        self.login(self.office)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.codes(response), ["BD-SCH-21", "TC-H02-20", "TC-H01-20", "BD-X01-19"])
        counts = {cohort.code: cohort.student_count for cohort in response.context["page"]}
        self.assertEqual(counts, {"BD-SCH-21": 0, "TC-H02-20": 0, "TC-H01-20": 4, "BD-X01-19": 2})
        self.assertEqual(response.context["students"], 6)
        self.assertContains(response, "02/03/2020")
        self.assertContains(response, reverse("cohorts:detail", args=["TC-H01-20"]))
        self.assertContains(response, reverse("cohorts:import"))

    def test_a_cancelled_class_counts_no_students(self):
        enroll(self.bd_sch, 5)  # enrolled before the class was cancelled
        self.login(self.office)
        response = self.client.get(self.url)
        counts = {cohort.code: cohort.student_count for cohort in response.context["page"]}
        self.assertEqual(counts["BD-SCH-21"], 0)
        self.assertEqual(response.context["students"], 6)
        # The list says how many of its classes are cancelled: the overview and the reports
        # leave them out, and the figures can be told apart.
        classes = response.context["page"].paginator.count
        self.assertContains(response, f"{classes} lớp (trong đó 1 lớp đã hủy, không tính trong báo cáo)")
        response = self.client.get(self.url, {"status": "cancelled"})
        self.assertEqual(response.context["students"], 0)
        response = self.client.get(self.url, {"status": "open"})
        self.assertEqual(response.context["cancelled"], 0)
        self.assertNotContains(response, "đã hủy, không tính")

    def test_thousands_are_grouped_the_vietnamese_way(self):
        enroll(self.tc_h02, 1040)
        self.login(self.board)
        response = self.client.get(self.url, {"locality": "H02"})
        self.assertContains(response, '<td class="num">1.040</td>', html=True)

    def test_coordinator_sees_only_their_locality_and_below(self):
        self.login(self.coordinator)
        response = self.client.get(self.url)
        self.assertEqual(self.codes(response), ["TC-H01-20", "BD-X01-19"])
        localities = [code for code, _label in response.context["form"].fields["locality"].choices if code]
        self.assertEqual(sorted(localities), ["H01", "X0101"])
        self.assertNotContains(response, reverse("cohorts:import"))  # only the office imports
        self.login(self.other_coordinator)
        self.assertEqual(self.codes(self.client.get(self.url)), ["TC-H02-20"])

    def test_filters(self):
        self.login(self.office)
        cases = [
            ({"year": "2020"}, ["TC-H02-20", "TC-H01-20"]),
            ({"program": "BD-CV"}, ["BD-X01-19"]),
            ({"mode": "concentrated"}, ["BD-SCH-21", "BD-X01-19"]),
            ({"funding": "self_funded"}, ["TC-H02-20", "BD-X01-19"]),
            ({"locality": "H01"}, ["TC-H01-20", "BD-X01-19"]),  # the district and its communes
            ({"locality": "X0101"}, ["BD-X01-19"]),
            ({"status": "cancelled"}, ["BD-SCH-21"]),
            ({"year": "2020", "funding": "self_funded", "program": "TC-LLCT-HC"}, ["TC-H02-20"]),
        ]
        for params, expected in cases:
            with self.subTest(params=params):
                self.assertEqual(self.codes(self.client.get(self.url, params)), expected)

    def test_unknown_filter_values_are_ignored(self):
        self.login(self.coordinator)
        response = self.client.get(self.url, {"year": "abc", "locality": "H02", "mode": "x", "page": "zz"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.codes(response), ["TC-H01-20", "BD-X01-19"])  # H02 is not theirs to choose

    def test_pages_keep_the_filters(self):
        for index in range(52):
            make_cohort(f"BD-{index:02d}", self.programs["BD-CV"], self.h03, D(2018, 1, 1) + dt.timedelta(days=index))
        self.login(self.office)
        response = self.client.get(self.url, {"program": "BD-CV"})
        self.assertEqual(len(response.context["page"]), 50)
        self.assertContains(response, "?program=BD-CV&amp;page=2")
        response = self.client.get(self.url, {"program": "BD-CV", "page": 2})
        self.assertEqual(self.codes(response), ["BD-02", "BD-01", "BD-00"])  # BD-X01-19 (2019) came first

    def test_access(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('login')}?next={self.url}")
        for user in (self.nobody, self.unscoped):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_query_count_is_constant(self):
        self.login(self.office)
        self.client.get(self.url)
        # session, user, roles, years, programs, localities, students, cancelled, count, page
        with self.assertNumQueries(10):
            self.client.get(self.url, {"year": "2020", "locality": "H01"})
        for index in range(20):
            enroll(make_cohort(f"N-{index}", self.programs["BD-BTX"], self.h03, D(2020, 6, 1)), 3)
        with self.assertNumQueries(10):
            response = self.client.get(self.url)
        self.assertContains(response, _("Classes"))

    def test_classes_held_elsewhere_with_a_coordinators_students_count_only_those(self):
        # Two students from a commune of H01 in the class held by H02, one of them cancelled.
        enroll(self.tc_h02, 2, locality=self.x01)
        enroll(self.tc_h02, 1, status="cancelled", locality=self.x01)
        enroll(self.tc_h02, 5)
        self.login(self.coordinator)
        response = self.client.get(self.url)
        self.assertEqual(self.codes(response), ["TC-H02-20", "TC-H01-20", "BD-X01-19"])
        rows = {cohort.code: (cohort.student_count, cohort.whole) for cohort in response.context["page"]}
        self.assertEqual(rows, {"TC-H02-20": (2, False), "TC-H01-20": (4, True), "BD-X01-19": (2, True)})
        self.assertEqual(response.context["students"], 8)
        self.assertContains(response, "chỉ tính học viên của đơn vị đồng chí")
        # Filtering by host locality reaches the class held elsewhere too.
        response = self.client.get(self.url, {"locality": "H02"})
        self.assertEqual((self.codes(response), response.context["students"]), (["TC-H02-20"], 2))
        # The host's coordinator and the office count the whole class: 7 counted.
        for user in (self.other_coordinator, self.office):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url, {"locality": "H02"})
                rows = {cohort.code: (cohort.student_count, cohort.whole) for cohort in response.context["page"]}
                self.assertEqual(rows, {"TC-H02-20": (7, True)})
                self.assertNotContains(response, "chỉ tính học viên của đơn vị đồng chí")

    def test_an_agency_sees_the_classes_of_its_staff(self):
        agency = make_unit("SNV", "Sở Nội vụ", UnitKind.AGENCY, self.province)
        sent = make_student("Lò Thị Xuân", agency=agency)
        Enrollment.objects.create(cohort=self.bd_x01, student=sent)
        self.login(make_user("snv", roles.SENDING_AGENCY, agency))
        response = self.client.get(self.url)
        rows = {cohort.code: (cohort.student_count, cohort.whole) for cohort in response.context["page"]}
        self.assertEqual(rows, {"BD-X01-19": (1, False)})
        self.assertEqual(response.context["students"], 1)

    def test_query_count_for_a_coordinator_is_constant(self):
        enroll(self.tc_h02, 2, locality=self.x01)
        self.login(self.coordinator)
        self.client.get(self.url)
        # session, user, roles, unit, years, programs, localities, students, cancelled, count, page
        with self.assertNumQueries(11):
            self.client.get(self.url)
        for index in range(20):
            enroll(make_cohort(f"N-{index}", self.programs["BD-BTX"], self.h03, D(2020, 6, 1)), 3, locality=self.x01)
        with self.assertNumQueries(11):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["page"]), 23)
