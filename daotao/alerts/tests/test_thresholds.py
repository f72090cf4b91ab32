"""The threshold maths: a share of the absence limit, exactly at it, just below, several at
once, and the limit itself as the grading rule has it (``exam_allowed``)."""

from decimal import Decimal

from django.test import SimpleTestCase

from daotao.alerts.risk import ModuleAbsence
from daotao.alerts.sending import number_text
from daotao.grading.rules import DEFAULT_RULES, Rules, absence_limit, absence_reaches, exam_allowed
from daotao.programs.models import Module

THRESHOLDS = (50, 80, 100)


def row(missed, periods, rules=DEFAULT_RULES):
    return ModuleAbsence(enrollment=None, module=Module(code="HP1"), missed=missed, periods=periods, rules=rules)


class LimitTests(SimpleTestCase):
    def test_the_limit_is_the_rules_share_of_the_periods(self):
        self.assertEqual(absence_limit(60), Decimal(12))
        self.assertEqual(absence_limit(72), Decimal("14.4"))
        self.assertEqual(absence_limit(60, Rules(max_absence_percent=30)), Decimal(18))
        self.assertEqual(number_text(absence_limit(72)), "14,4")
        self.assertEqual(number_text(absence_limit(60)), "12")
        self.assertEqual(number_text(absence_limit(73, Rules(max_absence_percent=15))), "10,95")
        self.assertEqual(number_text(absence_limit(5300)), "1.060")

    def test_reaching_the_limit_is_not_yet_over_it(self):
        # 12 of 60 at 20%: the limit reached, the exam still allowed; 13 is over.
        self.assertTrue(absence_reaches(12, 60, 100))
        self.assertTrue(exam_allowed(12, 60))
        self.assertFalse(row(12, 60).over)
        self.assertTrue(row(12, 60).at_limit)
        self.assertTrue(row(13, 60).over)

    def test_a_fractional_limit_is_reached_only_by_passing_it(self):
        # 14,4 periods of 72: 14 is 97,2% of it, 15 is over it (and bars the exam).
        self.assertFalse(absence_reaches(14, 72, 100))
        self.assertTrue(absence_reaches(15, 72, 100))
        self.assertFalse(exam_allowed(15, 72))
        self.assertTrue(row(15, 72).over)


class ThresholdTests(SimpleTestCase):
    def test_exactly_at_a_threshold_counts(self):
        # Limit 10 periods (50 planned): 5 missed is exactly 50% of it, 8 exactly 80%.
        self.assertEqual(row(5, 50).reached(THRESHOLDS), [50])
        self.assertEqual(row(8, 50).reached(THRESHOLDS), [50, 80])
        self.assertEqual(row(10, 50).reached(THRESHOLDS), [50, 80, 100])

    def test_just_below_a_threshold_does_not(self):
        # Limit 10,2 (51 planned): 5 missed is 49,0%, 8 is 78,4%, 10 is 98,0%.
        self.assertEqual(row(5, 51).reached(THRESHOLDS), [])
        self.assertEqual(row(8, 51).reached(THRESHOLDS), [50])
        self.assertEqual(row(10, 51).reached(THRESHOLDS), [50, 80])
        self.assertEqual(row(11, 51).reached(THRESHOLDS), [50, 80, 100])

    def test_several_crossed_at_once(self):
        self.assertEqual(row(15, 60).reached(THRESHOLDS), [50, 80, 100])
        self.assertEqual(row(15, 60).share, Decimal("1.25"))

    def test_nothing_without_absences_or_periods(self):
        self.assertEqual(row(0, 60).reached(THRESHOLDS), [])
        self.assertEqual(row(5, 0).reached(THRESHOLDS), [])
        self.assertIsNone(row(5, 0).share)

    def test_a_limit_of_nothing_warns_at_the_first_absence(self):
        strict = Rules(max_absence_percent=0)
        self.assertEqual(row(1, 60, strict).reached(THRESHOLDS), [50, 80, 100])
        self.assertTrue(row(1, 60, strict).over)
        self.assertEqual(row(0, 60, strict).reached(THRESHOLDS), [])
        self.assertIsNone(row(1, 60, strict).share)

    def test_the_programs_own_limit(self):
        generous = Rules(max_absence_percent=30)  # 18 of 60
        self.assertEqual(row(9, 60, generous).reached(THRESHOLDS), [50])
        self.assertEqual(row(12, 60, generous).reached(THRESHOLDS), [50])
        self.assertEqual(row(15, 60, generous).reached(THRESHOLDS), [50, 80])
