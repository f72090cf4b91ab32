"""Attendance and the lecture log say what happened in a lesson: both are refused before the
lesson's half day starts (morning 07:00, afternoon 13:00, evening 18:00, the school's time),
with the reason, and nothing is written; from its start on they are taken."""

import datetime as dt

import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from daotao.lib.vietnamese import format_date
from daotao.teaching import services
from daotao.teaching.models import Attendance, LectureLog, Session
from daotao.teaching.tests.base import DAY, TeachingTestCase


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class NotYetHeldTests(TeachingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.morning = cls.schedule()
        cls.afternoon = cls.schedule(session=Session.AFTERNOON)

    def record(self, lesson):
        services.attendance_record(user=self.lecturer_user, lesson=lesson, exceptions={self.enrollments[0].pk: "late"})
        services.lecture_log_record(user=self.lecturer_user, lesson=lesson, methods=["dialogue"])

    def assert_refused(self, lesson):
        with self.assertRaises(ValidationError) as caught:
            services.attendance_record(user=self.office, lesson=lesson, exceptions={})
        self.assertIn(format_date(lesson.date), caught.exception.messages[0])  # names the lesson
        with self.assertRaises(ValidationError):
            services.lecture_log_record(user=self.office, lesson=lesson, methods=["dialogue"])
        lesson.refresh_from_db()
        self.assertIsNone(lesson.attendance_taken_at)
        self.assertFalse(Attendance.objects.filter(lesson=lesson).exists())
        self.assertFalse(LectureLog.objects.filter(lesson=lesson).exists())

    def test_the_day_before(self):
        with time_machine.travel(at(DAY - dt.timedelta(days=1), 16), tick=False):
            self.assert_refused(self.morning)
            self.assert_refused(self.afternoon)

    def test_the_same_day_from_the_start_of_each_half_day(self):
        with time_machine.travel(at(DAY, 6, 59), tick=False):
            self.assert_refused(self.morning)
        with time_machine.travel(at(DAY, 7), tick=False):
            self.record(self.morning)
            self.assert_refused(self.afternoon)
        with time_machine.travel(at(DAY, 13), tick=False):
            self.record(self.afternoon)
        self.assertEqual(Attendance.objects.filter(lesson__in=[self.morning, self.afternoon]).count(), 2)
        self.assertEqual(LectureLog.objects.filter(lesson__in=[self.morning, self.afternoon]).count(), 2)

    def refusal(self) -> str:
        try:
            services.attendance_record(user=self.office, lesson=self.morning, exceptions={})
        except ValidationError as error:
            return error.messages[0]
        self.fail("recorded before the lesson started")

    def test_the_pages_say_why_and_record_nothing(self):
        self.client.force_login(self.lecturer_user)
        with time_machine.travel(at(DAY, 6), tick=False):
            message = self.refusal()
            attendance = self.client.post(reverse("teaching:attendance", args=[self.morning.pk]), {})
            log = self.client.post(reverse("teaching:log", args=[self.morning.pk]), {"methods": ["dialogue"]})
        for response in (attendance, log):
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, message.split("(")[0].strip())
        self.morning.refresh_from_db()
        self.assertIsNone(self.morning.attendance_taken_at)
        self.assertFalse(LectureLog.objects.filter(lesson=self.morning).exists())
