"""Evaluation coverage of a year against the targets of Thông tư 10/2017/TT-BNV: a round
counts only when its valid forms reach its threshold."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from daotao.cohorts.access import cohorts_seen_whole
from daotao.grading.models import GraduationDecision, GraduationEntry
from daotao.surveys import services
from daotao.surveys.coverage import coverage_figures, year_coverage
from daotao.surveys.models import Response, SealedResponse, SurveyRound
from daotao.surveys.tests.base import AFTER, TODAY, SurveyWorldTestCase
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
            enroll(cohort, 3)
        make_cohort("HUY", cls.programs["BD-CV"], cls.h01, dt.date(2026, 2, 1), status="cancelled")
        # A 2025 class closed in 2025, evaluated after the course in 2026.
        cls.old = make_cohort("TC25", cls.tc, cls.h01, dt.date(2025, 1, 6), dt.date(2025, 11, 28))
        old_enrollments = enroll(cls.old, 3)
        decision = GraduationDecision.objects.create(cohort=cls.old, number="5-QĐ", date=dt.date(2025, 11, 28))
        for enrollment in old_enrollments:
            GraduationEntry.objects.create(decision=decision, enrollment=enrollment, classification="fair")

    def answer(self, survey_round, count=1, valid=True, start=0, today=TODAY):
        """``count`` forms from the invited in turn: valid (every item answered) or not (the
        ratings only: half the items blank)."""
        ratings = {q.pk: 8 for q in survey_round.version.questions.filter(kind="rating")}
        for invitation in self.invitations(survey_round)[start : start + count]:
            values = self.full_values() if valid else ratings
            services.response_submit(invitation=invitation, values=values, today=today)

    def answer_one(self, survey_round, today=TODAY):
        self.answer(survey_round, today=today)

    def coverage(self, year, today, cohorts=None):
        """The page's coverage, after checking that the board's query (``coverage_figures``,
        asked first, so that it writes out the pools due itself) gives the same figures."""
        figures = coverage_figures(year, cohorts, today=today)
        coverage = year_coverage(year, cohorts, today=today)
        names = ("year", "classes", "course_count", "learner_count", "after_count", "targets_met")
        self.assertEqual([getattr(figures, n) for n in names], [getattr(coverage, n) for n in names])
        return coverage

    def row(self, coverage, code="TC01"):
        return next(row for row in coverage.cohorts if row.cohort.code == code)

    def evaluated(self, survey_round):
        """Valid forms up to the round's threshold."""
        self.answer(survey_round, survey_round.threshold)

    def test_figures_of_a_year(self):
        three = {"min_answers": 3}
        end = self.make_round()  # TC01, course at the end: 6 invited, the rules' threshold of 5
        self.answer(end, 5)
        self.answer(self.make_round(title="Giảng viên", subject="lecturer", lecturer=self.lecturer))  # 1 of 5
        self.evaluated(self.make_round(title="Đầu khóa", phase="before", cohort=self.other_cohort))
        self.evaluated(self.make_round(title="Học viên", subject="learners", cohort=self.more[0], **three))
        self.evaluated(self.make_round(title="Cuối khóa", phase="during", cohort=self.more[1], **three))
        self.make_round(title="Chưa ai trả lời", phase="end", cohort=self.more[2])  # no answer: not counted
        self.make_round(  # closes in 2027: counts for 2027, not 2026
            title="Năm sau", subject="learners", cohort=self.more[1], closes_on=dt.date(2027, 1, 15), **three
        )
        after = self.make_round(
            title="Sau khóa", cohort=self.old, phase="after", audience="graduates", subject="effect",
            anonymous=False, months_after=6, opens_on=None, **three,
        )  # fmt: skip
        self.evaluated(after)
        self.close()
        with self.assertNumQueries(8):
            coverage = year_coverage(2026, today=AFTER)
            rows = {row.cohort.code: row for row in coverage.cohorts}
        self.assertEqual(coverage.classes, 10)
        self.assertNotIn("HUY", rows)
        self.assertNotIn("TC25", rows)
        self.assertEqual([f.round.title for f in rows["TC01"].course], ["Đánh giá khóa học", "Giảng viên"])
        first, lecturer = rows["TC01"].course
        self.assertEqual((first.answered, first.invited, first.rate), (5, 6, Decimal(5) / 6))
        self.assertEqual((first.valid, first.threshold, first.enough), (5, 5, True))
        self.assertEqual((lecturer.valid, lecturer.threshold, lecturer.enough, lecturer.short), (1, 5, False, True))
        self.assertEqual([f.round.title for f in rows["TC02"].before], ["Đầu khóa"])
        self.assertEqual((coverage.course_count, coverage.course_share), (2, Decimal("20.00")))
        self.assertEqual((coverage.learner_count, coverage.learner_share), (1, Decimal("10.00")))
        self.assertEqual(coverage.after_count, 1)
        self.assertEqual(coverage.targets_met, {"course": True, "learners": True, "after": True})
        self.assertEqual(self.coverage(2025, AFTER).after_count, 0)  # the after round closes in 2026
        # The board's figures, without the table: four queries, the same numbers, for the
        # school and for a coordinator's classes (TC01 and the odd BD classes of H01).
        with self.assertNumQueries(4):
            figures = coverage_figures(2026, today=AFTER)
        self.assertEqual(
            (figures.classes, figures.course_count, figures.learner_count, figures.after_count), (10, 2, 1, 1)
        )
        mine = self.coverage(2026, AFTER, cohorts_seen_whole(self.coordinator))
        self.assertEqual((mine.classes, mine.course_count, mine.learner_count), (5, 1, 1))

    def test_a_class_is_evaluated_only_at_its_threshold_of_valid_forms(self):
        end = self.make_round()  # the rules' threshold: 5 valid forms
        self.answer(end, 4)
        self.answer(end, 2, valid=False, start=4)  # invalid forms are not counted
        coverage = self.coverage(2026, AFTER)  # the closed round's pool is written out first
        (figures,) = self.row(coverage).course
        self.assertEqual((figures.answered, figures.valid, figures.threshold), (6, 4, 5))
        self.assertTrue(figures.short)
        self.assertEqual(coverage.course_count, 0)
        self.client.force_login(self.office)
        page = self.client.get(reverse("surveys:coverage") + "?year=2026")
        self.assertContains(page, "(4/5)")

        self.make_round(title="Cuối khóa 2", min_answers=3)  # its own threshold: 3
        second = SurveyRound.objects.get(title="Cuối khóa 2")
        self.answer(second, 3)
        coverage = self.coverage(2026, AFTER)
        self.assertEqual([f.enough for f in self.row(coverage).course], [False, True])
        self.assertEqual(coverage.course_count, 1)

    def test_threshold_minus_one_then_threshold(self):
        end = self.make_round(subject="learners", min_answers=4)
        self.answer(end, 3)
        self.assertEqual(self.coverage(2026, AFTER).learner_count, 0)
        Response.objects.filter(round=end).update(valid=False)
        self.answer(end, 3, start=3)  # three more valid, the first three now void
        self.assertEqual(self.coverage(2026, AFTER).learner_count, 0)
        Response.objects.filter(round=end).update(valid=True)
        self.assertEqual(self.coverage(2026, AFTER).learner_count, 1)

    def test_an_open_anonymous_round_counts_what_has_left_the_pool(self):
        end = self.make_round(min_answers=3)
        self.answer(end, 5)  # sealed in the pool while the round is open
        coverage = self.coverage(2026, TODAY)
        (figures,) = self.row(coverage).course
        self.assertEqual((figures.answered, figures.valid, figures.waiting), (5, 0, True))
        self.assertFalse(SealedResponse.objects.filter(round=end).count() < 5)  # nothing written out
        self.assertEqual(coverage.course_count, 0)
        coverage = self.coverage(2026, AFTER)  # closed: its pool is written out once, then counted
        self.assertEqual(coverage.course_count, 1)
        self.assertFalse(SealedResponse.objects.exists())
        with self.assertNumQueries(7):  # then as many as before (no round after the course: no sixth query)
            self.assertEqual(year_coverage(2026, today=AFTER).course_count, 1)

    def test_below_target(self):
        self.evaluated(self.make_round())
        coverage = self.coverage(2026, AFTER)
        self.assertEqual(coverage.course_share, Decimal("10.00"))
        self.assertEqual(coverage.targets_met, {"course": False, "learners": False, "after": False})

    def test_the_page_per_role(self):
        self.evaluated(self.make_round())
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
