"""``module_periods``: the periods held, planned and missed per module, for several classes
at once and up to a day; ``cohort_results`` reads the same."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from daotao.cohorts.models import Cohort
from daotao.grading.results import cohort_results, module_periods
from daotao.teaching.models import Attendance, Lesson
from daotao.testing import TeachingWorldTestCase


class ModulePeriodsTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        taken = timezone.now()
        rows = [
            (cls.cohort, cls.m1, cls.lecturer, dt.date(2026, 3, 2), 5, taken),
            (cls.cohort, cls.m1, cls.lecturer, dt.date(2026, 3, 3), 4, taken),
            (cls.cohort, cls.m1, cls.lecturer, dt.date(2026, 3, 4), 5, None),  # not held yet
            (cls.cohort, cls.m3, cls.other_lecturer, dt.date(2026, 3, 5), 3, taken),
            (cls.other_cohort, cls.m1, cls.other_lecturer, dt.date(2026, 3, 2), 5, taken),
        ]
        cls.lessons = [
            Lesson.objects.create(
                cohort=c, module=m, lecturer=x, date=d, session="afternoon", periods=p, attendance_taken_at=t
            )
            for c, m, x, d, p, t in rows
        ]
        e, o = cls.enrollments, cls.other_enrollments
        for lesson, enrollment, status in (
            (cls.lessons[0], e[0], "unexcused"),
            (cls.lessons[1], e[0], "excused"),
            (cls.lessons[1], e[1], "late"),  # present
            (cls.lessons[3], e[1], "unexcused"),
            (cls.lessons[4], o[0], "excused"),
        ):
            Attendance.objects.create(lesson=lesson, enrollment=enrollment, status=status)

    def test_many_classes_in_two_queries(self):
        c, oc, m1, m3 = self.cohort.pk, self.other_cohort.pk, self.m1.pk, self.m3.pk
        e, o = self.enrollments, self.other_enrollments
        with self.assertNumQueries(2):
            periods = module_periods(Cohort.objects.all())
        self.assertEqual(periods.held, {(c, m1): 9, (c, m3): 3, (oc, m1): 5})
        self.assertEqual(periods.planned, {(c, m1): 14, (c, m3): 3, (oc, m1): 5})
        self.assertEqual(periods.missed, {(e[0].pk, m1): 9, (e[1].pk, m3): 3, (o[0].pk, m1): 5})

    def test_up_to_a_day(self):
        c, m1 = self.cohort.pk, self.m1.pk
        periods = module_periods([c], until=dt.date(2026, 3, 2))
        self.assertEqual(periods.held, {(c, m1): 5})
        self.assertEqual(periods.planned[c, m1], 14)  # the timetable, whatever the day
        self.assertEqual(periods.missed, {(self.enrollments[0].pk, m1): 5})

    def test_the_results_read_the_same(self):
        results = cohort_results(self.cohort)
        outcome = results[self.enrollments[0].pk].modules[self.m1.pk]
        self.assertEqual((outcome.missed_periods, outcome.total_periods), (9, 9))
        outcome = results[self.enrollments[1].pk].modules[self.m3.pk]
        self.assertEqual((outcome.missed_periods, outcome.total_periods), (3, 3))
