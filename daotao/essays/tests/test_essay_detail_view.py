"""One essay's page: the topic decision, the office's assignment and reconciliation, a
grader's own mark; forms re-display with their errors; scope per role."""

import tempfile
from decimal import Decimal as D

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from daotao.essays import services
from daotao.essays.models import Essay, EssayStatus
from daotao.essays.tests.files import pdf_bytes
from daotao.essays.tests.world import EssayWorldTestCase, assigned, graded, register, submitted

MEDIA = tempfile.mkdtemp(prefix="daotao-test-essays-")


class EssayDetailViewTests(EssayWorldTestCase):
    def url(self, essay):
        return reverse("essays:detail", args=[essay.pk])

    def post(self, user, essay, action, **data):
        self.client.force_login(user)
        return self.client.post(self.url(essay), {"action": action, **{f"{action}-{k}": v for k, v in data.items()}})

    def test_the_office_approves_or_rejects_a_topic(self):
        essay = register(self, title="Đề tài riêng")
        response = self.post(self.office, essay, "decide", decision="reject", reason="")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["forms"]["decide"].errors)
        self.assertEqual(Essay.objects.get().status, EssayStatus.REGISTERED)
        response = self.post(self.office, essay, "decide", decision="approve", reason="")
        self.assertRedirects(response, self.url(essay))
        self.assertEqual(Essay.objects.get().status, EssayStatus.APPROVED)

    def test_the_supervisor_decides_other_lecturers_do_not(self):
        essay = register(self, title="Đề tài riêng")
        services.essay_assign(
            user=self.office,
            essay=essay,
            supervisor=self.grader,
            first_grader=self.lecturer,
            second_grader=self.other_lecturer,
        )
        response = self.post(self.lecturer_user, essay, "decide", decision="approve")
        self.assertEqual(response.status_code, 403)
        response = self.post(self.grader_user, essay, "decide", decision="reject", reason="Quá rộng")
        self.assertRedirects(response, self.url(essay))
        self.assertEqual(Essay.objects.get().topic_note, "Quá rộng")

    def test_the_office_assigns_and_errors_are_shown(self):
        essay = register(self, local_issue=self.issue)
        response = self.post(
            self.office,
            essay,
            "assign",
            supervisor=self.lecturer.pk,
            first_grader=self.grader.pk,
            second_grader=self.grader.pk,
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("second_grader", response.context["forms"]["assign"].errors)
        response = self.post(
            self.office,
            essay,
            "assign",
            supervisor=self.lecturer.pk,
            first_grader=self.other_lecturer.pk,
            second_grader=self.grader.pk,
        )
        self.assertRedirects(response, self.url(essay))
        essay.refresh_from_db()
        self.assertEqual(
            (essay.supervisor, essay.first_grader, essay.second_grader),
            (self.lecturer, self.other_lecturer, self.grader),
        )
        response = self.post(self.lecturer_user, essay, "assign", supervisor=self.lecturer.pk)
        self.assertEqual(response.status_code, 403)

    def test_a_grader_enters_their_own_mark(self):
        essay = submitted(self)
        self.client.force_login(self.grader_user)
        form = self.client.get(self.url(essay)).context["forms"]["grade"]
        self.assertEqual(list(form.graders.values()), [self.grader])
        response = self.post(self.grader_user, essay, "grade", grader=self.other_lecturer.pk, score="8")
        self.assertEqual(response.status_code, 200)  # not a choice for them
        self.assertIn("grader", response.context["forms"]["grade"].errors)
        response = self.post(self.grader_user, essay, "grade", grader=self.grader.pk, score="11")
        self.assertEqual(response.status_code, 200)
        self.assertIn("score", response.context["forms"]["grade"].errors)
        response = self.post(self.grader_user, essay, "grade", grader=self.grader.pk, score="8,5")
        self.assertRedirects(response, self.url(essay))
        self.assertEqual(Essay.objects.get().second_score, D("8.5"))

    def test_the_supervisor_has_no_mark_form(self):
        essay = submitted(self)
        self.client.force_login(self.lecturer_user)
        self.assertNotIn("grade", self.client.get(self.url(essay)).context["forms"])
        response = self.post(self.lecturer_user, essay, "grade", grader=self.lecturer.pk, score="8")
        self.assertEqual(response.status_code, 403)

    def test_the_office_reconciles(self):
        essay = graded(self, "6", "8,5")
        self.client.force_login(self.office)
        self.assertContains(self.client.get(self.url(essay)), 'id="reconcile"')
        response = self.post(self.office, essay, "reconcile", score="x")
        self.assertIn("score", response.context["forms"]["reconcile"].errors)
        response = self.post(self.office, essay, "reconcile", score="7,5")
        self.assertRedirects(response, self.url(essay))
        self.assertEqual((Essay.objects.get().score, Essay.objects.get().status), (D("7.5"), EssayStatus.GRADED))
        self.assertEqual(self.post(self.office, essay, "reconcile", score="8").status_code, 403)  # nothing to reconcile

    def test_scope(self):
        essay = submitted(self)
        for user in (self.office, self.board, self.coordinator, self.lecturer_user, self.grader_user):
            self.client.force_login(user)
            self.assertContains(self.client.get(self.url(essay)), essay.title)
        for user in (self.other_student_user, self.other_coordinator, self.nobody):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url(essay)).status_code, 404)
        self.client.force_login(self.student_user)
        self.assertRedirects(self.client.get(self.url(essay)), reverse("essays:my"))
        self.client.force_login(self.board)
        self.assertEqual(self.client.get(self.url(essay)).context["forms"], {})
        self.assertEqual(self.post(self.board, essay, "grade", grader=self.grader.pk, score="8").status_code, 403)

    @override_settings(MEDIA_ROOT=MEDIA)
    def test_the_file_only_to_those_who_see_the_essay(self):
        essay = assigned(self)
        data = pdf_bytes("Tiểu luận tốt nghiệp")
        pdf = SimpleUploadedFile("tieu-luan.pdf", data, "application/pdf")
        services.essay_submit(user=self.student_user, essay=essay, file=pdf)
        url = reverse("essays:file", args=[essay.pk])
        for user in (self.student_user, self.grader_user, self.office):
            self.client.force_login(user)
            response = self.client.get(url)
            self.assertEqual(b"".join(response.streaming_content), data)
        self.client.force_login(self.other_student_user)
        self.assertEqual(self.client.get(url).status_code, 404)
        other = register(self, self.enrollments[1], local_issue=self.issue)
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(reverse("essays:file", args=[other.pk])).status_code, 404)
