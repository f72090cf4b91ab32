"""The demo's exam marked by code: I.2 of TCX02-2025-01, its barred student left out with
the reason, marked by the module's lecturer and decoded, the exam grades the decoded marks."""

from daotao.audit.models import AuditEntry
from daotao.demo import teaching_data as td
from daotao.demo.teaching import BARRED, BARRED_MODULE
from daotao.exams.barring import exam_roll
from daotao.exams.models import Candidate, ExamSession, ExamStatus, ScriptLink
from daotao.grading.models import Grade
from daotao.testing import DemoTestCase


class DemoExamTests(DemoTestCase):
    def test_the_demo_exam_was_marked_by_code_and_decoded(self):
        exam = ExamSession.objects.select_related("cohort", "assessment__module").get(cohort__code=td.TC_CODE)
        self.assertEqual(exam.assessment.module.code, BARRED_MODULE)
        self.assertTrue(exam.anonymised)
        self.assertEqual(exam.status, ExamStatus.DECODED)
        self.assertEqual(exam.rooms.count(), 2)
        self.assertEqual({room.room.centre_id for room in exam.rooms.all()}, {exam.cohort.host_locality_id, None})
        enrollments = list(exam.cohort.enrollments.order_by("pk"))
        barred = enrollments[BARRED]
        roll = exam_roll(exam)
        self.assertEqual([enrollment for enrollment, _reasons in roll.barred], [barred])
        self.assertFalse(Candidate.objects.filter(exam=exam, enrollment=barred).exists())
        self.assertEqual(Candidate.objects.filter(exam=exam).count(), td.TC_STUDENTS - 1)
        links = ScriptLink.objects.filter(script__exam=exam).select_related("script", "candidate")
        self.assertEqual(len(links), td.TC_STUDENTS - 1)
        for link in links:
            grade = Grade.objects.get(enrollment=link.candidate.enrollment_id, assessment=exam.assessment, attempt=1)
            self.assertEqual(grade.score, link.script.score)
        self.assertFalse(Grade.objects.filter(enrollment=barred, assessment=exam.assessment).exists())
        marks = AuditEntry.objects.filter(action="exam.mark")
        self.assertEqual(marks.count(), td.TC_STUDENTS - 1)
        self.assertEqual(set(marks.values_list("username", flat=True)), {td.LECTURER_USERNAME})
        for action in ("exam.seal", "exam.decode"):
            self.assertEqual(AuditEntry.objects.get(action=action).username, "daotao")
