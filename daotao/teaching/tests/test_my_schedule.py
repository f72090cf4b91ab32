"""One's own schedule: a lecturer's lessons with links to record them and colleagues'
lessons to observe; a student's class timetable, read-only; nobody else's."""

import datetime as dt

import time_machine
from django.urls import reverse

from daotao.teaching.tests.base import DAY, TODAY, TeachingTestCase
from daotao.testing import make_lecturer

URL = reverse("teaching:my")


@time_machine.travel(TODAY, tick=False)
class MyScheduleTests(TeachingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.past = cls.schedule()
        cls.upcoming = cls.schedule(date=dt.date(2026, 3, 24), module=cls.m2)
        cls.colleagues = cls.schedule(date=dt.date(2026, 3, 25), module=cls.m3, lecturer=cls.other_lecturer)
        cls.elsewhere = cls.schedule(cohort=cls.other_cohort, lecturer=cls.other_lecturer)
        cls.same_faculty = make_lecturer("Đỗ Văn Đồng", cls.faculty, "gv3")

    def test_lecturer_sees_own_lessons_with_record_links(self):
        self.login(self.lecturer_user)
        response = self.client.get(URL)
        self.assertEqual(list(response.context["upcoming"]), [self.upcoming])
        self.assertEqual(list(response.context["past"]), [self.past])
        self.assertContains(response, reverse("teaching:attendance", args=[self.past.pk]))
        self.assertContains(response, reverse("teaching:log", args=[self.past.pk]))
        self.assertNotContains(response, reverse("teaching:attendance", args=[self.colleagues.pk]))

    def test_colleagues_of_the_faculty_to_observe(self):
        self.login(self.same_faculty.user)
        response = self.client.get(URL)
        # From a week ago (the lesson of 10/03 is too old) to two weeks ahead.
        self.assertEqual(list(response.context["observable"]), [self.upcoming])
        self.assertContains(response, reverse("teaching:observe", args=[self.upcoming.pk]))
        self.login(self.lecturer_user)
        self.assertEqual(list(self.client.get(URL).context["observable"]), [])  # gv2 is of another faculty

    def test_student_sees_own_class_timetable_read_only(self):
        self.login(self.student_user)
        response = self.client.get(URL)
        self.assertEqual(list(response.context["upcoming"]), [self.upcoming, self.colleagues])
        self.assertEqual(list(response.context["past"]), [self.past])
        self.assertNotContains(response, reverse("teaching:attendance", args=[self.past.pk]))
        self.assertNotIn("observable", response.context)
        self.login(self.other_student_user)
        self.assertEqual(list(self.client.get(URL).context["past"]), [self.elsewhere])

    def test_other_roles(self):
        for user in (self.office, self.coordinator, self.nobody):
            self.login(user)
            self.assertEqual(self.client.get(URL).status_code, 403)
        self.client.logout()
        self.assertRedirects(self.client.get(URL), f"{reverse('login')}?next={URL}")

    def test_queries_do_not_grow_with_lessons(self):
        self.login(self.lecturer_user)
        self.client.get(URL)
        with self.assertNumQueries(8) as first:
            self.client.get(URL)
        for day in range(11, 20):
            self.schedule(date=DAY.replace(day=day), session="afternoon")
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(URL)
