"""The timetable refuses double bookings with a clear message; attendance is taken by
exception; the lecture log and observations."""

import datetime as dt
import threading

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import TransactionTestCase

from daotao.accounts import roles
from daotao.org.models import UnitKind
from daotao.programs.models import Program
from daotao.teaching import services
from daotao.teaching.models import Attendance, Lesson, Place, TeachingAssignment
from daotao.testing import (
    TeachingWorldTestCase,
    make_cohort,
    make_lecturer,
    make_module,
    make_unit,
    make_user,
)

DAY = dt.date(2026, 3, 10)


class ScheduleTests(TeachingWorldTestCase):
    def schedule(self, **changes):
        values = {
            "user": self.office,
            "cohort": self.cohort,
            "module": self.m1,
            "lecturer": self.lecturer,
            "date": DAY,
            "session": "morning",
            "periods": 5,
        }
        values.update(changes)
        return services.lesson_schedule(**values)

    def test_a_lesson_with_the_default_place(self):
        lesson = self.schedule()
        self.assertEqual((lesson.place, lesson.venue), (Place.LOCALITY, self.cohort.venue))

    def test_lecturer_booked_twice_at_once(self):
        self.schedule()
        with self.assertRaisesMessage(ValidationError, "Trần Văn Giảng"):
            self.schedule(cohort=self.other_cohort, module=self.m1, lecturer=self.lecturer)
        self.assertEqual(Lesson.objects.count(), 1)

    def test_class_booked_twice_at_once(self):
        self.schedule()
        with self.assertRaises(ValidationError) as caught:
            self.schedule(module=self.m3, lecturer=self.other_lecturer)
        self.assertIn("TC01", " ".join(caught.exception.messages))
        self.assertIn("HP1", " ".join(caught.exception.messages))

    def test_the_other_half_day_and_the_next_day_are_free(self):
        self.schedule()
        self.schedule(session="afternoon")
        self.schedule(date=DAY + dt.timedelta(days=1))
        self.assertEqual(Lesson.objects.count(), 3)

    def test_moving_a_lesson_keeps_its_own_slot_free(self):
        lesson = self.schedule()
        self.schedule(lesson=lesson, periods=4)
        self.assertEqual(Lesson.objects.get().periods, 4)

    def test_refuses_module_lecturer_and_dates(self):
        with self.assertRaises(ValidationError) as caught:
            self.schedule(lecturer=self.other_lecturer)  # not assigned to m1 in this class
        self.assertIn("lecturer", caught.exception.message_dict)
        bd = self.programs["BD-CV"]
        with self.assertRaises(ValidationError) as caught:
            self.schedule(module=make_module(bd, "CV1", 8))
        self.assertIn("module", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            self.schedule(date=dt.date(2026, 1, 5))
        self.assertIn("date", caught.exception.message_dict)

    def test_only_the_office_schedules(self):
        with self.assertRaises(PermissionDenied):
            self.schedule(user=self.lecturer_user)


class AttendanceTests(TeachingWorldTestCase):
    def setUp(self):
        self.lesson = Lesson.objects.create(
            cohort=self.cohort, module=self.m1, lecturer=self.lecturer, date=DAY, session="morning"
        )

    def test_everyone_present_by_default_exceptions_replace(self):
        first, second = self.enrollments[:2]
        services.attendance_record(
            user=self.lecturer_user, lesson=self.lesson, exceptions={first.pk: "excused", second.pk: "late"}
        )
        self.lesson.refresh_from_db()
        self.assertIsNotNone(self.lesson.attendance_taken_at)
        self.assertEqual(Attendance.objects.count(), 2)
        services.attendance_record(user=self.office, lesson=self.lesson, exceptions={second.pk: "unexcused"})
        self.assertEqual(list(Attendance.objects.values_list("enrollment_id", "status")), [(second.pk, "unexcused")])
        services.attendance_record(user=self.office, lesson=self.lesson, exceptions={second.pk: "present"})
        self.assertFalse(Attendance.objects.exists())

    def test_refuses_strangers_and_unknown_statuses(self):
        with self.assertRaises(PermissionDenied):
            services.attendance_record(user=self.other_lecturer_user, lesson=self.lesson, exceptions={})
        with self.assertRaises(ValidationError):
            services.attendance_record(
                user=self.office, lesson=self.lesson, exceptions={self.other_enrollments[0].pk: "excused"}
            )
        with self.assertRaises(ValidationError):
            services.attendance_record(user=self.office, lesson=self.lesson, exceptions={self.enrollments[0].pk: "x"})
        self.assertFalse(Attendance.objects.exists())

    def test_lecture_log_derives_active_methods(self):
        log = services.lecture_log_record(user=self.lecturer_user, lesson=self.lesson, methods=["less_dictation"])
        self.assertFalse(log.uses_active_methods)
        log = services.lecture_log_record(
            user=self.lecturer_user, lesson=self.lesson, methods=["dialogue", "less_dictation", "dialogue"]
        )
        self.assertEqual((log.methods, log.uses_active_methods), (["dialogue", "less_dictation"], True))
        with self.assertRaises(ValidationError):
            services.lecture_log_record(user=self.office, lesson=self.lesson, methods=["shouting"])

    def test_observation(self):
        observation = services.observation_record(
            user=self.other_lecturer_user, lesson=self.lesson, observer=self.other_lecturer, rating="good"
        )
        self.assertEqual(observation.rating, "good")
        with self.assertRaises(ValidationError):
            services.observation_record(user=self.office, lesson=self.lesson, observer=self.lecturer, rating="good")
        with self.assertRaises(PermissionDenied):
            services.observation_record(
                user=self.lecturer_user, lesson=self.lesson, observer=self.other_lecturer, rating="good"
            )


class RaceTests(TransactionTestCase):
    """Two clerks book the same lecturer for the same half day at once: one wins, the
    other gets the conflict message, never a server error."""

    def test_concurrent_bookings(self):
        province = make_unit("BA", "Tỉnh", UnitKind.PROVINCE)
        school = make_unit("SCH", "Trường", UnitKind.SCHOOL, province)
        faculty = make_unit("K1", "Khoa", UnitKind.FACULTY, school)
        program = Program.objects.create(code="TC", name="TC", kind="training", category="political_theory")
        module = make_module(program, "HP1", 30)
        lecturer = make_lecturer("Giảng Viên", faculty)
        cohorts = [make_cohort(f"C{i}", program, province, dt.date(2026, 3, 2)) for i in range(4)]
        for cohort in cohorts:
            TeachingAssignment.objects.create(cohort=cohort, module=module, lecturer=lecturer)
        office = make_user("office", roles.TRAINING_OFFICE)
        outcomes, barrier = [], threading.Barrier(len(cohorts))

        def book(cohort):
            try:
                barrier.wait(timeout=10)
                services.lesson_schedule(
                    user=office, cohort=cohort, module=module, lecturer=lecturer, date=DAY, session="morning", periods=5
                )
                outcomes.append("ok")
            except ValidationError as error:
                outcomes.append(" ".join(error.messages))
            except Exception as error:
                outcomes.append(f"unexpected {error!r}")
            finally:
                connection.close()

        threads = [threading.Thread(target=book, args=(cohort,)) for cohort in cohorts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        self.assertEqual(outcomes.count("ok"), 1, outcomes)
        self.assertEqual(Lesson.objects.count(), 1)
        self.assertTrue(all("Giảng Viên" in outcome for outcome in outcomes if outcome != "ok"), outcomes)
