"""Essays: topics from the bank or approved by the faculty, graders' own marks reconciled by
the program's rule, audited; near-duplicates flagged across classes and years."""

import datetime as dt
from decimal import Decimal as D

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from daotao.audit.models import AuditEntry
from daotao.essays import services
from daotao.essays.models import Essay, EssayStatus, LocalIssue, LocalIssueStatus
from daotao.programs.models import ModuleKind
from daotao.testing import TeachingWorldTestCase, enroll, make_cohort, make_lecturer, make_module

TEXT = (
    "Sinh hoạt chi bộ là hình thức cơ bản để lãnh đạo, giáo dục, quản lý đảng viên. Chất lượng sinh hoạt chi bộ "
    "ở các thôn, khu phố đã có chuyển biến, song nội dung còn chung chung, ít thảo luận vấn đề cụ thể của địa phương."
)


class EssayTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_module(cls.tc, "TN", 0, (("Thi tốt nghiệp", "written_exam", 100, True),), kind=ModuleKind.GRADUATION)
        cls.grader = make_lecturer("Phạm Văn Chấm", cls.faculty, "gv3")
        cls.issue = services.local_issue_propose(
            user=cls.coordinator, locality=cls.x01, title="Chuyển đổi số ở phường Nam Sơn", year=2026
        )
        services.local_issue_approve(user=cls.office, issue=cls.issue)
        cls.own = cls.enrollments[0]

    def register(self, **kwargs):
        return services.essay_register(user=self.student_user, enrollment=self.own, **kwargs)

    def test_the_bank(self):
        with self.assertRaises(PermissionDenied):
            services.local_issue_propose(user=self.other_coordinator, locality=self.x01, title="X", year=2026)
        with self.assertRaises(PermissionDenied):
            services.local_issue_approve(user=self.coordinator, issue=self.issue)
        proposal = services.local_issue_propose(user=self.coordinator, locality=self.h01, title="Đề tài mới", year=2026)
        self.assertEqual(proposal.status, LocalIssueStatus.PROPOSED)
        self.assertNotIn(proposal, LocalIssue.objects.visible_to(self.other_coordinator))
        self.assertIn(proposal, LocalIssue.objects.visible_to(self.coordinator))
        self.assertIn(self.issue, LocalIssue.objects.visible_to(self.student_user))

    def test_a_topic_from_the_bank_is_approved_at_once(self):
        essay = self.register(local_issue=self.issue)
        self.assertEqual((essay.status, essay.title), (EssayStatus.APPROVED, self.issue.title))
        with self.assertRaises(ValidationError):
            self.register(title="Đổi ý")  # approved: no longer changed here

    def test_an_own_topic_waits_for_the_faculty(self):
        essay = self.register(title="Nâng cao chất lượng hòa giải ở cơ sở")
        self.assertEqual(essay.status, EssayStatus.REGISTERED)
        with self.assertRaises(PermissionDenied):
            services.essay_topic_decide(user=self.student_user, essay=essay, approve=True)
        services.essay_topic_decide(user=self.office, essay=essay, approve=False, reason="Trùng đề tài")
        essay = self.register(title="Đề tài khác")  # re-register after a rejection
        services.essay_topic_decide(user=self.office, essay=essay, approve=True)
        self.assertEqual(Essay.objects.get().status, EssayStatus.APPROVED)

    def test_only_oneself_and_only_with_a_graduation_essay(self):
        with self.assertRaises(PermissionDenied):
            services.essay_register(user=self.other_student_user, enrollment=self.own, title="X")
        with self.assertRaises(ValidationError):
            self.register()
        program = self.programs["BD-CV"]
        make_module(program, "CV1", 8)
        cohort = make_cohort("CV01", program, self.h01, dt.date(2026, 5, 4))
        (enrollment,) = enroll(cohort, 1)
        with self.assertRaises(ValidationError):
            services.essay_register(user=self.office, enrollment=enrollment, title="X")

    def graded(self, first, second):
        essay = self.register(local_issue=self.issue)
        services.essay_assign(
            user=self.office,
            essay=essay,
            supervisor=self.lecturer,
            first_grader=self.other_lecturer,
            second_grader=self.grader,
        )
        services.essay_submit(user=self.student_user, essay=essay, text=TEXT)
        services.essay_grade(user=self.other_lecturer_user, essay=essay, grader=self.other_lecturer, score=first)
        return services.essay_grade(user=self.grader.user, essay=essay, grader=self.grader, score=second)

    def test_marks_within_the_gap_are_averaged(self):
        essay = self.graded("7,0", "8,0")
        self.assertEqual((essay.status, essay.score), (EssayStatus.GRADED, D("7.5")))
        self.assertEqual(AuditEntry.objects.filter(action="essay_mark").count(), 2)

    def test_marks_too_far_apart_are_reconciled_by_the_office(self):
        essay = self.graded("7,0", "8,5")
        self.assertEqual((essay.status, essay.score), (EssayStatus.NEEDS_RECONCILIATION, None))
        with self.assertRaises(PermissionDenied):
            services.essay_reconcile(user=self.lecturer_user, essay=essay, score="8")
        essay = services.essay_reconcile(user=self.office, essay=essay, score="8")
        self.assertEqual((essay.status, essay.score), (EssayStatus.GRADED, D("8.0")))
        entry = AuditEntry.objects.get(action="essay_reconcile")
        self.assertEqual(entry.changes["score"], [None, "8.0"])

    def test_a_grader_enters_only_their_own_mark(self):
        essay = self.register(local_issue=self.issue)
        services.essay_assign(
            user=self.office,
            essay=essay,
            supervisor=self.lecturer,
            first_grader=self.other_lecturer,
            second_grader=self.grader,
        )
        services.essay_submit(user=self.student_user, essay=essay, text=TEXT)
        with self.assertRaises(PermissionDenied):
            services.essay_grade(user=self.lecturer_user, essay=essay, grader=self.grader, score="8")
        with self.assertRaises(ValidationError):
            services.essay_grade(user=self.lecturer_user, essay=essay, grader=self.lecturer, score="8")
        with self.assertRaises(ValidationError):
            services.essay_grade(user=self.grader.user, essay=essay, grader=self.grader, score="11")

    def test_near_duplicates_across_classes_and_years_ignoring_accents(self):
        old_cohort = make_cohort("TC2019", self.tc, self.h02, dt.date(2019, 3, 4), dt.date(2020, 9, 30))
        (old_enrollment,) = enroll(old_cohort, 1)
        old = Essay.objects.create(
            enrollment=old_enrollment,
            title="nang cao chat luong sinh hoat chi bo o cac thon khu pho",
            text=TEXT.replace("Sinh hoạt", "Sinh hoat"),
            status=EssayStatus.GRADED,
        )
        essay = self.register(title="Nâng cao chất lượng sinh hoạt chi bộ ở các thôn, khu phố")
        fields = {item["field"] for item in essay.similar if item["essay"] == old.pk}
        self.assertEqual(fields, {"title"})
        services.essay_topic_decide(user=self.office, essay=essay, approve=True)
        services.essay_submit(user=self.student_user, essay=essay, text=TEXT)
        essay.refresh_from_db()
        old.refresh_from_db()
        self.assertEqual({item["field"] for item in essay.similar}, {"title", "text"})
        self.assertIn(essay.pk, {item["essay"] for item in old.similar})
        unrelated = services.essay_register(
            user=self.office, enrollment=self.enrollments[1], title="Phát triển sản phẩm OCOP ở xã An Lạc"
        )
        self.assertEqual(unrelated.similar, [])
        # The class's essay page shows the flag.
        self.client.force_login(self.office)
        response = self.client.get(reverse("essays:cohort", args=[self.cohort.pk]))
        self.assertContains(response, "TC2019")

    def test_who_sees_essays(self):
        essay = self.register(local_issue=self.issue)
        self.assertIn(essay, Essay.objects.visible_to(self.student_user))
        self.assertNotIn(essay, Essay.objects.visible_to(self.other_student_user))
        self.assertIn(essay, Essay.objects.visible_to(self.lecturer_user))  # teaches the class
        self.assertIn(essay, Essay.objects.visible_to(self.coordinator))
        self.assertNotIn(essay, Essay.objects.visible_to(self.other_coordinator))
        self.client.force_login(self.other_coordinator)
        self.assertEqual(self.client.get(reverse("essays:cohort", args=[self.cohort.pk])).status_code, 404)
        self.client.force_login(self.student_user)
        self.assertContains(self.client.get(reverse("essays:my")), self.issue.title)
