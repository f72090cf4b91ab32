"""Laying out a class's timetable from its curriculum (``teaching/timetable.py``): the
modules in order, each in lessons of the periods chosen, on the chosen weekdays and half
days only, around the holiday calendar and what the class and its lecturers already have,
lecturers taking turns; and the holiday calendar itself."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import SimpleTestCase

from daotao.cohorts.models import Cohort
from daotao.teaching.models import Holiday, Lesson, TeachingAssignment, Unavailability
from daotao.teaching.timetable import (
    HORIZON_DAYS,
    Bookings,
    LayoutError,
    ModulePart,
    bookings_for,
    lay_out,
    lesson_periods,
    timetable_save,
)
from daotao.testing import TeachingWorldTestCase

MON = dt.date(2026, 3, 2)  # a Monday
WEEKDAYS = (0, 1, 2, 3, 4)
BOTH = ("morning", "afternoon")


def day(n: int) -> dt.date:
    return MON + dt.timedelta(days=n)


class LayoutTests(SimpleTestCase):
    def test_lesson_periods(self):
        self.assertEqual(lesson_periods(60, 5), [5] * 12)
        self.assertEqual(lesson_periods(32, 5), [5, 5, 5, 5, 5, 5, 2])
        self.assertEqual(lesson_periods(3, 5), [3])

    def test_modules_in_order_on_weekdays_and_half_days(self):
        parts = [ModulePart(1, 15, (10,)), ModulePart(2, 12, (11,))]
        layout = lay_out(parts, start=MON, weekdays=WEEKDAYS, sessions=BOTH)
        got = [(lesson.module_id, lesson.date, lesson.session, lesson.periods) for lesson in layout.lessons]
        self.assertEqual(
            got,
            [
                (1, day(0), "morning", 5),
                (1, day(0), "afternoon", 5),
                (1, day(1), "morning", 5),
                (2, day(1), "afternoon", 5),
                (2, day(2), "morning", 5),
                (2, day(2), "afternoon", 2),
            ],
        )
        self.assertEqual(sum(lesson.periods for lesson in layout.lessons), 27)
        self.assertEqual((layout.first_day, layout.last_day), (day(0), day(2)))

    def test_weekend_excluded_weekdays_and_holidays_are_skipped(self):
        # Mornings only, Monday to Wednesday; Tuesday 3 March is a holiday.
        bookings = Bookings(holidays=frozenset({day(1)}))
        layout = lay_out(
            [ModulePart(1, 20, (10,))], start=MON, weekdays=(0, 1, 2), sessions=("morning",), bookings=bookings
        )
        self.assertEqual([lesson.date for lesson in layout.lessons], [day(0), day(2), day(7), day(8)])
        self.assertTrue(all(lesson.session == "morning" for lesson in layout.lessons))
        self.assertTrue(all(lesson.date.weekday() in (0, 1, 2) for lesson in layout.lessons))

    def test_the_half_days_are_taken_in_the_order_of_a_day(self):
        layout = lay_out(
            [ModulePart(1, 15, (10,))], start=MON, weekdays=(0,), sessions=("evening", "morning", "afternoon")
        )
        self.assertEqual([lesson.session for lesson in layout.lessons], ["morning", "afternoon", "evening"])

    def test_the_class_s_own_lessons_are_kept_free(self):
        bookings = Bookings(cohort=frozenset({(day(0), "morning")}))
        layout = lay_out([ModulePart(1, 10, (10,))], start=MON, weekdays=WEEKDAYS, sessions=BOTH, bookings=bookings)
        self.assertEqual(
            [(lesson.date, lesson.session) for lesson in layout.lessons], [(day(0), "afternoon"), (day(1), "morning")]
        )
        self.assertEqual(layout.passed_over, [])

    def test_lecturers_take_turns_and_one_busy_elsewhere_is_passed_over(self):
        # Lecturer 10 teaches another class on Monday afternoon: 11 takes that lesson.
        bookings = Bookings(lecturers=frozenset({(10, day(0), "afternoon")}))
        layout = lay_out([ModulePart(1, 20, (10, 11))], start=MON, weekdays=WEEKDAYS, sessions=BOTH, bookings=bookings)
        self.assertEqual([lesson.lecturer_id for lesson in layout.lessons], [10, 11, 10, 11])
        self.assertEqual(layout.lessons[1].date, day(0))

    def test_no_lecturer_free_leaves_the_half_day_empty_and_says_why(self):
        bookings = Bookings(lecturers=frozenset({(10, day(0), "afternoon")}), unavailable=frozenset({(10, day(1))}))
        layout = lay_out([ModulePart(1, 15, (10,))], start=MON, weekdays=WEEKDAYS, sessions=BOTH, bookings=bookings)
        self.assertEqual(
            [(lesson.date, lesson.session) for lesson in layout.lessons],
            [(day(0), "morning"), (day(2), "morning"), (day(2), "afternoon")],
        )
        self.assertEqual(
            [(p.date, p.session, p.module_id) for p in layout.passed_over],
            [(day(0), "afternoon", 1), (day(1), "morning", 1), (day(1), "afternoon", 1)],
        )
        self.assertIn("giảng viên", layout.passed_over[0].reason)

    def test_a_lecturer_is_not_booked_twice_by_the_layout_itself(self):
        layout = lay_out(
            [ModulePart(1, 10, (10,)), ModulePart(2, 10, (10,))], start=MON, weekdays=WEEKDAYS, sessions=BOTH
        )
        slots = [(lesson.lecturer_id, lesson.date, lesson.session) for lesson in layout.lessons]
        self.assertEqual(len(slots), len(set(slots)))

    def test_bad_choices_are_refused_with_a_message(self):
        part = ModulePart(1, 10, (10,))
        cases = [
            ([], {}, "học phần"),
            ([part], {"weekdays": ()}, "ngày"),
            ([part], {"sessions": ()}, "buổi"),
            ([part], {"sessions": ("night",)}, "buổi"),
            ([part], {"periods_per_lesson": 0}, "tiết"),
            ([part], {"periods_per_lesson": 11}, "tiết"),
            ([ModulePart(1, 10, ())], {}, "giảng viên"),
            ([ModulePart(1, 0, (10,))], {}, "tiết"),
        ]
        for parts, changes, word in cases:
            with self.subTest(changes=changes, parts=parts):
                options = {"start": MON, "weekdays": WEEKDAYS, "sessions": BOTH} | changes
                with self.assertRaisesMessage(LayoutError, word):
                    lay_out(parts, **options)

    def test_no_free_half_day_within_the_horizon(self):
        every_day = frozenset(MON + dt.timedelta(days=n) for n in range(HORIZON_DAYS))
        with self.assertRaisesMessage(LayoutError, "hai năm"):
            lay_out(
                [ModulePart(1, 10, (10,))],
                start=MON,
                weekdays=WEEKDAYS,
                sessions=BOTH,
                bookings=Bookings(holidays=every_day),
            )


class HolidayTests(TeachingWorldTestCase):
    def test_days_between_spans_and_clips(self):
        Holiday.objects.create(name="Tết Nguyên đán", first_day=dt.date(2026, 2, 14), last_day=dt.date(2026, 2, 22))
        Holiday.objects.create(name="Giỗ Tổ Hùng Vương", first_day=dt.date(2026, 4, 26), last_day=dt.date(2026, 4, 26))
        days = Holiday.objects.days_between(dt.date(2026, 2, 20), dt.date(2026, 4, 30))
        self.assertEqual(
            sorted(days), [dt.date(2026, 2, 20), dt.date(2026, 2, 21), dt.date(2026, 2, 22), dt.date(2026, 4, 26)]
        )
        self.assertEqual(Holiday.objects.days_between(dt.date(2026, 3, 1), dt.date(2026, 3, 31)), set())

    def test_a_last_day_before_the_first_is_refused(self):
        holiday = Holiday(name="Sai", first_day=dt.date(2026, 5, 2), last_day=dt.date(2026, 5, 1))
        with self.assertRaises(ValidationError) as raised:
            holiday.full_clean()
        self.assertIn("last_day", raised.exception.message_dict)
        with self.assertRaises(IntegrityError), transaction.atomic():
            holiday.save()

    def test_bookings_read_from_the_records(self):
        Holiday.objects.create(
            name="Ngày Giải phóng miền Nam", first_day=dt.date(2026, 4, 30), last_day=dt.date(2026, 5, 1)
        )
        Lesson.objects.create(
            cohort=self.cohort, module=self.m1, lecturer=self.lecturer, date=dt.date(2026, 3, 2), session="morning"
        )
        Lesson.objects.create(
            cohort=self.other_cohort,
            module=self.m1,
            lecturer=self.other_lecturer,
            date=dt.date(2026, 3, 3),
            session="afternoon",
        )
        Unavailability.objects.create(
            lecturer=self.other_lecturer, first_day=dt.date(2026, 3, 4), last_day=dt.date(2026, 3, 5), reason="Công tác"
        )
        with self.assertNumQueries(4):
            bookings = bookings_for(self.cohort.pk, [self.lecturer.pk, self.other_lecturer.pk], MON)
        self.assertEqual(bookings.cohort, {(dt.date(2026, 3, 2), "morning")})
        self.assertEqual(
            bookings.lecturers,
            {
                (self.lecturer.pk, dt.date(2026, 3, 2), "morning"),
                (self.other_lecturer.pk, dt.date(2026, 3, 3), "afternoon"),
            },
        )
        self.assertEqual(bookings.holidays, {dt.date(2026, 4, 30), dt.date(2026, 5, 1)})
        self.assertEqual(
            bookings.unavailable,
            {(self.other_lecturer.pk, dt.date(2026, 3, 4)), (self.other_lecturer.pk, dt.date(2026, 3, 5))},
        )
        # Laid out around them: the class's Monday morning is taken, the other lecturer
        # teaches the other class on Tuesday afternoon and is away on Wednesday and Thursday.
        layout = lay_out(
            [ModulePart(self.m3.pk, 15, (self.other_lecturer.pk,))],
            start=MON,
            weekdays=WEEKDAYS,
            sessions=BOTH,
            bookings=bookings,
        )
        self.assertEqual(
            [(lesson.date, lesson.session) for lesson in layout.lessons],
            [(dt.date(2026, 3, 2), "afternoon"), (dt.date(2026, 3, 3), "morning"), (dt.date(2026, 3, 6), "morning")],
        )
        self.assertEqual(
            [(p.date, p.session) for p in layout.passed_over],
            [
                (dt.date(2026, 3, 3), "afternoon"),
                (dt.date(2026, 3, 4), "morning"),
                (dt.date(2026, 3, 4), "afternoon"),
                (dt.date(2026, 3, 5), "morning"),
                (dt.date(2026, 3, 5), "afternoon"),
            ],
        )

    def test_unavailable_days_of_the_lecturers_asked(self):
        Unavailability.objects.create(
            lecturer=self.lecturer, first_day=dt.date(2026, 3, 30), last_day=dt.date(2026, 4, 2)
        )
        Unavailability.objects.create(
            lecturer=self.other_lecturer, first_day=dt.date(2026, 4, 1), last_day=dt.date(2026, 4, 1)
        )
        days = Unavailability.objects.lecturer_days_between(
            dt.date(2026, 4, 1), dt.date(2026, 4, 30), [self.lecturer.pk]
        )
        self.assertEqual(days, {(self.lecturer.pk, dt.date(2026, 4, 1)), (self.lecturer.pk, dt.date(2026, 4, 2))})
        bad = Unavailability(lecturer=self.lecturer, first_day=dt.date(2026, 4, 2), last_day=dt.date(2026, 4, 1))
        with self.assertRaises(ValidationError):
            bad.full_clean()


class TimetableSaveTests(TeachingWorldTestCase):
    def layout(self):
        parts = [
            ModulePart(self.m3.pk, 30, (self.other_lecturer.pk,)),
            ModulePart(self.m2.pk, 12, (self.lecturer.pk, self.other_lecturer.pk)),
        ]
        lecturers = [self.lecturer.pk, self.other_lecturer.pk]
        return lay_out(
            parts,
            start=MON,
            weekdays=WEEKDAYS,
            sessions=BOTH,
            bookings=bookings_for(self.cohort.pk, lecturers, MON),
        )

    def test_every_lesson_saved_with_its_lecturers_assigned(self):
        layout = self.layout()
        saved = timetable_save(user=self.office, cohort=self.cohort, layout=layout, place="locality", venue="Trung tâm")
        self.assertEqual(len(saved), 6 + 3)
        lessons = list(Lesson.objects.filter(cohort=self.cohort).in_day_order())
        self.assertEqual(
            [(x.module_id, x.lecturer_id, x.date, x.session, x.periods) for x in lessons],
            [(x.module_id, x.lecturer_id, x.date, x.session, x.periods) for x in layout.lessons],
        )
        self.assertEqual(sum(x.periods for x in lessons), 42)
        self.assertTrue(all(x.place == "locality" and x.venue == "Trung tâm" for x in lessons))
        # HP2 was assigned to the first lecturer only: the second, who takes turns, now is too.
        self.assertTrue(
            TeachingAssignment.objects.filter(cohort=self.cohort, module=self.m2, lecturer=self.other_lecturer).exists()
        )

    def test_a_clash_booked_since_refuses_the_whole_timetable_and_names_the_half_day(self):
        layout = self.layout()
        # Meanwhile someone books the other lecturer for the other class on Monday morning.
        Lesson.objects.create(
            cohort=self.other_cohort, module=self.m1, lecturer=self.other_lecturer, date=MON, session="morning"
        )
        assignments = TeachingAssignment.objects.count()
        with self.assertRaises(ValidationError) as raised:
            timetable_save(user=self.office, cohort=self.cohort, layout=layout)
        message = " ".join(raised.exception.messages)
        self.assertIn("02/03/2026", message)
        self.assertIn("sáng", message.lower())
        self.assertEqual(Lesson.objects.filter(cohort=self.cohort).count(), 0)
        self.assertEqual(TeachingAssignment.objects.count(), assignments)

    def test_a_date_outside_the_class_refuses_it(self):
        Cohort.objects.filter(pk=self.cohort.pk).update(closing_date=dt.date(2026, 3, 3))
        self.cohort.refresh_from_db()
        with self.assertRaises(ValidationError) as raised:
            timetable_save(user=self.office, cohort=self.cohort, layout=self.layout())
        self.assertIn("04/03/2026", " ".join(raised.exception.messages))
        self.assertEqual(Lesson.objects.filter(cohort=self.cohort).count(), 0)

    def test_only_the_office_saves_a_timetable(self):
        layout = self.layout()
        for user in (self.board, self.coordinator, self.lecturer_user, self.student_user):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                timetable_save(user=user, cohort=self.cohort, layout=layout)
        self.assertEqual(Lesson.objects.filter(cohort=self.cohort).count(), 0)
