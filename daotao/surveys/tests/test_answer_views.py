"""The answer page: open through the link without signing in, used once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from daotao.surveys.models import Answer, Invitation, Response, SealedResponse
from daotao.surveys.tests.base import SurveyWorldTestCase

NOW = dt.datetime(2026, 6, 1, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@time_machine.travel(NOW, tick=False)
class AnswerPageTests(SurveyWorldTestCase):
    def setUp(self):
        self.round = self.make_round(title="Đánh giá khóa học TC01")
        self.invitation = self.invitations(self.round)[0]
        self.url = reverse("surveys:answer", args=[self.invitation.token])

    def form_data(self, score="8"):
        rating, single, multiple, number, text = (
            [q for q in self.questions if q.kind == "rating"],
            *[next(q for q in self.questions if q.kind == kind) for kind in ("single", "multiple", "number", "text")],
        )
        data = {f"q{q.pk}": score for q in rating}
        data.update({f"q{single.pk}": "1", f"q{multiple.pk}": ["0", "2"], f"q{number.pk}": "12,5"})
        data[f"q{text.pk}"] = "Cần thêm thời gian thảo luận"
        return data

    def test_the_form_shows_every_question_and_says_it_is_anonymous(self):
        page = self.client.get(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page["Cache-Control"], "max-age=0, no-cache, no-store, must-revalidate, private")
        for question in self.questions:
            self.assertContains(page, question.text)
        self.assertContains(page, "ẩn danh")
        self.assertContains(page, f'name="q{self.questions[0].pk}"', count=10)  # the 1-10 scale

    def test_answering_stores_the_form_and_a_second_use_is_refused(self):
        answered = self.client.post(self.url, self.form_data())
        self.assertRedirects(answered, reverse("surveys:thanks"))
        # The anonymous form waits, sealed, in the pool until the round has closed.
        self.assertEqual((SealedResponse.objects.count(), Response.objects.count()), (1, 0))
        self.assertTrue(Invitation.objects.get(pk=self.invitation.pk).answered)
        with time_machine.travel(dt.datetime(2026, 6, 16, 9, tzinfo=NOW.tzinfo), tick=False):
            self.close()
        response = Response.objects.get(round=self.round)
        number = Answer.objects.get(response=response, question__kind="number").number
        self.assertEqual(str(number), "12.50")
        self.assertEqual(Answer.objects.get(response=response, question__kind="multiple").choices, [0, 2])
        for method in (self.client.get, self.client.post):
            with self.subTest(method=method.__name__):
                again = method(self.url, self.form_data()) if method == self.client.post else method(self.url)
                self.assertContains(again, "đã được sử dụng", status_code=410)
        self.assertEqual(Response.objects.count(), 1)

    def test_a_missing_required_answer_redisplays_the_form_with_the_question_named(self):
        data = self.form_data()
        del data[f"q{self.questions[0].pk}"]
        page = self.client.post(self.url, data)
        self.assertContains(page, "Đề nghị trả lời câu hỏi này", status_code=400)
        self.assertContains(page, 'value="12,5"', status_code=400)  # what was typed stays
        self.assertFalse(Response.objects.exists() or SealedResponse.objects.exists())
        self.assertFalse(Invitation.objects.get(pk=self.invitation.pk).answered)

    def test_out_of_range_and_forged_values_are_refused(self):
        for field, value in [(f"q{self.questions[0].pk}", "11"), (f"q{self.questions[3].pk}", "7")]:
            with self.subTest(field=field):
                page = self.client.post(self.url, {**self.form_data(), field: value})
                self.assertEqual(page.status_code, 400)
        self.assertFalse(Response.objects.exists() or SealedResponse.objects.exists())

    def test_bad_and_expired_links(self):
        self.assertContains(self.client.get("/surveys/s/1-00/"), "không hợp lệ", status_code=404)
        self.assertContains(self.client.get("/surveys/s/khong-co/"), "không hợp lệ", status_code=404)
        with time_machine.travel(dt.datetime(2026, 6, 16, 9, tzinfo=NOW.tzinfo), tick=False):
            page = self.client.get(self.url)
        self.assertContains(page, "15/06/2026", status_code=410)

    def test_no_sign_in_is_needed_and_a_signed_in_user_changes_nothing(self):
        self.client.force_login(self.other_student_user)
        self.assertRedirects(self.client.post(self.url, self.form_data()), reverse("surveys:thanks"))
        self.close()
        self.assertIsNone(Response.objects.get().invitation_id)
