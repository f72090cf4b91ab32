"""The list of students at risk: what each role sees, one class through ``?cohort=``, the
warnings sent on it, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.accounts import roles
from daotao.alerts.models import AbsenceWarning
from daotao.alerts.sending import warnings_send
from daotao.alerts.tests.base import AlertsWorldTestCase, absent, schedule
from daotao.cohorts.models import Enrollment
from daotao.people.models import Student
from daotao.testing import enroll, make_cohort, make_user

URL = reverse("alerts:list")


class AtRiskListTests(AlertsWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.agency_user = make_user("snv", roles.SENDING_AGENCY, cls.agency)
        lessons = schedule(cls.cohort, cls.m1, cls.lecturer, [5] * 10)
        other = schedule(cls.other_cohort, cls.m1, cls.other_lecturer, [5] * 10, start=dt.date(2026, 4, 1))
        absent(cls.enrollments[0], lessons[:2])  # the limit reached
        absent(cls.enrollments[2], lessons[:1])  # 50%, sent by the agency
        absent(cls.enrollments[3], lessons[:3])  # over the limit
        absent(cls.other_enrollments[0], other[:1])
        absent(cls.enrollments[4], lessons[:1], status="late")  # late is present
        absent(cls.enrollments[5], lessons[:1])
        Enrollment.objects.filter(pk=cls.enrollments[5].pk).update(status="withdrawn")  # not at risk any more
        cls.names = dict(Student.objects.values_list("pk", "full_name"))

    def seen(self, user, query=""):
        self.client.force_login(user)
        response = self.client.get(URL + query)
        self.assertEqual(response.status_code, 200)
        shown = response.content.decode()
        everyone = self.enrollments + self.other_enrollments
        return {index for index, e in enumerate(everyone) if f">{self.names[e.student_id]}<" in shown}

    def test_what_each_role_sees(self):
        # Indexes into enrollments (0-5) then other_enrollments (6-8).
        for user, expected in (
            (self.office, {0, 2, 3, 6}),
            (self.board, {0, 2, 3, 6}),
            (self.superuser, {0, 2, 3, 6}),
            (self.coordinator, {0, 2, 3}),
            (self.other_coordinator, {6}),
            (self.agency_user, {2}),
            (self.lecturer_user, {0, 2, 3}),
            (self.other_lecturer_user, {6}),  # HP1 of TC02 only: not the class of TC01's HP1
        ):
            with self.subTest(user=user.username):
                self.assertEqual(self.seen(user), expected)

    def test_others_are_turned_away(self):
        for user in (self.student_user, self.nobody, self.unscoped):
            self.client.force_login(user)
            self.assertEqual(self.client.get(URL).status_code, 403, user.username)
        self.client.logout()
        self.assertRedirects(self.client.get(URL), f"/accounts/login/?next={URL}", fetch_redirect_response=False)

    def test_one_class(self):
        self.assertEqual(self.seen(self.office, f"?cohort={self.other_cohort.pk}"), {6})
        self.assertEqual(self.seen(self.agency_user, f"?cohort={self.cohort.pk}"), {2})
        self.client.force_login(self.coordinator)
        for query in (f"?cohort={self.other_cohort.pk}", "?cohort=abc", "?cohort=99999999", "?cohort=" + "9" * 40):
            self.assertEqual(self.client.get(URL + query).status_code, 404, query)
        self.client.force_login(self.lecturer_user)
        self.assertEqual(self.client.get(URL + f"?cohort={self.other_cohort.pk}").status_code, 404)

    def test_a_closed_class_is_listed_through_its_tab_only(self):
        type(self.cohort).objects.filter(pk=self.cohort.pk).update(status="closed")
        self.assertEqual(self.seen(self.office), {6})
        self.assertEqual(self.seen(self.office, f"?cohort={self.cohort.pk}"), {0, 2, 3})

    def test_the_warnings_sent_and_the_state(self):
        Student.objects.filter(pk=self.enrollments[3].student_id).update(email="")
        warnings_send(today=dt.date(2026, 4, 30), now=timezone.make_aware(dt.datetime(2026, 4, 30, 18)))
        self.client.force_login(self.office)
        response = self.client.get(URL + f"?cohort={self.cohort.pk}")
        shown = response.content.decode()
        self.assertIn("hv0@binhan.test", shown)
        self.assertIn("18:00:00 30/04/2026", shown)
        self.assertIn("10/50", shown)  # 10 of the 50 periods missed
        self.assertIn("150%", shown)
        # Three thresholds told in one email (the limit reached, and passed), or one.
        self.assertEqual(shown.count("50%, 80%, 100%:"), 2)
        self.assertEqual(shown.count(">50%:"), 1)
        for warning in AbsenceWarning.objects.filter(enrollment=self.enrollments[3]):
            self.assertEqual(warning.unreachable, ["student"])
        self.assertContains(response, f"{_('no email address for')} {_('the student')}")
        # The class's header with its tab.
        self.assertContains(response, f'href="{URL}?cohort={self.cohort.pk}"')

    def test_the_students_address_is_masked_for_who_may_not_see_it(self):
        warnings_send(today=dt.date(2026, 4, 30))
        for user, full in (
            (self.office, True),
            (self.coordinator, True),  # the students came from H01
            (self.board, False),
            (self.lecturer_user, False),
        ):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                shown = self.client.get(URL).content.decode()
                self.assertEqual("hv0@binhan.test" in shown, full)
                self.assertEqual("h•••@binhan.test" in shown, not full)
                self.assertIn("h01@binhan.test", shown)  # a unit's address is no personal data

    def test_the_menu_and_the_class_hub_lead_here(self):
        self.client.force_login(self.coordinator)
        self.assertContains(self.client.get(reverse("home")), f'href="{URL}"')
        hub = self.client.get(reverse("cohorts:detail", args=[self.cohort.code]))
        self.assertContains(hub, f'href="{URL}?cohort={self.cohort.pk}"')

    def test_a_fixed_number_of_queries(self):
        def count(user, query=""):
            self.client.force_login(user)
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(URL + query).status_code, 200)
            return len(captured)

        before = {user.username: count(user) for user in (self.office, self.coordinator, self.lecturer_user)}
        one_class = count(self.office, f"?cohort={self.cohort.pk}")
        # More classes, students, absences and warnings.
        for number in range(3):
            cohort = make_cohort(f"TC1{number}", self.tc, self.h01, dt.date(2026, 3, 2))
            enrolled = enroll(cohort, 4)
            lessons = schedule(cohort, self.m2, self.lecturer, [5] * 10, start=dt.date(2026, 5, 1 + number * 10))
            cohort.assignments.create(module=self.m2, lecturer=self.lecturer)
            for enrollment in enrolled:
                absent(enrollment, lessons[:2])
        warnings_send(today=dt.date(2026, 6, 30))
        after = {user.username: count(user) for user in (self.office, self.coordinator, self.lecturer_user)}
        self.assertEqual(after, before)
        self.assertEqual(count(self.office, f"?cohort={self.cohort.pk}"), one_class)
        self.client.force_login(self.office)
        # The session, the user and their roles, then: the open classes' lessons and
        # absences (2), the students (1), the modules (1), the thresholds (1), the warnings (1).
        with self.assertNumQueries(9):
            self.client.get(URL)
