"""The list's "over the limit" agrees with the class's results (and so with the exam's roll)
while a module's lessons are still being held: both divide by the periods held so far."""

from __future__ import annotations

from daotao.alerts.risk import absences
from daotao.alerts.tests.base import AlertsWorldTestCase, absent, schedule
from daotao.cohorts.models import Cohort
from daotao.grading.results import cohort_results


class AgreesWithResultsTests(AlertsWorldTestCase):
    def test_over_the_limit_as_the_results_say(self):
        # Six lessons of 5 periods planned, three held; one missed: 5 of 15 held (33%) is over
        # the 20% limit, though 5 of the 30 planned would not be.
        lessons = schedule(self.cohort, self.m1, self.lecturer, [5] * 6, held=3)
        absent(self.enrollments[0], lessons[:1])
        row = next(r for r in absences(Cohort.objects.filter(pk=self.cohort.pk)) if r.module == self.m1)
        outcome = cohort_results(self.cohort)[self.enrollments[0].pk].modules[self.m1.pk]
        self.assertEqual((row.missed, row.periods, row.held), (5, 30, 15))
        self.assertTrue(outcome.exam_barred)
        self.assertTrue(row.over)
