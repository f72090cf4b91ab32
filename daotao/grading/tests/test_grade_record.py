"""Recording one grade: parsed by the rules, scoped to the assigned lecturer, audited."""

import datetime as dt
from decimal import Decimal as D

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from daotao.audit.models import AuditEntry, history
from daotao.grading.models import Grade
from daotao.grading.services import grade_record, grades_bulk_record
from daotao.teaching.models import Attendance, Lesson
from daotao.testing import TeachingWorldTestCase, make_module


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

    def test_a_decimal_is_accepted_as_typed(self):
        self.assertEqual(self.record(D("7.25")).score, D("7.3"))
        with self.assertRaises(ValidationError):
            self.record(D("10.1"))

    def test_clearing_a_cell_keeps_its_history(self):
        grade = self.record("6")
        cleared = self.record("")
        self.assertEqual((cleared.pk, cleared.score, cleared.absent), (grade.pk, None, False))
        self.assertEqual(len(history(grade)), 2)
        self.assertIsNone(self.record("", enrollment=self.enrollments[1]))  # empty stays empty
        self.assertEqual(Grade.objects.count(), 1)
        self.assertEqual(self.record("8").pk, grade.pk)

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

    def test_an_assessment_of_another_program_is_refused(self):
        other = make_module(self.programs["BD-CV"], "CV1", 20)
        with self.assertRaises(ValidationError):
            self.record("6", user=self.office, assessment=other.assessments.first())
        self.assertFalse(Grade.objects.exists())

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

    def test_a_retake_after_missing_the_exam_but_not_when_barred(self):
        self.record("6")
        self.record("v", assessment=self.exam)
        self.assertEqual(self.record("7", assessment=self.exam, attempt=2).score, D("7"))
        self.assertEqual(self.record("7,5", assessment=self.exam, attempt=2).score, D("7.5"))  # corrected
        # Missed 2 of 4 lessons of m1: barred from the exam, so no retake either.
        barred = self.enrollments[1]
        lessons = [
            Lesson.objects.create(
                cohort=self.cohort, module=self.m1, lecturer=self.lecturer, date=dt.date(2026, 4, day),
                session="morning", periods=5, attendance_taken_at=timezone.now(),
            )
            for day in (1, 2, 3, 4)
        ]  # fmt: skip
        for lesson in lessons[:2]:
            Attendance.objects.create(lesson=lesson, enrollment=barred, status="unexcused")
        self.record("6", enrollment=barred)
        self.record("3", enrollment=barred, assessment=self.exam)
        with self.assertRaises(ValidationError):
            self.record("8", enrollment=barred, assessment=self.exam, attempt=2)

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


class GradesBulkRecordTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.test, cls.exam = cls.m1.assessments.order_by("order")

    def bulk(self, rows, user=None):
        return grades_bulk_record(user=user or self.lecturer_user, cohort=self.cohort, module=self.m1, rows=rows)

    def test_all_cells_audited_one_by_one(self):
        first, second = self.enrollments[:2]
        grade_record(user=self.lecturer_user, enrollment=first, assessment=self.test, value="6")
        changed = self.bulk(
            [(first, self.test, 1, "6"), (first, self.exam, 1, "3"), (first, self.exam, 2, "8"),
             (second, self.test, 1, "7,5"), (second, self.exam, 1, "")]
        )  # fmt: skip
        self.assertEqual(changed, 3)
        self.assertEqual(AuditEntry.objects.filter(action="grade").count(), 4)
        self.assertEqual(Grade.objects.get(enrollment=first, assessment=self.exam, attempt=2).score, D("8"))

    def test_all_or_nothing(self):
        first, second = self.enrollments[:2]
        with self.assertRaises(ValidationError):
            self.bulk([(first, self.test, 1, "6"), (second, self.test, 1, "10,5")])
        with self.assertRaises(ValidationError) as refused:
            # The retake of a passed exam is refused after the first cells were written.
            self.bulk([(first, self.test, 1, "6"), (first, self.exam, 1, "9"), (first, self.exam, 2, "8")])
        self.assertIn(first.student.full_name, refused.exception.messages[0])
        self.assertFalse(Grade.objects.exists())
        self.assertFalse(AuditEntry.objects.exists())

    def test_scope_and_sheet_are_checked(self):
        first = self.enrollments[0]
        with self.assertRaises(PermissionDenied):
            self.bulk([(first, self.test, 1, "6")], user=self.other_lecturer_user)
        with self.assertRaises(ValidationError):
            self.bulk([(self.other_enrollments[0], self.test, 1, "6")], user=self.office)
        with self.assertRaises(ValidationError):
            self.bulk([(first, self.m2.assessments.first(), 1, "6")])
        self.assertFalse(Grade.objects.exists())
