"""A student answers a survey through the link of their invitation in headless Chromium;
the same link opened again is refused with a clear message.

How browser tests run, and when they are skipped: ``daotao.browser_testing``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from daotao.browser_testing import DESKTOP_CHROME, PNG_SIGNATURE, BrowserTestCase, artifacts_dir
from daotao.org.models import UnitKind
from daotao.programs.models import Program
from daotao.surveys import pool, services
from daotao.surveys.models import Answer, Invitation, Response, SealedResponse
from daotao.surveys.tests.base import make_questionnaire
from daotao.testing import enroll, make_cohort, make_unit, make_user


@pytest.mark.browser
class AnswerInBrowserTests(BrowserTestCase):
    def setUp(self):
        province = make_unit("BA", "Tỉnh Bình An", UnitKind.PROVINCE)
        h01 = make_unit("H01", "Thành phố Bình An", UnitKind.DISTRICT, province)
        program = Program.objects.create(code="BD-CV", name="Bồi dưỡng ngạch chuyên viên", kind="fostering")
        today = dt.date.today()
        cohort = make_cohort("CV01", program, h01, today - dt.timedelta(days=20))
        enroll(cohort, 1)
        self.version, self.questions = make_questionnaire(ratings=2)
        office = make_user("office", "training_office")
        survey_round = services.round_create(
            user=office, title="Đánh giá khóa học CV01", version=self.version, cohort=cohort, phase="end",
            subject="course", audience="students", anonymous=True, opens_on=today - dt.timedelta(days=1),
            closes_on=today + dt.timedelta(days=10),
        )  # fmt: skip
        services.invitations_create(survey_round=survey_round)
        self.round = survey_round
        self.invitation = Invitation.objects.get(round=survey_round)
        self.errors = []

    def page(self):
        context = self.browser.new_context(
            user_agent=DESKTOP_CHROME, locale="vi-VN", viewport={"width": 1000, "height": 900}
        )
        self.addCleanup(context.close)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        return page

    def test_answer_once_through_the_link(self):
        url = self.live_server_url + reverse("surveys:answer", args=[self.invitation.token])
        page = self.page()
        page.goto(url)
        self.assertIn("ẩn danh", page.locator(".survey").inner_text())

        # Send without the required ratings: the form comes back naming what is missing.
        with page.expect_navigation():
            page.get_by_role("button", name="Gửi câu trả lời").click()
        self.assertEqual(page.locator(".survey-question.has-error").count(), 2)
        self.assertIn("Đề nghị trả lời câu hỏi này", page.locator(".survey-question.has-error").first.inner_text())

        first, second = self.questions[0], self.questions[1]
        page.locator(f"input[name=q{first.pk}][value='9']").check()
        page.locator(f"input[name=q{second.pk}][value='7']").check()
        page.get_by_label("Không tập trung").check()
        page.get_by_label("Kỹ năng").check()
        page.get_by_label("Pháp luật").check()
        page.locator(f"input[name=q{self.questions[4].pk}]").fill("12,5")
        page.locator(f"textarea[name=q{self.questions[5].pk}]").fill("Nên tăng thời lượng thảo luận")
        directory = artifacts_dir()
        directory.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(directory / "survey-answer.png"), full_page=True)
        with page.expect_navigation():
            page.get_by_role("button", name="Gửi câu trả lời").click()
        self.assertIn("đã được ghi nhận", page.locator("main").inner_text())

        # Anonymous: the form waits, sealed, until the round has closed, then is written out.
        self.assertEqual((SealedResponse.objects.count(), Response.objects.count()), (1, 0))
        pool.flush_due(today=self.round.closes_on + dt.timedelta(days=1))
        response = Response.objects.get()
        self.assertIsNone(response.invitation_id)  # anonymous
        self.assertEqual(
            sorted(
                (a.question_id, str(a.number) if a.number is not None else a.text or a.choices)
                for a in Answer.objects.all()
            ),
            sorted([
                (first.pk, "9.00"), (second.pk, "7.00"), (self.questions[2].pk, [1]), (self.questions[3].pk, [1, 2]),
                (self.questions[4].pk, "12.50"), (self.questions[5].pk, "Nên tăng thời lượng thảo luận"),
            ]),
        )  # fmt: skip

        # The same link again, in another browser: refused with a clear message.
        again = self.page()
        reply = again.goto(url)
        self.assertEqual(reply.status, 410)
        message = again.locator("[role=alert]").inner_text()
        self.assertIn("đã được sử dụng", message)
        self.assertEqual(again.locator("form button[type=submit]").count(), 0)
        shot = again.screenshot(path=str(directory / "survey-link-used.png"))
        self.assertTrue(shot.startswith(PNG_SIGNATURE))
        self.assertEqual(self.errors, [])
        self.assertEqual(Response.objects.count(), 1)
