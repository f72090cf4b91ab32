"""A class's timetable: the training office adds and changes lessons (conflicts shown on
the form); lecturers of the class and the locality's coordinator read it; others do not
see it."""

import datetime as dt

import time_machine
from django.urls import reverse

from daotao.teaching.models import Lesson
from daotao.teaching.tests.base import TODAY, TeachingTestCase


@time_machine.travel(TODAY, tick=False)
class TimetableViewTests(TeachingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lesson = cls.schedule()
        cls.url = reverse("teaching:cohort", args=[cls.cohort.pk])

    def post_lesson(self, **changes):
        data = {
            "date": "10/03/2026",
            "session": "afternoon",
            "module": self.m1.pk,
            "lecturer": self.lecturer.pk,
            "periods": "5",
            "place": "locality",
            "venue": "",
            "topic": "",
        }
        data.update(changes)
        return self.client.post(self.url, data)

    def test_office_adds_a_lesson(self):
        self.login(self.office)
        response = self.client.get(self.url)
        self.assertContains(response, "10/03/2026")
        self.assertIsNotNone(response.context["form"])
        response = self.post_lesson()
        self.assertRedirects(response, self.url)
        self.post_lesson(session="evening", module=self.m2.pk)
        sessions = [lesson.session for lesson in self.client.get(self.url).context["lessons"]]
        self.assertEqual(sessions, ["morning", "afternoon", "evening"])  # the day's order

    def test_a_conflict_is_shown_on_the_form(self):
        self.login(self.office)
        response = self.post_lesson(session="morning", module=self.m3.pk, lecturer=self.other_lecturer.pk)
        self.assertEqual(response.status_code, 200)
        errors = " ".join(response.context["form"].non_field_errors())
        self.assertIn("TC01", errors)
        self.assertIn("10/03/2026", errors)
        self.assertContains(response, "Trần Văn Giảng")
        self.assertEqual(Lesson.objects.count(), 1)

    def test_bad_input_is_shown_on_the_form(self):
        self.login(self.office)
        response = self.post_lesson(date="31/02/2026")
        self.assertTrue(response.context["form"].errors["date"])
        response = self.post_lesson(date="01/03/2026")  # before the opening
        self.assertTrue(response.context["form"].errors["date"])
        response = self.post_lesson(lecturer=self.other_lecturer.pk)  # not assigned to m1
        self.assertTrue(response.context["form"].errors["lecturer"])
        self.assertEqual(Lesson.objects.count(), 1)

    def test_coordinator_reads_their_localitys_timetable(self):
        self.login(self.coordinator)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context["form"])
        self.assertNotContains(response, reverse("teaching:lesson_edit", args=[self.lesson.pk]))
        self.assertEqual(self.post_lesson().status_code, 403)
        self.login(self.other_coordinator)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_lecturers_see_their_classes_only(self):
        self.login(self.lecturer_user)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        self.assertEqual(self.post_lesson().status_code, 403)
        self.assertEqual(self.client.get(reverse("teaching:cohort", args=[self.other_cohort.pk])).status_code, 404)

    def test_students_and_strangers(self):
        self.login(self.student_user)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.login(self.nobody)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.client.logout()
        self.assertRedirects(self.client.get(self.url), f"{reverse('login')}?next={self.url}")

    def test_queries_do_not_grow_with_lessons(self):
        self.login(self.office)
        self.client.get(self.url)  # warm up the session and the user
        with self.assertNumQueries(9) as first:
            self.client.get(self.url)
        for day in range(11, 20):
            self.schedule(date=dt.date(2026, 3, day), module=self.m3, lecturer=self.other_lecturer)
        with self.assertNumQueries(len(first.captured_queries)):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["lessons"]), 10)


@time_machine.travel(TODAY, tick=False)
class LessonEditViewTests(TeachingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lesson = cls.schedule()
        cls.other = cls.schedule(session="afternoon")
        cls.url = reverse("teaching:lesson_edit", args=[cls.lesson.pk])

    def data(self, **changes):
        data = {
            "date": "10/03/2026",
            "session": "morning",
            "module": self.m1.pk,
            "lecturer": self.lecturer.pk,
            "periods": "3",
            "place": "school",
            "venue": "Hội trường",
            "topic": "Chuyên đề",
        }
        data.update(changes)
        return data

    def test_office_changes_a_lesson(self):
        self.login(self.office)
        response = self.client.get(self.url)
        self.assertContains(response, 'value="10/03/2026"')
        response = self.client.post(self.url, self.data())
        self.assertRedirects(response, reverse("teaching:cohort", args=[self.cohort.pk]))
        self.lesson.refresh_from_db()
        self.assertEqual((self.lesson.periods, self.lesson.place, self.lesson.topic), (3, "school", "Chuyên đề"))

    def test_moving_onto_a_booked_half_day_is_refused(self):
        self.login(self.office)
        response = self.client.post(self.url, self.data(session="afternoon"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("TC01", " ".join(response.context["form"].non_field_errors()))
        self.lesson.refresh_from_db()
        self.assertEqual(self.lesson.session, "morning")

    def test_cancel(self):
        self.login(self.office)
        cancel = reverse("teaching:lesson_cancel", args=[self.other.pk])
        self.assertEqual(self.client.get(cancel).status_code, 405)
        self.assertRedirects(self.client.post(cancel), reverse("teaching:cohort", args=[self.cohort.pk]))
        self.assertFalse(Lesson.objects.filter(pk=self.other.pk).exists())

    def test_only_the_office(self):
        for user in (self.lecturer_user, self.coordinator, self.student_user):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.client.post(self.url, self.data()).status_code, 403)
            self.assertEqual(self.client.post(reverse("teaching:lesson_cancel", args=[self.other.pk])).status_code, 403)
        self.assertTrue(Lesson.objects.filter(pk=self.other.pk).exists())
