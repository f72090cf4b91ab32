"""The student's own essay page: register from the bank or a new topic, submit, see the
status and the score; forms re-display with their errors."""

import datetime as dt

from django.urls import reverse

from daotao.essays import services
from daotao.essays.models import Essay, EssayStatus
from daotao.essays.tests.world import TEXT, EssayWorldTestCase, graded
from daotao.people.models import Student
from daotao.testing import enroll, make_cohort, make_module, make_user

URL = reverse("essays:my")


class MyEssayViewTests(EssayWorldTestCase):
    def setUp(self):
        self.client.force_login(self.student_user)

    def test_register_from_the_bank(self):
        response = self.client.get(URL)
        self.assertContains(response, self.issue.title)
        self.assertNotContains(response, self.proposal.title)
        response = self.client.post(URL, {"action": "register", "local_issue": self.issue.pk, "title": ""})
        self.assertRedirects(response, URL)
        essay = Essay.objects.get(enrollment=self.own)
        self.assertEqual(essay.status, EssayStatus.APPROVED)
        self.assertContains(self.client.get(URL), 'id="submit"')

    def test_an_own_topic_then_a_rejection_shown_with_its_reason(self):
        self.client.post(URL, {"action": "register", "title": "Phát triển du lịch cộng đồng"})
        essay = Essay.objects.get(enrollment=self.own)
        self.assertEqual(essay.status, EssayStatus.REGISTERED)
        services.essay_topic_decide(user=self.office, essay=essay, approve=False, reason="Chưa gắn với địa phương")
        response = self.client.get(URL)
        self.assertContains(response, "Chưa gắn với địa phương")
        self.assertContains(response, 'id="register"')

    def test_errors_are_shown_again(self):
        response = self.client.post(URL, {"action": "register", "local_issue": self.issue.pk, "title": "Cả hai"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["topic_form"].non_field_errors())
        response = self.client.post(URL, {"action": "register", "local_issue": self.proposal.pk})
        self.assertIn("local_issue", response.context["topic_form"].errors)  # not offered in the bank
        response = self.client.post(URL, {"action": "register", "title": ""})
        self.assertIn("title", response.context["topic_form"].errors)
        self.assertFalse(Essay.objects.exists())

    def test_submit_then_see_the_score(self):
        self.client.post(URL, {"action": "register", "local_issue": self.issue.pk})
        response = self.client.post(URL, {"action": "submit", "text": ""})
        self.assertIn("text", response.context["submit_form"].errors)
        response = self.client.post(URL, {"action": "submit", "text": TEXT})
        self.assertRedirects(response, URL)
        essay = Essay.objects.get()
        self.assertEqual(essay.status, EssayStatus.SUBMITTED)
        services.essay_assign(
            user=self.office,
            essay=essay,
            supervisor=self.lecturer,
            first_grader=self.other_lecturer,
            second_grader=self.grader,
        )
        services.essay_grade(user=self.office, essay=essay, grader=self.other_lecturer, score="8")
        services.essay_grade(user=self.office, essay=essay, grader=self.grader, score="9")
        response = self.client.get(URL)
        self.assertContains(response, "8,5")
        self.assertNotContains(response, 'id="submit"')

    def test_only_the_students_own(self):
        graded(self, "7", "8", enrollment=self.enrollments[1])
        response = self.client.get(URL)
        self.assertNotContains(response, "7,5")
        self.assertIsNone(response.context["essay"])

    def test_not_for_staff_or_lecturers(self):
        for user in (self.office, self.lecturer_user, self.coordinator):
            self.client.force_login(user)
            self.assertEqual(self.client.get(URL).status_code, 403)

    def test_a_class_without_a_graduation_essay(self):
        program = self.programs["BD-CV"]
        make_module(program, "CV1", 8)
        cohort = make_cohort("CV01", program, self.h01, dt.date(2026, 5, 4))
        (enrollment,) = enroll(cohort, 1)
        user = make_user("hv9", "student")
        Student.objects.filter(pk=enrollment.student_id).update(user=user)
        self.client.force_login(user)
        response = self.client.get(URL)
        self.assertIsNone(response.context["enrollment"])
        self.assertNotContains(response, 'id="register"')
        self.assertEqual(self.client.post(URL, {"action": "register", "title": "X"}).status_code, 403)
