"""What lecturers and students see of classes, enrollments and students."""

from daotao.cohorts.models import Cohort, Enrollment
from daotao.people.models import Student
from daotao.teaching.access import may_record
from daotao.testing import TeachingWorldTestCase


class LecturerAndStudentScopeTests(TeachingWorldTestCase):
    def test_lecturer_sees_the_classes_assigned_to_them(self):
        self.assertEqual(list(Cohort.objects.visible_to(self.lecturer_user)), [self.cohort])
        self.assertEqual(set(Cohort.objects.visible_to(self.other_lecturer_user)), {self.cohort, self.other_cohort})

    def test_lecturer_sees_the_students_of_their_classes_only(self):
        seen = set(Student.objects.visible_to(self.lecturer_user).values_list("pk", flat=True))
        self.assertEqual(seen, {e.student_id for e in self.enrollments})
        self.assertEqual(Enrollment.objects.visible_to(self.lecturer_user).count(), 6)

    def test_student_sees_only_themself(self):
        own = self.enrollments[0]
        self.assertEqual(list(Student.objects.visible_to(self.student_user)), [own.student])
        self.assertEqual(list(Enrollment.objects.visible_to(self.student_user)), [own])
        self.assertEqual(list(Cohort.objects.visible_to(self.student_user)), [self.cohort])

    def test_lecturer_records_only_assigned_modules(self):
        self.assertTrue(may_record(self.lecturer_user, self.cohort.pk, self.m1.pk))
        self.assertFalse(may_record(self.lecturer_user, self.cohort.pk, self.m3.pk))
        self.assertFalse(may_record(self.lecturer_user, self.other_cohort.pk, self.m1.pk))
        self.assertTrue(may_record(self.office, self.other_cohort.pk, self.m3.pk))
        self.assertFalse(may_record(self.coordinator, self.cohort.pk, self.m1.pk))
        self.assertFalse(may_record(self.student_user, self.cohort.pk, self.m1.pk))

    def test_other_roles_are_unchanged(self):
        self.assertEqual(Cohort.objects.visible_to(self.coordinator).count(), 1)
        self.assertEqual(Cohort.objects.visible_to(self.nobody).count(), 0)
