"""The demo's teaching year: a class taken from timetable to diplomas with a retake, a
downgrade, an essay flagged as a near-copy of an earlier year's, a reissued diploma; a
fostering class with a lost certificate replaced by a confirmation."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from daotao.accounts.models import User
from daotao.cohorts.models import Cohort
from daotao.demo import teaching_data as td
from daotao.essays.models import Essay
from daotao.grading import cohort_report
from daotao.grading.models import Credential, CredentialKind, CredentialStatus, GraduationEntry
from daotao.grading.results import cohort_results
from daotao.programs.models import ModuleKind
from daotao.teaching.models import FieldTrip, Lesson, SteeringCommitteeMember
from daotao.testing import DemoTestCase


class DemoTeachingTests(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tc = Cohort.objects.get(code=td.TC_CODE)
        cls.cv = Cohort.objects.get(code=td.CV_CODE)

    def test_the_curriculum_and_the_timetable(self):
        courses = self.tc.program.modules.filter(kind=ModuleKind.COURSE)
        self.assertEqual(sum(courses.values_list("periods", flat=True)), 1056)
        lessons = Lesson.objects.filter(cohort=self.tc)
        self.assertEqual(sum(lessons.values_list("periods", flat=True)), 1056)
        self.assertFalse(lessons.filter(attendance_taken_at__isnull=True).exists())
        self.assertEqual(self.tc.status, "closed")
        self.assertTrue(FieldTrip.objects.filter(cohort=self.tc, topics__isnull=False).exists())
        self.assertEqual(
            set(SteeringCommitteeMember.objects.filter(cohort=self.tc).values_list("side", flat=True)),
            {"school", "locality"},
        )

    def test_graduation_with_a_retake_and_downgrades(self):
        results = cohort_results(self.tc)
        self.assertEqual(sum(1 for r in results.values() if r.retaken), 1)
        self.assertGreaterEqual(sum(1 for r in results.values() if r.downgraded), 2)
        barred = [r for r in results.values() if not r.complete]
        self.assertEqual(len(barred), 1)
        self.assertEqual(GraduationEntry.objects.filter(enrollment__cohort=self.tc).count(), len(results) - 1)
        report = cohort_report.build(self.tc)
        # Each band with its share of the 29 graduates, rounded half up on its own.
        self.assertEqual(
            report.summary,
            "29/30 học viên đủ điều kiện tốt nghiệp, trong đó 1 Xuất sắc (3,45%), 7 Giỏi (24,14%), 19 Khá (65,52%), "
            "2 Trung bình (6,90%)",
        )
        self.assertEqual(len(results), 30)
        self.assertGreater(report.held, 200)
        self.assertLess(report.active, report.held)

    def test_diplomas_with_a_reissue(self):
        diplomas = Credential.objects.filter(enrollment__cohort=self.tc, kind=CredentialKind.DIPLOMA)
        self.assertEqual(diplomas.filter(status=CredentialStatus.VALID).count(), len(cohort_results(self.tc)) - 1)
        replaced = diplomas.get(status=CredentialStatus.REPLACED)
        self.assertEqual(replaced.replaced_by.status, CredentialStatus.VALID)
        self.assertEqual(diplomas.values("register_number").distinct().count(), diplomas.count())

    def test_an_essay_flagged_as_near_duplicate_of_an_earlier_year(self):
        flagged = Essay.objects.get(title=td.NEW_ESSAY_TITLE)
        old = Essay.objects.get(title=td.OLD_ESSAY_TITLE)
        self.assertIn(old.pk, {item["essay"] for item in flagged.similar})
        self.assertLess(old.enrollment.cohort.opening_date.year, 2025)
        self.assertEqual(Essay.objects.filter(enrollment__cohort=self.tc, status="graded").count(), td.TC_ESSAYS)

    def test_a_lost_certificate_confirmed(self):
        confirmation = Credential.objects.get(enrollment__cohort=self.cv, kind=CredentialKind.CONFIRMATION)
        self.assertEqual(confirmation.replaces.kind, CredentialKind.CERTIFICATE)
        self.assertEqual(confirmation.replaces.status, CredentialStatus.REPLACED)
        self.assertEqual(
            Credential.objects.filter(enrollment__cohort=self.cv, kind=CredentialKind.CERTIFICATE).count(),
            len(cohort_results(self.cv)) - 2,
        )

    def test_demo_lecturer_and_student_sign_in_to_their_pages(self):
        lecturer = User.objects.get(username=td.LECTURER_USERNAME)
        self.client.force_login(lecturer)
        self.assertTemplateUsed(self.client.get("/staff/"), "dashboards/lecturer_home.html")
        self.assertContains(self.client.get("/teaching/my/"), "I.1")
        student = User.objects.get(username=td.STUDENT_USERNAME)
        self.client.force_login(student)
        self.assertContains(self.client.get("/staff/"), td.TC_CODE)  # her home: next lessons and results
        self.assertContains(self.client.get("/grading/my/"), td.TC_CODE)

    def test_loading_again_changes_nothing(self):
        counts = (Lesson.objects.count(), Credential.objects.count(), Essay.objects.count())
        call_command("load_demo", stdout=StringIO())
        self.assertEqual((Lesson.objects.count(), Credential.objects.count(), Essay.objects.count()), counts)
