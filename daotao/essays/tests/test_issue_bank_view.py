"""The topic bank page: accent-insensitive search and filters, proposals that re-display
with their errors, the office's approve and retire buttons, a constant number of queries."""

from django.urls import reverse

from daotao.essays.models import LocalIssue, LocalIssueStatus
from daotao.essays.tests.world import EssayWorldTestCase, queries

URL = reverse("essays:issues")


class IssueBankViewTests(EssayWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.old = LocalIssue.objects.create(
            locality=cls.h02, title="Sạt lở bờ biển ở Phú Mỹ", year=2020, status="approved"
        )

    def test_a_student_sees_the_approved_topics(self):
        self.client.force_login(self.student_user)
        response = self.client.get(URL)
        self.assertContains(response, self.issue.title)
        self.assertContains(response, self.old.title)
        self.assertNotContains(response, self.proposal.title)
        self.assertNotContains(response, "Propose a topic")
        self.assertNotContains(response, reverse("essays:issue_approve", args=[self.issue.pk]))

    def test_search_ignores_accents_and_case(self):
        self.client.force_login(self.lecturer_user)
        response = self.client.get(URL, {"q": "CHUYEN doi so"})
        self.assertContains(response, self.issue.title)
        self.assertNotContains(response, self.old.title)

    def test_filters(self):
        self.client.force_login(self.office)
        response = self.client.get(URL, {"locality": self.h01.pk})  # H01 and the commune below it
        self.assertContains(response, self.issue.title)
        self.assertContains(response, self.proposal.title)
        self.assertNotContains(response, self.old.title)
        response = self.client.get(URL, {"year": 2020})
        self.assertContains(response, self.old.title)
        self.assertNotContains(response, self.issue.title)
        response = self.client.get(URL, {"status": "proposed"})
        self.assertContains(response, self.proposal.title)
        self.assertNotContains(response, self.issue.title)
        response = self.client.get(URL, {"year": "abc", "locality": "999999"})  # ignored, no 500
        self.assertContains(response, self.old.title)

    def test_a_coordinator_proposes_for_their_locality(self):
        self.client.force_login(self.coordinator)
        response = self.client.post(
            URL, {"locality": self.x01.pk, "title": "Rác thải nhựa ở khu dân cư", "description": "", "year": 2026}
        )
        self.assertRedirects(response, URL)
        issue = LocalIssue.objects.get(title="Rác thải nhựa ở khu dân cư")
        self.assertEqual((issue.status, issue.locality, issue.proposed_by), ("proposed", self.x01, self.coordinator))
        self.assertContains(self.client.get(URL), issue.title)  # their own proposal is listed

    def test_a_proposal_with_errors_is_shown_again(self):
        self.client.force_login(self.coordinator)
        count = LocalIssue.objects.count()
        response = self.client.post(URL, {"locality": self.h02.pk, "title": "", "year": "năm nay"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(set(response.context["form"].errors), {"locality", "title", "year"})
        self.assertEqual(LocalIssue.objects.count(), count)

    def test_students_and_lecturers_do_not_propose(self):
        for user in (self.student_user, self.lecturer_user):
            self.client.force_login(user)
            response = self.client.post(URL, {"locality": self.h01.pk, "title": "X", "year": 2026})
            self.assertEqual(response.status_code, 403)

    def test_no_role_no_bank(self):
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(URL).status_code, 302)

    def test_the_office_approves_and_retires(self):
        self.client.force_login(self.office)
        self.assertContains(self.client.get(URL), reverse("essays:issue_approve", args=[self.proposal.pk]))
        response = self.client.post(reverse("essays:issue_approve", args=[self.proposal.pk]))
        self.assertRedirects(response, URL)
        self.assertEqual(LocalIssue.objects.get(pk=self.proposal.pk).status, LocalIssueStatus.APPROVED)
        self.client.post(reverse("essays:issue_retire", args=[self.proposal.pk]))
        self.assertEqual(LocalIssue.objects.get(pk=self.proposal.pk).status, LocalIssueStatus.RETIRED)
        self.assertEqual(self.client.get(reverse("essays:issue_approve", args=[self.proposal.pk])).status_code, 405)

    def test_others_cannot_approve(self):
        for user in (self.coordinator, self.board, self.student_user):
            self.client.force_login(user)
            response = self.client.post(reverse("essays:issue_approve", args=[self.proposal.pk]))
            self.assertEqual(response.status_code, 403)
        self.assertEqual(LocalIssue.objects.get(pk=self.proposal.pk).status, LocalIssueStatus.PROPOSED)

    def test_query_count_is_constant(self):
        self.client.force_login(self.office)
        few = queries(self, URL)
        LocalIssue.objects.bulk_create(
            [
                LocalIssue(locality=self.h03, title=f"Đề tài số {n}", search_key=f"de tai so {n}", year=2025)
                for n in range(40)
            ]
        )
        with self.assertNumQueries(few):
            self.assertContains(self.client.get(URL), "Đề tài số 39")
