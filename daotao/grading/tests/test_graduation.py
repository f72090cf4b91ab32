"""The graduation services: preview, the decision (training and fostering, supplementary
decisions) and the correction of a classification, each audited."""

from decimal import Decimal as D

from django.core.exceptions import PermissionDenied, ValidationError

from daotao.audit.models import AuditEntry, history
from daotao.cohorts.models import EnrollmentStatus
from daotao.grading import graduation
from daotao.grading.models import Classification, Grade, GraduationDecision, GraduationEntry
from daotao.grading.tests.test_graduation_base import DECIDED, GraduationWorldTestCase, fostering_cohort, grade_all


class GraduationDecideTests(GraduationWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        scores = [D("9.5"), D("8.5"), D("8.0"), D("7.5"), D("7.0")]
        for enrollment, score in zip(cls.enrollments, scores, strict=False):
            grade_all(enrollment, score)
        grade_all(cls.enrollments[5], D("8.0"), exam=D("3.0"))  # failed every exam: not yet

    def test_preview_splits_the_class(self):
        eligible, others = graduation.graduation_preview(self.cohort)
        self.assertEqual([r.enrollment for r in eligible], self.enrollments[:5])
        self.assertEqual([r.enrollment for r in others], [self.enrollments[5]])
        self.assertTrue(others[0].problems)

    def test_decision_records_entries_statuses_and_audit(self):
        decision = graduation.graduation_decide(
            user=self.office, cohort=self.cohort, number=" 58-QĐ/TCT ", date=DECIDED, signed_by="Hiệu trưởng"
        )
        self.assertEqual((decision.number, decision.created_by), ("58-QĐ/TCT", self.office))
        self.assertEqual(decision.entries.count(), 5)
        entry = GraduationEntry.objects.get(enrollment=self.enrollments[0])
        self.assertEqual((entry.average, entry.classification, entry.downgraded), (D("9.50"), "excellent", False))
        statuses = dict(self.cohort.enrollments.values_list("pk", "status"))
        self.assertEqual(statuses[self.enrollments[0].pk], EnrollmentStatus.COMPLETED)
        self.assertEqual(statuses[self.enrollments[5].pk], EnrollmentStatus.STUDYING)
        audit = history(entry).get()
        self.assertEqual((audit.action, audit.user, audit.note), ("graduation", self.office, "58-QĐ/TCT"))
        self.assertEqual(audit.changes["classification"], [None, "excellent"])
        self.assertEqual(history(decision).get().changes["number"], [None, "58-QĐ/TCT"])

    def test_a_supplementary_decision_covers_only_the_newly_passed(self):
        graduation.graduation_decide(user=self.office, cohort=self.cohort, number="58", date=DECIDED)
        with self.assertRaisesMessage(ValidationError, "Chưa có học viên nào của lớp đủ điều kiện tốt nghiệp"):
            graduation.graduation_decide(user=self.office, cohort=self.cohort, number="60", date=DECIDED)
        late = self.enrollments[5]
        exams = Grade.objects.filter(enrollment=late, assessment__is_exam=True)
        Grade.objects.bulk_create([Grade(enrollment=late, assessment=g.assessment, attempt=2, score=8) for g in exams])
        second = graduation.graduation_decide(user=self.office, cohort=self.cohort, number="72", date=DECIDED)
        entry = second.entries.get()
        self.assertEqual(entry.enrollment, late)
        self.assertTrue(entry.downgraded)  # retaken: one step lower
        self.assertEqual(GraduationEntry.objects.filter(enrollment__cohort=self.cohort).count(), 6)

    def test_refusals_change_nothing(self):
        for user in (self.board, self.coordinator, self.lecturer_user, self.student_user):
            with self.assertRaises(PermissionDenied):
                graduation.graduation_decide(user=user, cohort=self.cohort, number="1", date=DECIDED)
        with self.assertRaises(ValidationError) as caught:
            graduation.graduation_decide(user=self.office, cohort=self.cohort, number="  ", date=DECIDED)
        self.assertIn("number", caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            graduation.graduation_decide(user=self.office, cohort=self.cohort, number="1", date=None)
        with self.assertRaises(ValidationError):
            graduation.graduation_decide(user=self.office, cohort=self.cohort, number="x" * 65, date=DECIDED)
        self.assertFalse(GraduationDecision.objects.exists())
        self.assertFalse(AuditEntry.objects.exists())


class FosteringDecisionTests(GraduationWorldTestCase):
    def test_a_fostering_class_has_no_classification(self):
        cohort = fostering_cohort(self)
        first, second = cohort.enrollments.select_related("cohort__program").order_by("pk")
        grade_all(first, D("6.0"))
        grade_all(second, D("4.5"))  # a test under 5: no certificate
        decision = graduation.graduation_decide(user=self.office, cohort=cohort, number="9", date=DECIDED)
        entry = decision.entries.get()
        self.assertEqual((entry.enrollment, entry.average, entry.classification), (first, None, ""))
        with self.assertRaises(ValidationError):  # a fostering course is not classified
            graduation.graduation_entry_correct(user=self.office, entry=entry, classification="good", reason="x")


class GraduationEntryCorrectTests(GraduationWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for enrollment in cls.enrollments:
            grade_all(enrollment, D("8.5"))
        graduation.graduation_decide(user=cls.office, cohort=cls.cohort, number="58", date=DECIDED)
        cls.entry = GraduationEntry.objects.get(enrollment=cls.enrollments[1])

    def test_correction_is_audited_with_old_and_new_value(self):
        graduation.graduation_entry_correct(
            user=self.office, entry=self.entry, classification=Classification.EXCELLENT, reason="Phúc khảo HP2"
        )
        self.entry.refresh_from_db()
        self.assertEqual(self.entry.classification, "excellent")
        audit = AuditEntry.objects.get(action="classification_corrected")
        self.assertEqual(audit.changes, {"classification": ["good", "excellent"]})
        self.assertEqual((audit.user, audit.username, audit.note), (self.office, "office", "Phúc khảo HP2"))
        self.assertIsNotNone(audit.at)

    def test_refusals(self):
        cases = [
            ({"classification": "excellent", "reason": ""}, ValidationError),
            ({"classification": "best", "reason": "x"}, ValidationError),
            ({"classification": "good", "reason": "x"}, ValidationError),  # unchanged
        ]
        for kwargs, error in cases:
            with self.subTest(kwargs), self.assertRaises(error):
                graduation.graduation_entry_correct(user=self.office, entry=self.entry, **kwargs)
        with self.assertRaises(PermissionDenied):
            graduation.graduation_entry_correct(user=self.board, entry=self.entry, classification="fair", reason="x")
        self.entry.refresh_from_db()
        self.assertEqual(self.entry.classification, "good")
        self.assertFalse(AuditEntry.objects.filter(action="classification_corrected").exists())
