"""Two first saves of the same grade cell at once (real threads, each with its own database
connection, on SQLite and PostgreSQL): both succeed, the last one wins, both are audited.
A missing row cannot be locked, so the cell's enrollment is."""

from decimal import Decimal as D

from django.test import Client
from django.urls import reverse

from daotao.audit.models import history
from daotao.grading.models import Grade
from daotao.grading.services import grade_record
from daotao.testing import TransactionalTeachingWorld, overlapping, run_at_once


class ConcurrentFirstSaveTests(TransactionalTeachingWorld):
    def setUp(self):
        super().setUp()
        self.module, self.enrollment = self.m1, self.enrollments[0]
        self.test = self.m1.assessments.order_by("order").first()

    def test_both_first_saves_succeed_and_the_last_wins(self):
        typed = {self.lecturer_user.pk: "6", self.office.pk: "7"}

        def save(user):
            grade = grade_record(user=user, enrollment=self.enrollment, assessment=self.test, value=typed[user.pk])
            return grade.score

        with overlapping(Grade, "full_clean"):
            results, errors = run_at_once(save, [self.lecturer_user, self.office])
        self.assertEqual(errors, [])
        self.assertEqual(sorted(results), [D("6"), D("7")])
        grade = Grade.objects.get()
        entries = list(history(grade))  # newest first
        self.assertEqual(len(entries), 2)
        created, changed = entries[1].changes["score"], entries[0].changes["score"]
        self.assertIsNone(created[0])  # the first save made the cell, the second changed it
        self.assertEqual(changed[0], created[1])
        self.assertEqual({D(created[1]), D(changed[1])}, {D("6"), D("7")})
        self.assertEqual(D(changed[1]), grade.score)  # the last write wins

    def test_the_grade_sheet_answers_both_cells(self):
        url = reverse("grading:cell", args=[self.cohort.pk, self.module.pk])
        clients = []
        for user, value in ((self.lecturer_user, "6"), (self.office, "7")):
            client = Client()
            client.force_login(user)
            clients.append((client, value))

        def post(batch):
            client, value = batch
            data = {"enrollment": self.enrollment.pk, "assessment": self.test.pk, "attempt": 1, "value": value}
            return client.post(url, data, HTTP_HX_REQUEST="true").status_code

        with overlapping(Grade, "full_clean"):
            results, errors = run_at_once(post, clients)
        self.assertEqual(errors, [])
        self.assertEqual(results, [200, 200])
        self.assertIn(Grade.objects.get().score, (D("6"), D("7")))
        self.assertEqual(len(history(Grade.objects.get())), 2)
