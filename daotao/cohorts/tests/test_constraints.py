"""Invariants the database itself keeps."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from daotao.cohorts.models import Enrollment
from daotao.testing import WorldTestCase, make_cohort, make_student


class CohortConstraintTests(WorldTestCase):
    def test_closing_not_before_opening(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_cohort("X", self.programs["BD-CV"], self.school, dt.date(2020, 5, 1), dt.date(2020, 4, 30))
        same_day = make_cohort("Y", self.programs["BD-CV"], self.school, dt.date(2020, 5, 1), dt.date(2020, 5, 1))
        self.assertEqual(same_day.closing_date, same_day.opening_date)

    def test_clean_explains_the_dates(self):
        cohort = make_cohort("Z", self.programs["BD-CV"], self.school, dt.date(2020, 5, 1))
        cohort.closing_date = dt.date(2020, 4, 1)
        with self.assertRaises(ValidationError) as caught:
            cohort.full_clean()
        self.assertIn("closing_date", caught.exception.message_dict)

    def test_one_enrollment_per_student_per_cohort(self):
        cohort = make_cohort("E", self.programs["BD-CV"], self.school, dt.date(2020, 5, 1))
        student = make_student("Võ Thị Sáu")
        Enrollment.objects.create(cohort=cohort, student=student)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Enrollment.objects.create(cohort=cohort, student=student, status="cancelled")

    def test_class_codes_are_unique(self):
        make_cohort("U", self.programs["BD-CV"], self.school, dt.date(2020, 5, 1))
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_cohort("U", self.programs["BD-CVC"], self.school, dt.date(2021, 5, 1))
