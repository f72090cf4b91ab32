"""Evaluation coverage of a year against the targets of Thông tư 10/2017/TT-BNV."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from daotao.grading.models import GraduationDecision, GraduationEntry
from daotao.surveys import services
from daotao.surveys.coverage import year_coverage
from daotao.surveys.tests.base import TODAY, SurveyWorldTestCase
from daotao.testing import enroll, make_cohort


class CoverageTests(SurveyWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Ten classes ran in 2026: TC01, TC02 and eight more; one cancelled class counts nowhere.
        cls.more = [
            make_cohort(f"BD{n:02}", cls.programs["BD-CV"], cls.h02 if n % 2 else cls.h01, dt.date(2026, 2, n + 1))
            for n in range(8)
        ]
        for cohort in cls.more[:2]:
            enroll(cohort, 2)
        make_cohort("HUY", cls.programs["BD-CV"], cls.h01, dt.date(2026, 2, 1), status="cancelled")
        # A 2025 class closed in 2025, evaluated after the course in 2026.
        cls.old = make_cohort("TC25", cls.tc, cls.h01, dt.date(2025, 1, 6), dt.date(2025, 11, 28))
        old_enrollments = enroll(cls.old, 2)
        decision = GraduationDecision.objects.create(cohort=cls.old, number="5-QĐ", date=dt.date(2025, 11, 28))
        for enrollment in old_enrollments:
            GraduationEntry.objects.create(decision=decision, enrollment=enrollment, classification="fair")

    def answer_one(self, survey_round, today=TODAY):
        invitation = self.invitations(survey_round)[0]
        values = {q.pk: 8 for q in survey_round.version.questions.filter(kind="rating")}
        services.response_submit(invitation=invitation, values=values, today=today)

    def test_figures_of_a_year(self):
        end = self.make_round()  # TC01, course at the end: 6 invited
        self.answer_one(end)
        self.answer_one(self.make_round(title="Giảng viên", subject="lecturer", lecturer=self.lecturer))
        self.answer_one(self.make_round(title="Đầu khóa", phase="before", cohort=self.other_cohort))
        self.answer_one(self.make_round(title="Học viên", subject="learners", cohort=self.more[0]))
        self.answer_one(self.make_round(title="Cuối khóa", phase="during", cohort=self.more[1]))
        self.make_round(title="Chưa ai trả lời", phase="end", cohort=self.more[2])  # no answer: not counted
        self.make_round(  # closes in 2027: counts for 2027, not 2026
            title="Năm sau", subject="learners", cohort=self.more[1], closes_on=dt.date(2027, 1, 15)
        )
        after = self.make_round(
            title="Sau khóa", cohort=self.old, phase="after", audience="graduates", subject="effect",
            anonymous=False, months_after=6, opens_on=None,
        )  # fmt: skip
        self.answer_one(after)
        with self.assertNumQueries(6):
            coverage = year_coverage(2026)
            rows = {row.cohort.code: row for row in coverage.cohorts}
        self.assertEqual(coverage.classes, 10)
        self.assertNotIn("HUY", rows)
        self.assertNotIn("TC25", rows)
        self.assertEqual([f.round.title for f in rows["TC01"].course], ["Đánh giá khóa học", "Giảng viên"])
        first = rows["TC01"].course[0]
        self.assertEqual((first.answered, first.invited, first.rate), (1, 6, Decimal(1) / 6))
        self.assertEqual([f.round.title for f in rows["TC02"].before], ["Đầu khóa"])
        self.assertEqual((coverage.course_count, coverage.course_share), (2, Decimal("20.00")))
        self.assertEqual((coverage.learner_count, coverage.learner_share), (1, Decimal("10.00")))
        self.assertEqual(coverage.after_count, 1)
        self.assertEqual(coverage.targets_met, {"course": True, "learners": True, "after": True})
        self.assertEqual(year_coverage(2025).after_count, 0)  # the after round closes in 2026

    def test_below_target(self):
        self.answer_one(self.make_round())
        coverage = year_coverage(2026)
        self.assertEqual(coverage.course_share, Decimal("10.00"))
        self.assertEqual(coverage.targets_met, {"course": False, "learners": False, "after": False})

    def test_the_page_per_role(self):
        self.answer_one(self.make_round())
        self.make_round(title="Đầu khóa", phase="before", cohort=self.other_cohort)
        url = reverse("surveys:coverage") + "?year=2026"
        self.client.force_login(self.office)
        page = self.client.get(url)
        self.assertContains(page, "10,00%")
        self.assertContains(page, "TC02")
        self.assertContains(page, "chưa đạt")
        # A coordinator sees the classes of their locality only.
        self.client.force_login(self.coordinator)
        page = self.client.get(url)
        self.assertContains(page, "TC01")
        self.assertNotContains(page, "TC02")
        for user, status in [(self.lecturer_user, 403), (self.student_user, 403)]:
            self.client.force_login(user)
            self.assertEqual(self.client.get(url).status_code, status)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_a_bad_year_is_refused_with_a_message(self):
        self.client.force_login(self.office)
        for year in ("abc", "1800", "20266"):
            with self.subTest(year=year):
                self.assertContains(
                    self.client.get(reverse("surveys:coverage"), {"year": year}), "năm", status_code=400
                )
