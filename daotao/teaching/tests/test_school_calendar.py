"""The school-wide calendar: every class's lessons for a week or a month, by class, lecturer
or room, with the holidays; the office and the board only; a fixed number of queries."""

import datetime as dt

import time_machine
from django.urls import reverse

from daotao.teaching.models import Holiday, Room
from daotao.teaching.tests.base import TODAY, TeachingTestCase


@time_machine.travel(TODAY, tick=False)
class SchoolCalendarTests(TeachingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.url = reverse("teaching:calendar")
        cls.room = Room.objects.create(name="Phòng 201", capacity=40)
        cls.schedule(date=dt.date(2026, 3, 16), room=cls.room)
        cls.schedule(date=dt.date(2026, 3, 18), session="afternoon", module=cls.m3, lecturer=cls.other_lecturer)
        cls.schedule(cohort=cls.other_cohort, lecturer=cls.other_lecturer, date=dt.date(2026, 3, 16))
        cls.schedule(date=dt.date(2026, 4, 6))
        Holiday.objects.create(name="Ngày nghỉ thử", first_day=dt.date(2026, 3, 20), last_day=dt.date(2026, 3, 20))

    def test_the_week_by_class(self):
        self.client.force_login(self.office)
        response = self.client.get(self.url, {"date": "18/03/2026"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["first"], dt.date(2026, 3, 16))
        self.assertEqual(response.context["count"], 3)
        self.assertEqual([name for name, _ in response.context["rows"]], ["TC01", "TC02"])
        self.assertContains(response, "Ngày nghỉ thử")
        self.assertContains(response, "Phòng 201")

    def test_by_lecturer_and_by_room(self):
        self.client.force_login(self.board)
        response = self.client.get(self.url, {"date": "2026-03-18", "by": "lecturer"})
        self.assertEqual([name for name, _ in response.context["rows"]], ["Lê Thị Dạy", "Trần Văn Giảng"])
        response = self.client.get(self.url, {"date": "2026-03-18", "by": "room"})
        self.assertEqual([name for name, _ in response.context["rows"]], ["Phòng 201", ""])

    def test_the_month(self):
        self.client.force_login(self.office)
        response = self.client.get(self.url, {"date": "05/04/2026", "view": "month"})
        self.assertEqual(
            (response.context["first"], response.context["last"]), (dt.date(2026, 4, 1), dt.date(2026, 4, 30))
        )
        self.assertEqual(response.context["count"], 1)
        self.assertEqual(len(response.context["weeks"]), 5)
        self.assertEqual(response.context["previous"], dt.date(2026, 3, 1))

    def test_a_bad_date_shows_today(self):
        self.client.force_login(self.office)
        for bad in ("31/02/2026", "<script>", "01/01/9999"):
            response = self.client.get(self.url, {"date": bad, "view": "x", "by": "y"})
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.context["first"], dt.date(2026, 3, 16))

    def test_queries_do_not_grow_with_lessons(self):
        self.client.force_login(self.office)
        self.client.get(self.url)
        with self.assertNumQueries(5) as first:
            self.client.get(self.url, {"date": "18/03/2026"})
        for day in (17, 19):
            self.schedule(cohort=self.other_cohort, lecturer=self.other_lecturer, date=dt.date(2026, 3, day))
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(self.url, {"date": "18/03/2026"})

    def test_only_the_school_wide_roles(self):
        for user in (self.coordinator, self.lecturer_user, self.student_user, self.nobody):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
