"""The topic bank: coordinators propose for their own locality, the office approves and
retires, changes of status audited."""

from django.core.exceptions import PermissionDenied, ValidationError

from daotao.audit.models import history
from daotao.essays import services
from daotao.essays.models import LocalIssue, LocalIssueStatus
from daotao.essays.tests.world import EssayWorldTestCase


class ProposeTests(EssayWorldTestCase):
    def test_a_coordinator_proposes_for_their_unit_and_below(self):
        for locality in (self.h01, self.x01):
            issue = services.local_issue_propose(
                user=self.coordinator, locality=locality, title=" Ô nhiễm  môi trường ", year=2026
            )
            self.assertEqual(
                (issue.status, issue.title, issue.proposed_by), ("proposed", "Ô nhiễm môi trường", self.coordinator)
            )
            self.assertEqual(issue.search_key, "o nhiem moi truong")

    def test_not_for_another_locality(self):
        for user, locality in ((self.other_coordinator, self.x01), (self.commune_coordinator, self.h01)):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.local_issue_propose(user=user, locality=locality, title="X", year=2026)
        for user in (self.lecturer_user, self.student_user, self.board, self.nobody):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.local_issue_propose(user=user, locality=self.h01, title="X", year=2026)

    def test_the_office_proposes_for_any_locality_but_only_a_locality(self):
        issue = services.local_issue_propose(user=self.office, locality=self.h03, title="Sạt lở bờ sông", year=2025)
        self.assertEqual(issue.locality, self.h03)
        with self.assertRaises(ValidationError):
            services.local_issue_propose(user=self.office, locality=self.school, title="X", year=2026)

    def test_a_title_is_needed(self):
        with self.assertRaises(ValidationError) as raised:
            services.local_issue_propose(user=self.coordinator, locality=self.h01, title="", year=2026)
        self.assertIn("title", raised.exception.message_dict)


class StatusTests(EssayWorldTestCase):
    def test_the_office_approves_and_retires_audited(self):
        services.local_issue_approve(user=self.office, issue=self.proposal)
        self.assertEqual(LocalIssue.objects.get(pk=self.proposal.pk).status, LocalIssueStatus.APPROVED)
        services.local_issue_retire(user=self.office, issue=self.proposal)
        self.assertEqual(LocalIssue.objects.get(pk=self.proposal.pk).status, LocalIssueStatus.RETIRED)
        changes = [entry.changes["status"] for entry in history(self.proposal)]
        self.assertEqual(changes, [["approved", "retired"], ["proposed", "approved"]])

    def test_no_one_else(self):
        for user in (self.coordinator, self.board, self.lecturer_user, self.student_user):
            with self.subTest(user=user.username):
                with self.assertRaises(PermissionDenied):
                    services.local_issue_approve(user=user, issue=self.proposal)
                with self.assertRaises(PermissionDenied):
                    services.local_issue_retire(user=user, issue=self.issue)
