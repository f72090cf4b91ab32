"""Attendance is taken by exception: everyone present unless marked; a new record
replaces the exceptions; only the office or the module's lecturer takes it."""

from django.core.exceptions import PermissionDenied, ValidationError

from daotao.cohorts.models import Enrollment
from daotao.teaching import services
from daotao.teaching.models import Attendance
from daotao.teaching.tests.base import TeachingTestCase


class AttendanceRecordTests(TeachingTestCase):
    def setUp(self):
        self.lesson = self.schedule()

    def exceptions(self):
        return dict(Attendance.objects.filter(lesson=self.lesson).values_list("enrollment_id", "status"))

    def test_everyone_present_by_default(self):
        self.assertIsNone(self.lesson.attendance_taken_at)
        services.attendance_record(user=self.lecturer_user, lesson=self.lesson, exceptions={})
        self.lesson.refresh_from_db()
        self.assertIsNotNone(self.lesson.attendance_taken_at)
        self.assertEqual(self.exceptions(), {})

    def test_exceptions_replace_those_recorded_before(self):
        first, second = self.enrollments[:2]
        services.attendance_record(
            user=self.lecturer_user, lesson=self.lesson, exceptions={first.pk: "excused", second.pk: "late"}
        )
        self.assertEqual(self.exceptions(), {first.pk: "excused", second.pk: "late"})
        services.attendance_record(user=self.office, lesson=self.lesson, exceptions={second.pk: "unexcused"})
        self.assertEqual(self.exceptions(), {second.pk: "unexcused"})
        services.attendance_record(user=self.office, lesson=self.lesson, exceptions={second.pk: "present"})
        self.assertEqual(self.exceptions(), {})

    def test_refuses_strangers(self):
        for user in (self.other_lecturer_user, self.coordinator, self.student_user, self.board):
            with self.assertRaises(PermissionDenied):
                services.attendance_record(user=user, lesson=self.lesson, exceptions={})
        self.lesson.refresh_from_db()
        self.assertIsNone(self.lesson.attendance_taken_at)

    def test_refuses_other_classes_students_cancelled_ones_and_unknown_statuses(self):
        services.attendance_record(user=self.office, lesson=self.lesson, exceptions={self.enrollments[0].pk: "late"})
        cancelled = self.enrollments[5]
        Enrollment.objects.filter(pk=cancelled.pk).update(status="cancelled")
        for exceptions in (
            {self.other_enrollments[0].pk: "excused"},
            {cancelled.pk: "excused"},
            {self.enrollments[1].pk: "asleep"},
        ):
            with self.assertRaises(ValidationError):
                services.attendance_record(user=self.office, lesson=self.lesson, exceptions=exceptions)
        self.assertEqual(self.exceptions(), {self.enrollments[0].pk: "late"})  # unchanged
