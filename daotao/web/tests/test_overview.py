"""The home of a coordinator or an agency (``/staff/``) counts as the class list, the
student list and the yearly report count: one rule (``daotao.cohorts.access``) for every
persona. (The board's and the office's home is the year at a glance: its figures are checked
against their pages in ``daotao/dashboards/tests``.)

Before, the overview counted only the classes held in a coordinator's locality (none for an
agency) while the class list and the class's page also showed the classes held elsewhere
where their students study: the demo's agency saw 0 classes on the overview and 42 on the
list, the coordinator of Thành phố Bình An 5 and 47."""

import datetime as dt

from django.urls import reverse

from daotao.accounts.models import User
from daotao.cohorts.access import cohorts_reached, with_students_seen
from daotao.cohorts.models import Enrollment, EnrollmentStatus
from daotao.demo import teaching_data as td
from daotao.org.models import UnitKind
from daotao.reports.engine import CohortFilter, Counts, CountSpec, Period, count
from daotao.teaching.models import TeachingAssignment
from daotao.testing import DemoTestCase, WorldTestCase, enroll, make_cohort, make_student, make_unit, make_user

HOME = reverse("home")
CLASSES = reverse("cohorts:list")
STUDENTS = reverse("people:students")

# The demo's staff personas: (what they are, username).
STAFF = [
    ("training office", "daotao"),
    ("school board", "bgh"),
    ("coordinator of a district", "diaphuong.h01"),
    ("coordinator of another district", "diaphuong.h04"),
    ("coordinator of a commune", "diaphuong.x01"),
    ("sending agency", "coquan.snv"),
]
# Those whose home shows the class list's figures.
UNIT_STAFF = STAFF[2:]


class OverviewMatchesTheListsTests(DemoTestCase):
    """On the demo, per persona: the overview's figures are the lists' figures."""

    def get(self, address, **query):
        response = self.client.get(address, query)
        self.assertEqual(response.status_code, 200, address)
        return response

    def listed(self, **query) -> tuple[int, int]:
        """(classes, students) of the class list with ``query``'s filters."""
        response = self.get(CLASSES, **query)
        return response.context["page"].paginator.count, response.context["students"]

    def test_staff_see_the_same_figures_on_the_overview_and_the_lists(self):
        for persona, username in UNIT_STAFF:
            with self.subTest(persona):
                user = User.objects.get(username=username)
                self.client.force_login(user)
                overview = self.get(HOME).context
                classes, students = self.listed()
                cancelled, _none = self.listed(status="cancelled")
                self.assertGreater(overview["cohorts"], 0)
                self.assertEqual(overview["cohorts"], classes - cancelled)
                self.assertEqual(overview["open_cohorts"], self.listed(status="open")[0])
                self.assertEqual(overview["enrollments"], students)
                self.assertEqual(overview["students"], self.get(STUDENTS).context["page"].paginator.count)
                waiting = (
                    self.get(reverse("admissions:list"), year=overview["plan_year"], decision="pending")
                    .context["page"]
                    .paginator.count
                )
                self.assertEqual(overview["waiting_count"], waiting)
                recent = [cohort.code for cohort in overview["recent"]]
                on_list = [cohort.code for cohort in self.get(CLASSES).context["page"] if cohort.status != "cancelled"]
                self.assertEqual(recent, on_list[: len(recent)])

    def test_the_yearly_report_counts_what_the_list_shows(self):
        """Each year's classes opened, in the report's engine, are the list's of that year."""
        for persona, username in STAFF:
            user = User.objects.get(username=username)
            self.client.force_login(user)
            years = [year for year, _label in self.get(CLASSES).context["form"].fields["year"].choices if year]
            self.assertTrue(years, persona)
            for year in years:
                with self.subTest(persona, year=year):
                    classes, students = self.listed(year=year)
                    cancelled, _none = self.listed(year=year, status="cancelled")
                    reported = count(CountSpec(Period.year(year), "opened", CohortFilter()), user)
                    self.assertEqual(reported, Counts(classes - cancelled, students))

    def test_a_lecturer_and_a_student_have_their_own_pages_and_their_own_classes(self):
        lecturer = User.objects.get(username=td.LECTURER_USERNAME)
        student = User.objects.get(username=td.STUDENT_USERNAME)
        for user, home in ((lecturer, "dashboards/lecturer_home.html"), (student, "dashboards/student_home.html")):
            with self.subTest(user.username):
                self.client.force_login(user)
                self.assertTemplateUsed(self.get(HOME), home)
                self.assertEqual(self.client.get(CLASSES).status_code, 403)
        # The lecturer reaches the classes she teaches, each with every student.
        taught = TeachingAssignment.objects.filter(lecturer=lecturer.lecturer).values_list("cohort", flat=True)
        reached = with_students_seen(lecturer, cohorts_reached(lecturer))
        self.assertEqual({cohort.pk for cohort in reached}, set(taught))
        for cohort in reached:
            self.assertTrue(cohort.whole)
            self.assertEqual(cohort.student_count, Enrollment.objects.filter(cohort=cohort).counted().count())
        # The student reaches their own classes, with only themself in them.
        own = Enrollment.objects.filter(student=student.student).values_list("cohort", flat=True)
        reached = with_students_seen(student, cohorts_reached(student))
        self.assertEqual({cohort.pk for cohort in reached}, set(own))
        self.assertEqual({(cohort.whole, cohort.student_count) for cohort in reached}, {(False, 1)})

    def test_the_editor_has_the_portal_for_home_and_no_classes(self):
        self.client.force_login(User.objects.get(username="bientap"))
        self.assertTemplateUsed(self.get(HOME), "dashboards/editor_home.html")
        self.assertEqual(self.client.get(CLASSES).status_code, 403)


class ClassesHeldElsewhereTests(WorldTestCase):
    """Where the overview and the class list disagreed: a coordinator's or agency's students
    in a class held by another locality. The class list's rule, the one docs/security.md
    states, wins: the class counts, with only their students."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        tc = cls.programs["TC-LLCT-HC"]
        cls.agency = make_unit("SNV", "Sở Nội vụ", UnitKind.AGENCY, cls.province)
        cls.agency_user = make_user("snv", "sending_agency", cls.agency)
        cls.own = make_cohort("TC-H01", tc, cls.h01, dt.date(2020, 3, 2))
        cls.elsewhere = make_cohort("TC-H02", tc, cls.h02, dt.date(2020, 4, 6))
        enroll(cls.own, 3)
        enroll(cls.elsewhere, 5)
        from_h01 = make_student("Trần Thị Bình", locality=cls.h01)
        from_agency = make_student("Lê Văn Cường", locality=cls.h03, agency=cls.agency)
        for student in (from_h01, from_agency):
            Enrollment.objects.create(cohort=cls.elsewhere, student=student)

    def overview(self, user) -> tuple[int, int]:
        self.client.force_login(user)
        self.page = self.client.get(HOME)
        return self.page.context["cohorts"], self.page.context["enrollments"]

    def opened_2020(self, user) -> Counts:
        return count(CountSpec(Period.year(2020), "opened", CohortFilter()), user)

    def test_a_coordinator_counts_their_students_in_a_class_held_elsewhere(self):
        self.assertEqual(self.overview(self.coordinator), (2, 4))  # 3 at home, 1 in H02
        recent = {cohort.code: cohort.whole for cohort in self.page.context["recent"]}
        self.assertEqual(recent, {"TC-H01": True, "TC-H02": False})
        self.assertContains(self.page, "Chỉ học viên của đơn vị đồng chí trong lớp này", count=1)
        self.assertEqual(self.opened_2020(self.coordinator), Counts(2, 4))
        response = self.client.get(CLASSES)
        counts = {cohort.code: (cohort.student_count, cohort.whole) for cohort in response.context["page"]}
        self.assertEqual(counts, {"TC-H01": (3, True), "TC-H02": (1, False)})

    def test_a_cancelled_enrollment_reaches_no_class(self):
        """A coordinator whose only student in a class held elsewhere was cancelled: the
        class is on none of their pages and in none of their figures (it would count a
        class of 0 students, and open a page with nobody on it)."""
        Enrollment.objects.filter(cohort=self.elsewhere, student__locality=self.h01).update(
            status=EnrollmentStatus.CANCELLED
        )
        self.assertEqual(self.overview(self.coordinator), (1, 3))
        self.assertEqual(self.opened_2020(self.coordinator), Counts(1, 3))
        response = self.client.get(CLASSES)
        self.assertEqual([cohort.code for cohort in response.context["page"]], ["TC-H01"])
        detail = reverse("cohorts:detail", args=[self.elsewhere.code])
        self.assertEqual(self.client.get(detail).status_code, 404)
        # The host locality still counts it whole, without the cancelled student.
        self.assertEqual(self.overview(self.other_coordinator), (1, 6))

    def test_an_agency_counts_its_staff_classes(self):
        self.assertEqual(self.overview(self.agency_user), (1, 1))
        self.assertEqual(self.opened_2020(self.agency_user), Counts(1, 1))

    def test_the_host_locality_counts_the_class_whole(self):
        self.assertEqual(self.overview(self.other_coordinator), (1, 7))
        self.assertEqual(self.opened_2020(self.other_coordinator), Counts(1, 7))

    def test_the_office_counts_every_class_once(self):
        self.assertEqual(self.opened_2020(self.office), Counts(2, 10))
        self.client.force_login(self.office)
        response = self.client.get(CLASSES)
        self.assertEqual((response.context["page"].paginator.count, response.context["students"]), (2, 10))

    def test_the_overview_queries_stay_few(self):
        self.client.force_login(self.coordinator)
        # The session, the user, their roles and unit; four figures; the latest classes; the
        # latest plan's year and its nominations waiting (their count and the latest); the
        # packs received; the year's plan and its quotas.
        with self.assertNumQueries(14):
            self.client.get(HOME)
