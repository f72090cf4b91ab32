"""A lecturer's essays to supervise and grade, those waiting for their mark first."""

from django.urls import reverse

from daotao.essays.tests.world import EssayWorldTestCase, assigned, old_essay, queries, submitted

URL = reverse("essays:assigned")


class AssignedViewTests(EssayWorldTestCase):
    def test_the_graders_essays_with_the_mark_due(self):
        essay = submitted(self)
        waiting = assigned(self, self.enrollments[1], title="Đề tài chưa nộp")
        self.client.force_login(self.grader_user)
        response = self.client.get(URL)
        self.assertEqual(response.context["essays"], [essay, waiting])
        self.assertTrue(response.context["essays"][0].mark_due)
        self.assertFalse(response.context["essays"][1].mark_due)

    def test_only_their_own(self):
        old_essay(self, self.issue.title)  # flagged as a near-duplicate
        submitted(self)
        self.client.force_login(self.grader_user)
        few = queries(self, URL)
        for index, enrollment in enumerate(self.enrollments[1:4], start=1):
            submitted(self, enrollment, title=f"Đề tài {index}")
        with self.assertNumQueries(few):
            self.assertEqual(len(self.client.get(URL).context["essays"]), 4)
        self.client.force_login(self.lecturer_user)  # supervises all four, grades none
        self.assertFalse(any(essay.mark_due for essay in self.client.get(URL).context["essays"]))

    def test_only_lecturers(self):
        for user in (self.office, self.student_user, self.coordinator):
            self.client.force_login(user)
            self.assertEqual(self.client.get(URL).status_code, 403)
