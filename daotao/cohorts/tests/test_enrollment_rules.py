"""The named rules about enrollments and classes that pages, services, exports and the API
share: who is on the roll, who a survey asks, when a class is closed and which days it covers."""

import datetime as dt

from django.test import SimpleTestCase

from daotao.cohorts.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus
from daotao.testing import WorldTestCase, enroll, make_cohort

D = dt.date


class EnrollmentRuleTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        tc = cls.programs["TC-LLCT-HC"]
        cls.cohort = make_cohort("TC-1", tc, cls.h01, D(2020, 3, 2))
        for status in EnrollmentStatus.values:
            enroll(cls.cohort, 1, status=status)
        # A cancelled class keeps its enrollments on its roll: counting leaves it out, not the roll.
        cls.cancelled = make_cohort("TC-2", tc, cls.h01, D(2020, 4, 6), status="cancelled")
        enroll(cls.cancelled, 1)

    def statuses(self, enrollments) -> set[str]:
        return set(enrollments.filter(cohort=self.cohort).values_list("status", flat=True))

    def test_on_roll_is_every_enrollment_not_cancelled(self):
        self.assertEqual(self.statuses(Enrollment.objects.on_roll()), set(EnrollmentStatus.values) - {"cancelled"})
        self.assertEqual(Enrollment.objects.filter(cohort=self.cancelled).on_roll().count(), 1)
        self.assertEqual(self.cohort.enrollments.on_roll().count(), len(EnrollmentStatus.values) - 1)

    def test_a_survey_asks_everyone_who_still_belongs_to_the_class(self):
        asked = {"studying", "completed", "deferred"}
        self.assertEqual(self.statuses(Enrollment.objects.askable()), asked)
        self.assertEqual(self.statuses(Enrollment.objects.not_askable()), set(EnrollmentStatus.values) - asked)

    def test_closed_classes_one_and_many(self):
        tc = self.programs["TC-LLCT-HC"]
        for status in CohortStatus.values:
            make_cohort(f"S-{status}", tc, self.h01, D(2021, 1, 4), status=status)
        by_status = {cohort.status: cohort for cohort in Cohort.objects.filter(code__startswith="S-")}
        self.assertEqual({s for s, cohort in by_status.items() if cohort.is_closed}, {"closed", "cancelled"})
        still_open = set(Cohort.objects.filter(code__startswith="S-").not_closed().values_list("status", flat=True))
        self.assertEqual(still_open, {"planned", "open"})


class CoversTests(SimpleTestCase):
    def test_a_class_covers_its_days_from_opening_to_closing(self):
        cohort = Cohort(opening_date=D(2026, 3, 2), closing_date=D(2026, 6, 30))
        for day, covered in [
            (D(2026, 3, 1), False),
            (D(2026, 3, 2), True),
            (D(2026, 6, 30), True),
            (D(2026, 7, 1), False),
        ]:
            with self.subTest(day=day):
                self.assertEqual(cohort.covers(day), covered)

    def test_a_class_without_a_closing_date_runs_on(self):
        cohort = Cohort(opening_date=D(2026, 3, 2))
        self.assertTrue(cohort.covers(D(2030, 1, 1)))
        self.assertFalse(cohort.covers(D(2026, 3, 1)))
