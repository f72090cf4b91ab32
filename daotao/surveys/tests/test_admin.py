"""The training office builds questionnaires and rounds in the admin: a new round freezes
its version, a frozen version shows its questions read-only, what a round asks is fixed once
it exists, and every list opens."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from daotao.surveys.models import Invitation, Question, Questionnaire, QuestionnaireVersion, SurveyRound
from daotao.surveys.tests.base import SurveyWorldTestCase, make_questionnaire


class SurveyAdminTests(SurveyWorldTestCase):
    def setUp(self):
        self.office.is_staff = True
        self.office.save()
        self.client.force_login(self.office)

    def round_form(self, **changes):
        data = {
            "title": "Đánh giá khóa học", "version": self.version.pk, "cohort": self.cohort.pk, "module": "",
            "lecturer": "", "phase": "end", "subject": "course", "audience": "students", "anonymous": "on",
            "months_after": "", "opens_on": "25/05/2026", "closes_on": "15/06/2026", "min_answers": "",
            "remind_every_days": "3", "max_reminders": "2",
            "invitations-TOTAL_FORMS": "0", "invitations-INITIAL_FORMS": "0",
        }  # fmt: skip
        data.update(changes)
        return data

    def test_the_office_creates_a_round_which_freezes_its_version(self):
        page = self.client.post(reverse("admin:surveys_surveyround_add"), self.round_form())
        self.assertEqual(page.status_code, 302, page.content.decode()[:3000])
        survey_round = SurveyRound.objects.get()
        self.assertEqual(survey_round.created_by, self.office)
        self.assertTrue(QuestionnaireVersion.objects.get(pk=self.version.pk).frozen)
        # The version's questions can no longer be changed in the admin.
        page = self.client.get(reverse("admin:surveys_questionnaireversion_change", args=[self.version.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="questions-0-text"')
        # What the round asks is fixed: a changed version or class is ignored.
        version, _questions = make_questionnaire("Phiếu khác")
        data = self.round_form(title="Đánh giá cuối khóa", version=version.pk, cohort=self.other_cohort.pk)
        page = self.client.post(reverse("admin:surveys_surveyround_change", args=[survey_round.pk]), data)
        self.assertEqual(page.status_code, 302)
        survey_round.refresh_from_db()
        self.assertEqual((survey_round.title, survey_round.version_id, survey_round.cohort_id),
                         ("Đánh giá cuối khóa", self.version.pk, self.cohort.pk))  # fmt: skip

    def test_a_bad_round_redisplays_with_the_reason(self):
        page = self.client.post(
            reverse("admin:surveys_surveyround_add"),
            self.round_form(phase="after", opens_on="", closes_on="01/01/2027"),
        )
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "bao nhiêu tháng")
        empty = QuestionnaireVersion.objects.create(questionnaire=Questionnaire.objects.create(title="Trống"), number=1)
        page = self.client.post(reverse("admin:surveys_surveyround_add"), self.round_form(version=empty.pk))
        self.assertContains(page, "chưa có câu hỏi")
        self.assertFalse(SurveyRound.objects.exists())

    def test_new_version_action_copies_a_frozen_version(self):
        self.make_round()
        questionnaire = self.version.questionnaire
        self.client.post(
            reverse("admin:surveys_questionnaire_changelist"),
            {"action": "new_version", "_selected_action": [questionnaire.pk]},
        )
        latest = questionnaire.latest_version()
        self.assertEqual(latest.number, 2)
        self.assertEqual(Question.objects.filter(version=latest).count(), len(self.questions))

    def test_every_list_and_form_opens(self):
        survey_round = self.make_round()
        self.assertTrue(Invitation.objects.filter(round=survey_round).exists())
        for name in ["evaluationrules", "questionnaire", "questionnaireversion", "surveyround", "careerevent"]:
            with self.subTest(model=name):
                self.assertEqual(self.client.get(reverse(f"admin:surveys_{name}_changelist")).status_code, 200)
        for url in [
            reverse("admin:surveys_surveyround_change", args=[survey_round.pk]),
            reverse("admin:surveys_questionnaire_change", args=[self.version.questionnaire_id]),
            reverse("admin:surveys_questionnaire_add"),
            reverse("admin:surveys_surveyround_add"),
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_round_page_costs_the_same_whatever_the_number_of_invitations(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from daotao.surveys import services
        from daotao.testing import enroll

        survey_round = self.make_round()
        url = reverse("admin:surveys_surveyround_change", args=[survey_round.pk])
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get(url).status_code, 200)
        enroll(self.cohort, 14)
        services.invitations_create(survey_round=survey_round)
        self.assertEqual(Invitation.objects.filter(round=survey_round).count(), 20)
        with CaptureQueriesContext(connection) as many:
            self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(len(many), len(few))

    def test_who_answered_an_anonymous_round_is_shown_only_as_counts(self):
        from daotao.surveys import services
        from daotao.surveys.tests.base import TODAY

        anonymous = self.make_round()
        named = self.make_round(title="Nhu cầu đầu khóa", phase="before", anonymous=False)
        for survey_round in (anonymous, named):
            services.response_submit(invitation=self.invitations(survey_round)[0], values=self.full_values(),
                                     today=TODAY)  # fmt: skip
        page = self.client.get(reverse("admin:surveys_surveyround_change", args=[anonymous.pk]))
        self.assertContains(page, "1 trong số 6 người được mời đã trả lời.")
        self.assertContains(page, "1 phiếu ẩn danh đang chờ")
        self.assertContains(page, self.students[0].full_name)  # who was invited
        for column in ("field-answered", "field-last_sent_at", "field-reminders_sent"):
            self.assertNotContains(page, column)
        page = self.client.get(reverse("admin:surveys_surveyround_change", args=[named.pk]))
        self.assertContains(page, "field-answered")

    def test_deleting_a_round_lists_no_anonymous_answer_beside_the_names_of_those_invited(self):
        from daotao.surveys import services
        from daotao.surveys.tests.base import TODAY

        survey_round = self.make_round()
        services.response_submit(
            invitation=self.invitations(survey_round)[0], values=self.full_values(text="Góp ý riêng"), today=TODAY
        )
        self.close()  # written out of the pool: the round now has its answers
        page = self.client.get(reverse("admin:surveys_surveyround_delete", args=[survey_round.pk]))
        self.assertContains(page, self.students[0].full_name)  # the invitations it takes with it
        self.assertContains(page, "8.00")  # and the answers, each by its question, a rating shown
        self.assertNotContains(page, "Góp ý riêng")

    def test_an_anonymous_round_that_has_closed_cannot_be_reopened(self):
        survey_round = self.make_round()  # closed on 15/06/2026
        url = reverse("admin:surveys_surveyround_change", args=[survey_round.pk])
        self.assertNotContains(self.client.get(url), 'name="closes_on"')  # shown, not editable
        self.assertEqual(self.client.post(url, self.round_form(closes_on="31/12/2027")).status_code, 302)
        survey_round.refresh_from_db()
        self.assertEqual(survey_round.closes_on, dt.date(2026, 6, 15))
        # A named round's dates still move.
        named = self.make_round(title="Nhu cầu đầu khóa", phase="before", anonymous=False)
        url = reverse("admin:surveys_surveyround_change", args=[named.pk])
        self.client.post(url, self.round_form(title="Nhu cầu đầu khóa", closes_on="31/12/2027", phase="before"))
        named.refresh_from_db()
        self.assertEqual(named.closes_on, dt.date(2027, 12, 31))

    def test_a_new_questionnaire_gets_its_first_version(self):
        self.client.post(reverse("admin:surveys_questionnaire_add"), {
            "title": "Phiếu mới", "description": "", "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0",
        })  # fmt: skip
        self.assertEqual(Questionnaire.objects.get(title="Phiếu mới").versions.count(), 1)

    def test_a_lecturer_or_coordinator_has_no_survey_admin(self):
        for user in (self.lecturer_user, self.coordinator):
            user.is_staff = True
            user.save()
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(reverse("admin:surveys_surveyround_changelist")).status_code, 403)
