"""The results pages: the list of rounds, one round's results and the comparison, per role."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from daotao.surveys import services
from daotao.surveys.tests.base import TODAY, SurveyWorldTestCase
from daotao.surveys.tests.test_results import TEXTS, answer_round


def hidden_text(valid: int, needed: int) -> str:
    with translation.override("vi"):
        return gettext("Not enough answers to show results (%(valid)s of the %(needed)s needed).") % {
            "valid": valid,
            "needed": needed,
        }


class ResultsViewTestCase(SurveyWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # TC01 about the course (5 valid, 1 invalid form), TC01 about gv1 (5 valid), TC02 about gv2 (hidden).
        cls.course = cls._round(cls.office, title="Khóa học TC01")
        cls.about_lecturer = cls._round(cls.office, title="Giảng viên gv1", subject="lecturer", lecturer=cls.lecturer)
        cls.other = cls._round(
            cls.office, title="Giảng viên gv2", cohort=cls.other_cohort, subject="lecturer", lecturer=cls.other_lecturer
        )

    @classmethod
    def _round(cls, user, **fields):
        import datetime as dt

        defaults = {
            "version": cls.version,
            "cohort": cls.cohort,
            "phase": "end",
            "subject": "course",
            "audience": "students",
            "opens_on": dt.date(2026, 5, 25),
            "closes_on": dt.date(2026, 6, 15),
        }
        survey_round = services.round_create(user=user, **{**defaults, **fields})
        services.invitations_create(survey_round=survey_round)
        return survey_round

    def setUp(self):
        answer_round(self, self.course)
        answer_round(self, self.about_lecturer)
        for invitation in self.invitations(self.other)[:2]:
            services.response_submit(invitation=invitation, values=self.full_values(text="Ý kiến TC02"), today=TODAY)
        self.close()


class ResultsListTests(ResultsViewTestCase):
    url = reverse("surveys:results_list")

    def titles(self, user, query=""):
        self.client.force_login(user)
        page = self.client.get(self.url + query)
        self.assertEqual(page.status_code, 200)
        return [survey_round.title for survey_round in page.context["page"]]

    def test_rounds_per_role(self):
        self.assertEqual(sorted(self.titles(self.office)), ["Giảng viên gv1", "Giảng viên gv2", "Khóa học TC01"])
        self.assertEqual(len(self.titles(self.board)), 3)
        self.assertEqual(sorted(self.titles(self.coordinator)), ["Giảng viên gv1", "Khóa học TC01"])
        self.assertEqual(self.titles(self.other_coordinator), ["Giảng viên gv2"])
        self.assertEqual(self.titles(self.lecturer_user), ["Giảng viên gv1"])
        self.assertEqual(self.titles(self.other_lecturer_user), ["Giảng viên gv2"])

    def test_students_and_others_are_refused(self):
        for user in (self.student_user, self.nobody):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_counts_and_rate(self):
        self.client.force_login(self.office)
        page = self.client.get(self.url)
        self.assertContains(page, "6/6")
        self.assertContains(page, "2/3")
        self.assertContains(page, "66,67%")
        self.assertContains(page, "100,00%")

    def test_filters(self):
        self.assertEqual(self.titles(self.office, "?year=2026&phase=end"), self.titles(self.office))
        self.assertEqual(self.titles(self.office, "?year=2025"), [])
        self.assertEqual(self.titles(self.office, f"?cohort={self.other_cohort.pk}"), ["Giảng viên gv2"])
        self.assertEqual(self.titles(self.office, f"?lecturer={self.lecturer.pk}"), ["Giảng viên gv1"])
        self.assertEqual(self.titles(self.office, "?phase=before"), [])

    def test_bad_parameters_are_refused_with_a_message(self):
        self.client.force_login(self.coordinator)
        outside = (f"?cohort={self.other_cohort.pk}", f"?lecturer={self.other_lecturer.pk}")
        for query in ("?year=abc", "?year=99999", "?phase=never", "?cohort=x", "?cohort=999999", "?page=zz", *outside):
            page = self.client.get(self.url + query)
            self.assertIn(page.status_code, (200, 400), query)
            self.assertNotContains(page, "Giảng viên gv2", status_code=page.status_code)

    def test_constant_queries(self):
        self.client.force_login(self.office)
        self.client.get(self.url)
        with self.assertNumQueries(7):
            self.client.get(self.url)
        for number in range(5):
            self._round(self.office, title=f"Thêm {number}")
        with self.assertNumQueries(7):
            page = self.client.get(self.url)
        self.assertEqual(len(page.context["page"]), 8)


class RoundPageTests(ResultsViewTestCase):
    def url(self, survey_round) -> str:
        return reverse("surveys:results_round", args=[survey_round.pk])

    def test_office_and_board_see_figures_and_free_text(self):
        for user in (self.office, self.board):
            self.client.force_login(user)
            page = self.client.get(self.url(self.course))
            self.assertContains(page, "<svg", count=5)  # 3 ratings, 2 choice questions
            self.assertContains(page, "7,00")  # mean of the first rating
            self.assertContains(page, "7,67")  # overall mean
            self.assertContains(page, "Khá")
            self.assertContains(page, "100,00%")  # response rate
            for text in TEXTS:
                self.assertContains(page, text)
            self.assertNotContains(page, "Ý kiến trong phiếu bỏ trống")  # the invalid form's text

    def test_coordinator_and_lecturer_see_figures_without_free_text(self):
        for user, survey_round in ((self.coordinator, self.course), (self.lecturer_user, self.about_lecturer)):
            self.client.force_login(user)
            page = self.client.get(self.url(survey_round))
            self.assertContains(page, "7,00")
            for text in TEXTS:
                self.assertNotContains(page, text)

    def test_hidden_below_the_threshold(self):
        self.client.force_login(self.office)
        page = self.client.get(self.url(self.other))
        self.assertContains(page, hidden_text(2, 5))
        self.assertContains(page, "66,67%")
        self.assertNotContains(page, "<svg")
        self.assertNotContains(page, "Nội dung 1")
        self.assertNotContains(page, "Ý kiến TC02")

    def test_scope(self):
        cases = [
            (self.coordinator, self.other, 404),
            (self.other_coordinator, self.course, 404),
            (self.lecturer_user, self.course, 404),  # a round of their class, not about them
            (self.lecturer_user, self.other, 404),
            (self.other_lecturer_user, self.other, 200),
            (self.student_user, self.course, 403),
            (self.nobody, self.course, 403),
        ]
        for user, survey_round, status in cases:
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url(survey_round)).status_code, status, (user, survey_round))
        self.client.force_login(self.office)
        self.assertEqual(self.client.get("/surveys/results/999999/").status_code, 404)

    def test_an_anonymous_round_shows_results_only_once_closed(self):
        import datetime as dt

        import time_machine

        self.client.force_login(self.office)
        with time_machine.travel(dt.datetime(2026, 6, 10, 9), tick=False):  # the round is open
            page = self.client.get(self.url(self.course))
            xlsx = self.client.get(reverse("surveys:results_round_xlsx", args=[self.course.pk]))
        self.assertContains(page, "chỉ được hiển thị sau khi khảo sát kết thúc (sau ngày 15/06/2026)")
        self.assertContains(page, "100,00%")  # the office sees the response rate
        self.assertNotContains(page, "<svg")
        self.assertNotContains(page, "7,00")
        for text in TEXTS:
            self.assertNotContains(page, text)
            self.assertNotIn(text.encode(), xlsx.content)
        # Closed: the figures.
        self.assertContains(self.client.get(self.url(self.course)), "7,67")

    def test_constant_queries(self):
        self.client.force_login(self.office)
        self.client.get(self.url(self.course))
        with self.assertNumQueries(12):  # one to find forms left in a closed round's pool
            self.client.get(self.url(self.course))


class ComparisonPageTests(ResultsViewTestCase):
    url = reverse("surveys:results_compare")

    def test_compare_by_cohort(self):
        self.client.force_login(self.office)
        page = self.client.get(self.url, {"questionnaire": self.version.questionnaire_id, "by": "cohort"})
        self.assertEqual(page.status_code, 200)
        rows = {row.label[:4]: row for row in page.context["comparison"].rows}
        self.assertEqual(sorted(rows), ["TC01", "TC02"])
        self.assertFalse(rows["TC01"].hidden)
        self.assertEqual(rows["TC01"].valid, 10)
        self.assertTrue(rows["TC02"].hidden)
        self.assertContains(page, hidden_text(2, 5))
        self.assertContains(page, "7,67")

    def test_compare_by_lecturer_for_a_lecturer(self):
        self.client.force_login(self.lecturer_user)
        page = self.client.get(self.url, {"questionnaire": self.version.questionnaire_id, "by": "lecturer"})
        self.assertEqual([row.label for row in page.context["comparison"].rows], ["Trần Văn Giảng"])

    def test_form_and_bad_parameters(self):
        self.client.force_login(self.coordinator)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        for query in ({"questionnaire": "abc", "by": "cohort"}, {"questionnaire": 999999, "by": "cohort"},
                      {"questionnaire": self.version.questionnaire_id, "by": "nothing"}):  # fmt: skip
            self.assertEqual(self.client.get(self.url, query).status_code, 400)
        self.client.force_login(self.student_user)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_constant_queries(self):
        self.client.force_login(self.office)
        query = {"questionnaire": self.version.questionnaire_id, "by": "year"}
        self.client.get(self.url, query)
        with self.assertNumQueries(10):  # one to find forms left in a closed round's pool
            self.client.get(self.url, query)
