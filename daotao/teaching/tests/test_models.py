"""The one rule for "taught with active methods", derived into the lecture log; who sees
which teaching records."""

from daotao.teaching.models import (
    ActiveMethod,
    ClassOfficer,
    FieldTrip,
    LectureLog,
    Lesson,
    PeerObservation,
    SteeringCommitteeMember,
    TeachingAssignment,
    taught_with_active_methods,
)
from daotao.teaching.tests.base import DAY, TeachingTestCase


class TaughtWithActiveMethodsTests(TeachingTestCase):
    def test_any_of_the_three_methods_to_use_more(self):
        for method in (ActiveMethod.PRACTICE, ActiveMethod.DIALOGUE, ActiveMethod.CASE_HANDLING):
            self.assertTrue(taught_with_active_methods([method]), method)
        self.assertTrue(taught_with_active_methods(["less_dictation", "case_handling"]))

    def test_only_using_less_of_the_bad_ones_is_not_enough(self):
        self.assertFalse(taught_with_active_methods(["less_theory", "less_monologue", "less_dictation"]))
        self.assertFalse(taught_with_active_methods([]))
        self.assertFalse(taught_with_active_methods(None))
        self.assertFalse(taught_with_active_methods(["shouting"]))

    def test_the_log_stores_the_rule_on_save(self):
        lesson = Lesson.objects.create(
            cohort=self.cohort, module=self.m1, lecturer=self.lecturer, date=DAY, session="morning"
        )
        log = LectureLog.objects.create(lesson=lesson, methods=["less_theory"])
        self.assertFalse(LectureLog.objects.get(pk=log.pk).uses_active_methods)
        log.methods = ["practice"]
        log.save()
        self.assertTrue(LectureLog.objects.get(pk=log.pk).uses_active_methods)


class VisibilityTests(TeachingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.here = cls.schedule()
        cls.there = cls.schedule(cohort=cls.other_cohort, lecturer=cls.other_lecturer)
        PeerObservation.objects.create(lesson=cls.there, observer=cls.lecturer, rating="good")
        ClassOfficer.objects.create(enrollment=cls.enrollments[0], role="monitor")
        ClassOfficer.objects.create(enrollment=cls.other_enrollments[0], role="monitor")
        for cohort in (cls.cohort, cls.other_cohort):
            SteeringCommitteeMember.objects.create(cohort=cohort, full_name="Ủy viên", side="school")
            FieldTrip.objects.create(cohort=cohort, locality=cls.x01, start_date=DAY, end_date=DAY)

    def test_the_office_sees_everything(self):
        self.assertEqual(Lesson.objects.visible_to(self.office).count(), 2)
        self.assertEqual(ClassOfficer.objects.visible_to(self.office).count(), 2)
        self.assertEqual(TeachingAssignment.objects.visible_to(self.office).count(), 4)

    def test_a_coordinator_sees_the_records_of_their_localitys_classes(self):
        self.assertEqual(list(Lesson.objects.visible_to(self.coordinator)), [self.here])
        self.assertEqual(ClassOfficer.objects.visible_to(self.coordinator).get().enrollment, self.enrollments[0])
        self.assertEqual(SteeringCommitteeMember.objects.visible_to(self.coordinator).get().cohort, self.cohort)
        self.assertEqual(FieldTrip.objects.visible_to(self.coordinator).get().cohort, self.cohort)
        self.assertFalse(PeerObservation.objects.visible_to(self.coordinator).exists())

    def test_a_lecturer_sees_their_own_observations_of_other_classes(self):
        self.assertEqual(PeerObservation.objects.visible_to(self.lecturer_user).count(), 1)
        self.assertEqual(PeerObservation.objects.visible_to(self.other_lecturer_user).count(), 1)  # of their lesson
        self.assertEqual(list(Lesson.objects.visible_to(self.lecturer_user)), [self.here])

    def test_a_student_and_nobody(self):
        self.assertEqual(list(Lesson.objects.visible_to(self.student_user)), [self.here])
        self.assertFalse(Lesson.objects.visible_to(self.nobody).exists())
        self.assertFalse(FieldTrip.objects.visible_to(self.nobody).exists())
