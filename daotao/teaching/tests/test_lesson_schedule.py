"""The timetable refuses double bookings with a clear message, also when two clerks save
at once; a lesson belongs to the class's program, an assigned lecturer and the class's
dates; only the training office schedules."""

import datetime as dt
import threading

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import TransactionTestCase

from daotao.accounts import roles
from daotao.org.models import UnitKind
from daotao.programs.models import Program
from daotao.teaching import services
from daotao.teaching.models import Lesson, Place, TeachingAssignment
from daotao.teaching.tests.base import DAY, TeachingTestCase
from daotao.testing import make_cohort, make_lecturer, make_module, make_unit, make_user


class ScheduleTests(TeachingTestCase):
    def test_a_lesson_with_the_default_place(self):
        lesson = self.schedule()
        self.assertEqual((lesson.place, lesson.venue), (Place.LOCALITY, self.cohort.venue))
        concentrated = make_cohort("CV01", self.tc, self.school, DAY, mode="concentrated", venue="Hội trường A")
        services.assignment_add(user=self.office, cohort=concentrated, module=self.m1, lecturer=self.other_lecturer)
        lesson = self.schedule(cohort=concentrated, lecturer=self.other_lecturer)
        self.assertEqual((lesson.place, lesson.venue), (Place.SCHOOL, "Hội trường A"))
        self.assertEqual(self.schedule(session="evening", venue="Phòng 2", place="locality").place, Place.LOCALITY)

    def test_lecturer_booked_twice_at_once(self):
        self.schedule()
        services.assignment_add(user=self.office, cohort=self.other_cohort, module=self.m1, lecturer=self.lecturer)
        with self.assertRaises(ValidationError) as caught:
            self.schedule(cohort=self.other_cohort, lecturer=self.lecturer)
        message = " ".join(caught.exception.messages)
        for part in ("Trần Văn Giảng", "TC01", "10/03/2026"):
            self.assertIn(part, message)
        self.assertEqual(Lesson.objects.count(), 1)

    def test_class_booked_twice_at_once(self):
        self.schedule()
        with self.assertRaises(ValidationError) as caught:
            self.schedule(module=self.m3, lecturer=self.other_lecturer)
        message = " ".join(caught.exception.messages)
        for part in ("TC01", "HP1", "Trần Văn Giảng", "10/03/2026"):
            self.assertIn(part, message)
        self.assertEqual(Lesson.objects.count(), 1)

    def test_the_other_half_day_and_the_next_day_are_free(self):
        self.schedule()
        self.schedule(session="afternoon")
        self.schedule(session="evening", module=self.m3, lecturer=self.other_lecturer)
        self.schedule(date=DAY + dt.timedelta(days=1))
        self.schedule(cohort=self.other_cohort, lecturer=self.other_lecturer)  # another class, another lecturer
        self.assertEqual(Lesson.objects.count(), 5)

    def test_changing_a_lesson_keeps_its_own_slot_free(self):
        lesson = self.schedule()
        self.schedule(lesson=lesson, periods=4, topic="Chuyên đề 1")
        self.assertEqual(Lesson.objects.get().periods, 4)
        other = self.schedule(session="afternoon")
        with self.assertRaises(ValidationError):
            self.schedule(lesson=other, session="morning")  # onto the first lesson's half day
        self.assertEqual(Lesson.objects.get(pk=other.pk).session, "afternoon")

    def test_refuses_module_lecturer_dates_and_periods(self):
        with self.assertRaises(ValidationError) as caught:
            self.schedule(lecturer=self.other_lecturer)  # not assigned to m1 in this class
        self.assertIn("lecturer", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            self.schedule(module=make_module(self.programs["BD-CV"], "CV1", 8))
        self.assertIn("module", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            self.schedule(date=dt.date(2026, 3, 1))  # before the opening
        self.assertIn("date", caught.exception.message_dict)
        closed = make_cohort("TC09", self.tc, self.h01, dt.date(2026, 3, 2), dt.date(2026, 3, 31))
        services.assignment_add(user=self.office, cohort=closed, module=self.m1, lecturer=self.lecturer)
        with self.assertRaises(ValidationError) as caught:
            self.schedule(cohort=closed, date=dt.date(2026, 4, 1))  # after the closing
        self.assertIn("31/03/2026", caught.exception.message_dict["date"][0])
        with self.assertRaises(ValidationError) as caught:
            self.schedule(periods=11)
        self.assertIn("periods", caught.exception.message_dict)
        self.assertFalse(Lesson.objects.exists())

    def test_only_the_office_schedules(self):
        for user in (self.lecturer_user, self.coordinator, self.board, self.student_user):
            with self.assertRaises(PermissionDenied):
                self.schedule(user=user)
        self.assertFalse(Lesson.objects.exists())


class CancelTests(TeachingTestCase):
    def test_a_lesson_not_yet_held_is_removed(self):
        lesson = self.schedule()
        services.lesson_cancel(user=self.office, lesson=lesson)
        self.assertFalse(Lesson.objects.exists())

    def test_a_held_lesson_stays(self):
        lesson = self.schedule()
        services.attendance_record(user=self.lecturer_user, lesson=lesson, exceptions={})
        with self.assertRaises(ValidationError):
            services.lesson_cancel(user=self.office, lesson=lesson)
        with self.assertRaises(PermissionDenied):
            services.lesson_cancel(user=self.lecturer_user, lesson=lesson)
        self.assertTrue(Lesson.objects.exists())


class RaceTests(TransactionTestCase):
    """Clerks book the same lecturer for the same half day at once: one wins, the others
    get the conflict message, never a server error."""

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

    def test_an_integrity_error_becomes_the_conflict_message(self):
        """The check passed, then the database refused: the loser still gets the message."""
        from unittest import mock

        province = make_unit("BA", "Tỉnh", UnitKind.PROVINCE)
        school = make_unit("SCH", "Trường", UnitKind.SCHOOL, province)
        faculty = make_unit("K1", "Khoa", UnitKind.FACULTY, school)
        program = Program.objects.create(code="TC", name="TC", kind="training", category="political_theory")
        module = make_module(program, "HP1", 30)
        lecturer = make_lecturer("Giảng Viên", faculty)
        first, second = (make_cohort(f"C{i}", program, province, dt.date(2026, 3, 2)) for i in range(2))
        for cohort in (first, second):
            TeachingAssignment.objects.create(cohort=cohort, module=module, lecturer=lecturer)
        office = make_user("office", roles.TRAINING_OFFICE)
        values = {"user": office, "module": module, "lecturer": lecturer, "date": DAY, "session": "morning"}
        services.lesson_schedule(cohort=first, periods=5, **values)
        real = services._conflicts
        calls = []

        def blind_first_time(lesson):  # the check ran before the other clerk saved
            calls.append(lesson)
            return [] if len(calls) == 1 else real(lesson)

        with mock.patch.object(services, "_conflicts", blind_first_time):
            with self.assertRaises(ValidationError) as caught:
                services.lesson_schedule(cohort=second, periods=5, **values)
        self.assertIn("Giảng Viên", " ".join(caught.exception.messages))
        self.assertIn("C0", " ".join(caught.exception.messages))
        self.assertEqual(Lesson.objects.count(), 1)
