"""Recording one grade: parsed by the rules, scoped to the assigned lecturer, audited."""

import datetime as dt
from decimal import Decimal as D

from django.core.exceptions import PermissionDenied, ValidationError

from daotao.audit.models import AuditEntry, history
from daotao.grading.models import Grade
from daotao.grading.services import grade_record
from daotao.testing import TeachingWorldTestCase


class GradeRecordTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.test, cls.exam = cls.m1.assessments.order_by("order")
        cls.first = cls.enrollments[0]

    def record(self, value, user=None, assessment=None, attempt=1, enrollment=None):
        return grade_record(
            user=user or self.lecturer_user,
            enrollment=enrollment or self.first,
            assessment=assessment or self.test,
            attempt=attempt,
            value=value,
        )

    def test_scores_are_parsed_and_rounded(self):
        self.assertEqual(self.record("7,25").score, D("7.3"))
        self.assertEqual(self.record("7.24").score, D("7.2"))
        self.assertEqual(self.record("0").score, D("0"))
        self.assertEqual(self.record("10").score, D("10"))

    def test_refused_values_change_nothing(self):
        self.record("6")
        for typed in ("10,1", "-0,1", "abc", "11"):
            with self.subTest(typed=typed), self.assertRaises(ValidationError):
                self.record(typed)
        self.assertEqual(Grade.objects.get().score, D("6"))

    def test_absent_only_for_the_exam(self):
        grade = self.record("v", assessment=self.exam)
        self.assertTrue(grade.absent)
        self.assertIsNone(grade.score)
        with self.assertRaises(ValidationError):
            self.record("v", assessment=self.test)

    def test_clearing_a_cell(self):
        self.record("6")
        self.assertIsNone(self.record(""))
        self.assertFalse(Grade.objects.exists())

    def test_every_change_is_audited_with_before_and_after(self):
        grade = self.record("6")
        self.record("6,0")  # the same value: no entry
        self.record("7,5", user=self.office)
        self.record("")
        entries = list(AuditEntry.objects.filter(action="grade").order_by("id"))
        self.assertEqual(len(entries), 3)
        self.assertEqual(entries[0].changes["score"], [None, "6.0"])
        self.assertEqual(entries[0].username, "gv1")
        self.assertEqual(entries[1].changes["score"], ["6.0", "7.5"])
        self.assertEqual(entries[1].username, "office")
        self.assertEqual(entries[2].changes["score"], ["7.5", None])
        self.assertEqual(len(history(grade)), 3)

    def test_only_assigned_lecturers_and_the_office(self):
        self.record("6", user=self.office)
        for user in (self.other_lecturer_user, self.coordinator, self.board, self.student_user, self.nobody):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.record("7", user=user)
        # gv2 teaches m3 in this class, not m1.
        m3_test = self.m3.assessments.get(is_exam=False)
        self.assertEqual(self.record("8", user=self.other_lecturer_user, assessment=m3_test).score, D("8"))
        with self.assertRaises(PermissionDenied):
            self.record("8", assessment=m3_test)

    def test_closed_class_only_for_the_office(self):
        self.cohort.status = "closed"
        self.cohort.closing_date = dt.date(2026, 9, 1)
        self.cohort.save()
        self.first.refresh_from_db()
        with self.assertRaises(PermissionDenied):
            self.record("6")
        self.assertEqual(self.record("6", user=self.office).score, D("6"))

    def test_a_retake_only_after_a_failed_or_missed_exam(self):
        self.record("6")
        with self.assertRaises(ValidationError):
            self.record("9", assessment=self.exam, attempt=2)  # no first attempt yet
        self.record("8", assessment=self.exam)
        with self.assertRaises(ValidationError):
            self.record("9", assessment=self.exam, attempt=2)  # passed: 7,4
        self.record("3", assessment=self.exam)
        self.assertEqual(self.record("9", assessment=self.exam, attempt=2).score, D("9"))
        with self.assertRaises(ValidationError):
            self.record("9", assessment=self.exam, attempt=3)  # one retake only
        with self.assertRaises(ValidationError):
            self.record("9", assessment=self.test, attempt=2)  # only the exam is retaken
