"""A class's essays: topic, supervisor, graders, marks, status and a visible near-duplicate
flag linking to the similar essay; scope per role; a constant number of queries."""

from django.urls import reverse

from daotao.essays import services
from daotao.essays.tests.world import TEXT, TITLE, EssayWorldTestCase, graded, old_essay, queries, register, submitted
from daotao.lib.vietnamese import fold


class CohortEssaysViewTests(EssayWorldTestCase):
    def url(self, cohort=None):
        return reverse("essays:cohort", args=[(cohort or self.cohort).pk])

    def test_the_office_sees_every_column_and_the_flag(self):
        old = old_essay(self, fold(TITLE), year=2019)
        essay = register(self, title=TITLE)
        services.essay_topic_decide(user=self.office, essay=essay, approve=True)
        graded(self, "7", "8", enrollment=self.enrollments[1])
        self.client.force_login(self.office)
        response = self.client.get(self.url())
        self.assertContains(response, TITLE)
        self.assertContains(response, self.lecturer.full_name)  # supervisor
        self.assertContains(response, self.grader.full_name)
        self.assertContains(response, "7,5")  # the score, written the Vietnamese way
        self.assertContains(response, "⚠")
        self.assertContains(response, reverse("essays:detail", args=[old.pk]))
        self.assertContains(response, old.enrollment.cohort.code)
        self.assertContains(response, old.enrollment.student.full_name)

    def test_a_similar_essay_the_user_may_not_open_is_named_without_a_link(self):
        old = old_essay(self, fold(TITLE), year=2019)  # a class of H02 that gv1 does not teach
        register(self, title=TITLE)
        self.client.force_login(self.lecturer_user)
        response = self.client.get(self.url())
        self.assertContains(response, "⚠")
        self.assertContains(response, old.enrollment.cohort.code)
        self.assertNotContains(response, reverse("essays:detail", args=[old.pk]))
        self.assertNotContains(response, old.enrollment.student.full_name)

    def test_a_grader_does_not_see_the_other_mark_before_giving_theirs(self):
        essay = submitted(self)
        services.essay_grade(user=self.grader_user, essay=essay, grader=self.grader, score="6,5")
        self.client.force_login(self.other_lecturer_user)  # the first grader, teaches the class
        self.assertNotContains(self.client.get(self.url()), "6,5")
        services.essay_grade(user=self.other_lecturer_user, essay=essay, grader=self.other_lecturer, score="7")
        self.assertContains(self.client.get(self.url()), "6,5")
        self.client.force_login(self.office)
        self.assertContains(self.client.get(self.url()), "6,8")

    def test_scope(self):
        register(self, local_issue=self.issue)
        for user in (self.office, self.board, self.coordinator, self.lecturer_user):
            self.client.force_login(user)
            self.assertContains(self.client.get(self.url()), self.issue.title)
        for user in (self.other_coordinator, self.grader_user):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url()).status_code, 404)
        for user in (self.student_user, self.nobody):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url()).status_code, 403)

    def test_query_count_is_constant(self):
        old = old_essay(self, fold(TITLE), text=TEXT, year=2019)
        register(self, title=TITLE)
        self.client.force_login(self.office)
        few = queries(self, self.url())
        for index, enrollment in enumerate(self.enrollments[1:], start=1):
            submitted(self, enrollment, text=TEXT, title=f"{TITLE} {index}")
        graded(self, "7", "9", enrollment=self.other_enrollments[0])
        with self.assertNumQueries(few):
            response = self.client.get(self.url())
        self.assertContains(response, reverse("essays:detail", args=[old.pk]))
        self.assertEqual(len(response.context["essays"]), 6)
