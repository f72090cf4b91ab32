"""The admin of the topic bank and the essays: accent-insensitive search, filters, no query
per row; marks and scores read-only."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daotao.essays.models import Essay, LocalIssue
from daotao.essays.tests.world import TITLE, EssayWorldTestCase, old_essay, register


class EssayAdminTests(EssayWorldTestCase):
    def setUp(self):
        self.client.force_login(self.superuser)

    def assert_constant(self, url, add_rows):
        add_rows(3)
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get(url).status_code, 200)
        add_rows(12)
        with self.assertNumQueries(len(few)):
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_issue_list(self):
        def add(count):
            start = LocalIssue.objects.count()
            for n in range(count):
                LocalIssue.objects.create(
                    locality=self.h03, title=f"Vấn đề số {start + n}", year=2025, proposed_by=self.office
                )

        self.assert_constant(reverse("admin:essays_localissue_changelist"), add)

    def test_essay_list(self):
        def add(count):
            for _ in range(count):
                old_essay(self, TITLE)

        self.assert_constant(reverse("admin:essays_essay_changelist"), add)

    def test_search_ignores_accents_and_filters(self):
        register(self, local_issue=self.issue)
        old = old_essay(self, TITLE)
        Essay.objects.filter(pk=old.pk).update(similar=[{"essay": 1, "field": "title", "similarity": 0.9}])
        url = reverse("admin:essays_essay_changelist")
        response = self.client.get(url, {"q": "chuyen doi so"})
        self.assertEqual(
            [e.pk for e in response.context["cl"].result_list], [Essay.objects.get(local_issue=self.issue).pk]
        )
        response = self.client.get(url, {"flagged": "yes"})
        self.assertEqual(list(response.context["cl"].result_list), [old])
        response = self.client.get(url, {"flagged": "no"})
        self.assertNotIn(old, list(response.context["cl"].result_list))
        response = self.client.get(reverse("admin:essays_localissue_changelist"), {"q": "giam ngheo"})
        self.assertEqual(list(response.context["cl"].result_list), [self.proposal])

    def test_marks_are_read_only(self):
        essay = register(self, local_issue=self.issue)
        response = self.client.get(reverse("admin:essays_essay_change", args=[essay.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("score", response.context["adminform"].form.fields)
        self.assertNotIn("first_score", response.context["adminform"].form.fields)
