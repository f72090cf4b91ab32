"""Essays: topics from the bank or approved by the faculty, one essay per enrollment, the
graders' own marks reconciled by the program's rule, every mark and score audited."""

import datetime as dt
from decimal import Decimal as D

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from daotao.audit.models import AuditEntry, history
from daotao.essays import services
from daotao.essays.models import Essay, EssayStatus
from daotao.essays.tests.files import pdf_bytes
from daotao.essays.tests.world import TEXT, EssayWorldTestCase, assigned, graded, register, submitted
from daotao.grading.models import GradingRules
from daotao.testing import enroll, make_cohort, make_module


class RegistrationTests(EssayWorldTestCase):
    def register_own(self, **kwargs):
        return services.essay_register(user=self.student_user, enrollment=self.own, **kwargs)

    def test_a_topic_from_the_bank_is_approved_at_once_with_its_title(self):
        essay = self.register_own(local_issue=self.issue)
        self.assertEqual(
            (essay.status, essay.title, essay.local_issue), (EssayStatus.APPROVED, self.issue.title, self.issue)
        )
        with self.assertRaises(ValidationError):
            self.register_own(title="Đổi ý")  # approved: no longer changed here

    def test_an_unapproved_issue_cannot_be_chosen(self):
        with self.assertRaises(ValidationError) as raised:
            self.register_own(local_issue=self.proposal)
        self.assertIn("local_issue", raised.exception.message_dict)

    def test_an_own_topic_waits_for_the_faculty_and_may_be_changed_meanwhile(self):
        essay = self.register_own(title="  Nâng cao chất lượng   hòa giải ở cơ sở ")
        self.assertEqual((essay.status, essay.title), (EssayStatus.REGISTERED, "Nâng cao chất lượng hòa giải ở cơ sở"))
        essay = self.register_own(title="Đề tài khác")
        self.assertEqual(Essay.objects.get().title, "Đề tài khác")
        self.assertEqual(Essay.objects.count(), 1)

    def test_rejected_then_registered_again_then_approved(self):
        essay = self.register_own(title="Nâng cao chất lượng hòa giải ở cơ sở")
        with self.assertRaises(ValidationError):  # a rejection needs a reason
            services.essay_topic_decide(user=self.office, essay=essay, approve=False)
        services.essay_topic_decide(user=self.office, essay=essay, approve=False, reason="Trùng đề tài năm trước")
        self.assertEqual((essay.status, essay.topic_note), (EssayStatus.REJECTED, "Trùng đề tài năm trước"))
        with self.assertRaises(ValidationError):  # nothing to decide on a rejected topic
            services.essay_topic_decide(user=self.office, essay=essay, approve=True)
        essay = self.register_own(title="Đề tài khác")
        self.assertEqual((essay.status, essay.topic_note), (EssayStatus.REGISTERED, ""))
        services.essay_topic_decide(user=self.office, essay=essay, approve=True)
        self.assertEqual(Essay.objects.get().status, EssayStatus.APPROVED)
        self.assertEqual(history(essay).filter(action="essay_topic").count(), 2)

    def test_the_supervisor_may_decide_other_lecturers_and_the_student_may_not(self):
        essay = self.register_own(title="Nâng cao chất lượng hòa giải ở cơ sở")
        for user in (self.student_user, self.lecturer_user, self.coordinator, self.board):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.essay_topic_decide(user=user, essay=essay, approve=True)
        services.essay_assign(
            user=self.office,
            essay=essay,
            supervisor=self.lecturer,
            first_grader=self.other_lecturer,
            second_grader=self.grader,
        )
        services.essay_topic_decide(user=self.lecturer_user, essay=essay, approve=True)
        self.assertEqual(essay.status, EssayStatus.APPROVED)

    def test_only_oneself_or_the_office(self):
        for user in (self.other_student_user, self.lecturer_user, self.coordinator, self.board, self.nobody):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.essay_register(user=user, enrollment=self.own, title="X")
        essay = services.essay_register(user=self.office, enrollment=self.enrollments[1], title="Đề tài của lớp")
        self.assertEqual(essay.status, EssayStatus.REGISTERED)

    def test_a_topic_is_needed(self):
        with self.assertRaises(ValidationError) as raised:
            self.register_own(title="   ")
        self.assertIn("title", raised.exception.message_dict)

    def test_only_programs_with_a_graduation_module(self):
        program = self.programs["BD-CV"]
        make_module(program, "CV1", 8)
        cohort = make_cohort("CV01", program, self.h01, dt.date(2026, 5, 4))
        (enrollment,) = enroll(cohort, 1)
        with self.assertRaises(ValidationError):
            services.essay_register(user=self.office, enrollment=enrollment, title="X")
        self.assertFalse(Essay.objects.exists())

    def test_not_for_a_student_who_left_the_class(self):
        (withdrawn,) = enroll(self.cohort, 1, status="withdrawn")
        with self.assertRaises(ValidationError):
            services.essay_register(user=self.office, enrollment=withdrawn, title="X")

    def test_registration_is_audited(self):
        essay = self.register_own(title="Đề tài riêng")
        entry = history(essay).get(action="essay_register")
        self.assertEqual(entry.changes["status"], [None, "registered"])
        self.assertEqual(entry.user, self.student_user)


class AssignmentTests(EssayWorldTestCase):
    def test_only_the_office_assigns(self):
        essay = register(self, local_issue=self.issue)
        with self.assertRaises(PermissionDenied):
            services.essay_assign(
                user=self.lecturer_user,
                essay=essay,
                supervisor=self.lecturer,
                first_grader=self.lecturer,
                second_grader=self.grader,
            )

    def test_two_different_graders(self):
        essay = register(self, local_issue=self.issue)
        with self.assertRaises(ValidationError) as raised:
            services.essay_assign(
                user=self.office,
                essay=essay,
                supervisor=self.lecturer,
                first_grader=self.grader,
                second_grader=self.grader,
            )
        self.assertIn("second_grader", raised.exception.message_dict)

    def test_replacing_a_grader_who_marked_takes_the_mark_away(self):
        essay = graded(self, "7", "7,5")
        self.assertEqual(essay.score, D("7.3"))
        essay = services.essay_assign(
            user=self.office,
            essay=essay,
            supervisor=self.lecturer,
            first_grader=self.lecturer,
            second_grader=self.grader,
        )
        self.assertEqual(
            (essay.first_score, essay.second_score, essay.score, essay.status),
            (None, D("7.5"), None, EssayStatus.SUBMITTED),
        )
        entry = history(essay).filter(action="essay_assign").first()  # newest first
        self.assertEqual(entry.changes["first_score"], ["7.0", None])
        self.assertEqual(entry.changes["score"], ["7.3", None])


class SubmissionTests(EssayWorldTestCase):
    def test_after_approval_until_marked(self):
        essay = register(self, title="Đề tài riêng")
        with self.assertRaises(ValidationError):
            services.essay_submit(user=self.student_user, essay=essay, text=TEXT)
        services.essay_topic_decide(user=self.office, essay=essay, approve=True)
        with self.assertRaises(PermissionDenied):
            services.essay_submit(user=self.other_student_user, essay=essay, text=TEXT)
        with self.assertRaises(ValidationError) as raised:
            services.essay_submit(user=self.student_user, essay=essay, text="  ")
        self.assertIn("text", raised.exception.message_dict)
        essay = services.essay_submit(user=self.student_user, essay=essay, text=TEXT)
        self.assertEqual(essay.status, EssayStatus.SUBMITTED)
        self.assertIsNotNone(essay.submitted_at)
        essay = services.essay_submit(user=self.student_user, essay=essay, text=TEXT + " Bổ sung.")
        self.assertTrue(Essay.objects.get().text.endswith("Bổ sung."))

    def test_no_change_once_a_grader_marked(self):
        essay = submitted(self)
        services.essay_grade(user=self.grader_user, essay=essay, grader=self.grader, score="8")
        with self.assertRaises(ValidationError):
            services.essay_submit(user=self.student_user, essay=essay, text="Bản khác")

    def test_a_file_of_an_allowed_kind(self):
        import tempfile

        essay = assigned(self)
        with self.assertRaises(ValidationError) as raised:
            services.essay_submit(
                user=self.student_user,
                essay=essay,
                file=SimpleUploadedFile("essay.exe", b"MZ", "application/octet-stream"),
            )
        self.assertIn("file", raised.exception.message_dict)
        with tempfile.TemporaryDirectory() as media, self.settings(MEDIA_ROOT=media):
            pdf = SimpleUploadedFile("tieu-luan.pdf", pdf_bytes("Tiểu luận tốt nghiệp"), "application/pdf")
            essay = services.essay_submit(user=self.student_user, essay=essay, file=pdf)
            self.assertTrue(essay.file.name.endswith("tieu-luan.pdf"))
            self.assertEqual(essay.status, EssayStatus.SUBMITTED)


class MarkTests(EssayWorldTestCase):
    def test_marks_within_the_gap_are_averaged_and_rounded_half_up(self):
        essay = graded(self, "7,0", "8,0")
        self.assertEqual((essay.status, essay.score), (EssayStatus.GRADED, D("7.5")))
        essay = services.essay_grade(user=self.grader_user, essay=essay, grader=self.grader, score=D("7.5"))
        self.assertEqual(essay.score, D("7.3"))  # 7,25 -> 7,3

    def test_exactly_the_gap_is_still_averaged(self):
        essay = graded(self, "7,0", "8,0")  # gap 1,0 = essay_max_gap
        self.assertEqual(essay.status, EssayStatus.GRADED)

    def test_just_over_the_gap_needs_reconciliation(self):
        essay = graded(self, "7,0", "8,1")
        self.assertEqual((essay.status, essay.score), (EssayStatus.NEEDS_RECONCILIATION, None))

    def test_the_program_rule_decides_the_gap(self):
        GradingRules.objects.create(program=self.tc, essay_max_gap=D("2.0"))
        essay = graded(self, "7,0", "8,5")
        self.assertEqual((essay.status, essay.score), (EssayStatus.GRADED, D("7.8")))

    def test_one_mark_is_not_a_score(self):
        essay = submitted(self)
        essay = services.essay_grade(user=self.grader_user, essay=essay, grader=self.grader, score="8")
        self.assertEqual((essay.second_score, essay.score, essay.status), (D("8.0"), None, EssayStatus.SUBMITTED))

    def test_a_grader_enters_only_their_own_mark(self):
        essay = submitted(self)
        with self.assertRaises(PermissionDenied):
            services.essay_grade(user=self.lecturer_user, essay=essay, grader=self.grader, score="8")
        with self.assertRaises(PermissionDenied):  # a coordinator does not grade
            services.essay_grade(user=self.coordinator, essay=essay, grader=self.grader, score="8")
        with self.assertRaises(ValidationError):  # the supervisor is not a grader of this essay
            services.essay_grade(user=self.lecturer_user, essay=essay, grader=self.lecturer, score="8")
        services.essay_grade(user=self.office, essay=essay, grader=self.grader, score="8")
        self.assertEqual(Essay.objects.get().second_score, D("8.0"))

    def test_a_mark_must_be_a_score(self):
        essay = submitted(self)
        for typed in ("11", "tám", "", "-1"):
            with self.subTest(typed=typed), self.assertRaises(ValidationError) as raised:
                services.essay_grade(user=self.grader_user, essay=essay, grader=self.grader, score=typed)
            self.assertIn("score", raised.exception.message_dict)
        self.assertFalse(AuditEntry.objects.filter(action="essay_mark").exists())

    def test_not_before_submission(self):
        essay = assigned(self)
        with self.assertRaises(ValidationError):
            services.essay_grade(user=self.grader_user, essay=essay, grader=self.grader, score="8")

    def test_a_stale_copy_does_not_erase_the_other_mark(self):
        essay = submitted(self)
        stale = Essay.objects.get(pk=essay.pk)
        services.essay_grade(user=self.other_lecturer_user, essay=essay, grader=self.other_lecturer, score="7")
        services.essay_grade(user=self.grader_user, essay=stale, grader=self.grader, score="7,5")
        essay.refresh_from_db()
        self.assertEqual(
            (essay.first_score, essay.second_score, essay.status), (D("7.0"), D("7.5"), EssayStatus.GRADED)
        )

    def test_every_mark_is_audited_before_and_after(self):
        essay = graded(self, "7,0", "8,0")
        services.essay_grade(user=self.grader_user, essay=essay, grader=self.grader, score="9")
        entries = list(history(essay).filter(action="essay_mark").order_by("at", "id"))
        self.assertEqual(len(entries), 3)
        self.assertEqual(entries[0].changes["first_score"], [None, "7.0"])
        self.assertEqual(entries[1].changes["score"], [None, "7.5"])
        self.assertEqual(entries[2].changes["second_score"], ["8.0", "9.0"])
        self.assertEqual(entries[2].changes["status"], ["graded", "needs_reconciliation"])
        self.assertEqual(entries[2].user, self.grader_user)


class ReconciliationTests(EssayWorldTestCase):
    def test_the_office_reconciles_marks_too_far_apart(self):
        essay = graded(self, "7,0", "8,5")
        with self.assertRaises(PermissionDenied):
            services.essay_reconcile(user=self.lecturer_user, essay=essay, score="8")
        with self.assertRaises(ValidationError):
            services.essay_reconcile(user=self.office, essay=essay, score="")
        essay = services.essay_reconcile(user=self.office, essay=essay, score="8")
        self.assertEqual((essay.status, essay.score), (EssayStatus.GRADED, D("8.0")))
        entry = AuditEntry.objects.get(action="essay_reconcile")
        self.assertEqual(entry.changes["score"], [None, "8.0"])
        self.assertEqual(entry.changes["status"], ["needs_reconciliation", "graded"])

    def test_not_when_the_rule_gives_the_score(self):
        essay = graded(self, "7,0", "7,5")
        with self.assertRaises(ValidationError):
            services.essay_reconcile(user=self.office, essay=essay, score="9")
        self.assertEqual(Essay.objects.get().score, D("7.3"))

    def test_not_before_both_marks(self):
        essay = submitted(self)
        with self.assertRaises(ValidationError):
            services.essay_reconcile(user=self.office, essay=essay, score="8")
