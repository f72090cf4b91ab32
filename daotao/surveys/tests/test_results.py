"""Figures of a round's results and of a comparison between rounds, on known answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from daotao.surveys import services
from daotao.surveys.models import Question, QuestionKind, Section, SurveyRound
from daotao.surveys.results import comparison, round_results
from daotao.surveys.tests.base import AFTER, TODAY, SurveyWorldTestCase, make_questionnaire
from daotao.testing import enroll, make_cohort

# Scores of the first rating in the five valid forms of ``answered_round``.
FIRST_SCORES = [10, 8, 8, 6, 3]
TEXTS = ["Cần thêm tình huống", "Bổ ích", "Giảng viên nhiệt tình", "An toàn", "Thêm thời gian thảo luận"]


def values_for(questions, score, text="", single=0, multiple=(0,), number=10) -> dict:
    """An answer to every question of ``questions`` (blank where given ``None``)."""
    values = {}
    for question in questions:
        value = {
            QuestionKind.RATING: score,
            QuestionKind.SINGLE: single,
            QuestionKind.MULTIPLE: list(multiple) if multiple is not None else None,
            QuestionKind.NUMBER: number,
            QuestionKind.TEXT: text,
        }[question.kind]
        if value is not None and value != "":
            values[question.pk] = value
    return values


def answer_round(case: SurveyWorldTestCase, survey_round):
    """Answer a round of TC01 (6 invited): five valid forms and one invalid form (a choice
    left blank: 1 of 6 items is more than 5%)."""
    invitations = case.invitations(survey_round)
    for index, (score, text) in enumerate(zip(FIRST_SCORES, TEXTS, strict=True)):
        values = values_for(case.questions, 8, text, single=index % 2, multiple=[0, 2] if index < 2 else [1])
        values[case.questions[0].pk] = score
        values[case.questions[5].pk] = 10 + index  # the number: 10..14
        services.response_submit(invitation=invitations[index], values=values, today=TODAY)
    invalid = values_for(case.questions, 1, "Ý kiến trong phiếu bỏ trống", single=None)
    services.response_submit(invitation=invitations[5], values=invalid, today=TODAY)
    case.close()
    return survey_round


class ResultsTestCase(SurveyWorldTestCase):
    def answered_round(self, **fields):
        return answer_round(self, self.make_round(**fields))


class RoundResultsTests(ResultsTestCase):
    def test_figures_on_known_answers(self):
        survey_round = self.answered_round()
        with self.assertNumQueries(8):
            results = round_results(survey_round, show_text=True)
        self.assertEqual((results.invited, results.answered, results.valid, results.invalid), (6, 6, 5, 1))
        self.assertEqual(results.rate, Decimal(1))
        self.assertFalse(results.hidden)
        self.assertEqual([section.title for section in results.sections], ["Chương trình"])
        by_text = {result.question.text: result for result in results.questions}
        self.assertEqual(list(by_text), [question.text for question in self.questions])

        first = by_text["Nội dung 1"]
        self.assertEqual(first.answers, 5)
        self.assertEqual([bar.label for bar in first.bars], [str(score) for score in range(1, 11)])
        counts = {bar.label: bar.count for bar in first.bars}
        self.assertEqual(counts, {"1": 0, "2": 0, "3": 1, "4": 0, "5": 0, "6": 1, "7": 0, "8": 2, "9": 0, "10": 1})
        self.assertEqual(first.bars[7].share, Decimal("0.4"))
        self.assertEqual(first.mean, Decimal("7.00"))  # the invalid form's 1 is not counted
        self.assertEqual(first.band, "Khá")
        self.assertEqual((by_text["Nội dung 2"].mean, by_text["Nội dung 2"].band), (Decimal("8.00"), "Tốt"))

        single = by_text["Hình thức học"]
        self.assertEqual([(bar.label, bar.count) for bar in single.bars], [("Tập trung", 3), ("Không tập trung", 2)])
        self.assertEqual(single.bars[0].share, Decimal("0.6"))
        multiple = by_text["Nội dung muốn học thêm"]
        self.assertEqual([bar.count for bar in multiple.bars], [2, 3, 2])
        self.assertEqual(multiple.answers, 5)

        number = by_text["Số năm công tác"]
        self.assertEqual((number.answers, number.mean, number.minimum, number.maximum), (5, 12, 10, 14))
        self.assertEqual(number.band, "")

        # Free texts in alphabetical order, not in the order they came in; the invalid form's text is left out.
        self.assertEqual(
            by_text["Góp ý"].texts,
            ["An toàn", "Bổ ích", "Cần thêm tình huống", "Giảng viên nhiệt tình", "Thêm thời gian thảo luận"],
        )
        # Overall: (35 + 40 + 40) / 15 ratings.
        self.assertEqual((results.mean, results.band), (Decimal("7.67"), "Khá"))

    def test_free_text_only_when_asked(self):
        survey_round = self.answered_round()
        with self.assertNumQueries(8):
            results = round_results(survey_round, show_text=False)
        text = results.questions[-1]
        self.assertEqual((text.texts, text.answers), ([], 5))

    def test_hidden_below_the_threshold(self):
        survey_round = self.make_round()
        for invitation in self.invitations(survey_round)[:4]:
            services.response_submit(invitation=invitation, values=self.full_values(), today=TODAY)
        self.close()
        with self.assertNumQueries(4):  # no answer is read at all
            results = round_results(survey_round, show_text=True)
        self.assertTrue(results.hidden)
        self.assertEqual((results.invited, results.answered, results.valid), (6, 4, 4))
        self.assertEqual((results.sections, results.questions, results.mean), ([], [], None))
        self.assertFalse(results.show_text)
        self.assertIn("4", results.hidden_message)
        self.assertIn("5", results.hidden_message)

    def test_round_threshold_overrides_the_rules(self):
        survey_round = self.make_round(min_answers=3)
        for invitation in self.invitations(survey_round)[:3]:
            services.response_submit(invitation=invitation, values=self.full_values(score=9), today=TODAY)
        results = round_results(survey_round, show_text=False)
        self.assertFalse(results.hidden)
        self.assertEqual((results.mean, results.band), (Decimal("9.00"), "Tốt"))

    def test_invalid_forms_do_not_count_toward_the_threshold(self):
        survey_round = self.answered_round(min_answers=6)
        results = round_results(survey_round, show_text=True)
        self.assertTrue(results.hidden)
        self.assertEqual((results.answered, results.valid, results.invalid), (6, 5, 1))

    def test_two_blank_items_of_twenty_make_a_form_invalid(self):
        version, questions = make_questionnaire("Phiếu 20 mục", ratings=1, optional_ratings=16)
        self.assertEqual(sum(1 for q in questions if q.kind != QuestionKind.TEXT), 20)
        survey_round = self.make_round(version=version, min_answers=3)
        invitations = self.invitations(survey_round)
        optional = [q for q in questions if q.text.startswith("Nội dung thêm")]
        one_blank = values_for(questions, 9)
        del one_blank[optional[0].pk]
        two_blank = values_for(questions, 2)
        del two_blank[optional[0].pk], two_blank[optional[1].pk]
        services.response_submit(invitation=invitations[0], values=one_blank, today=TODAY)  # 5%: valid
        services.response_submit(invitation=invitations[1], values=two_blank, today=TODAY)  # 10%: invalid
        for invitation in invitations[2:4]:
            services.response_submit(invitation=invitation, values=one_blank, today=TODAY)
        results = round_results(survey_round, show_text=False)
        self.assertEqual((results.valid, results.invalid), (3, 1))
        self.assertEqual(results.questions[0].mean, Decimal("9.00"))
        self.assertEqual(results.mean, Decimal("9.00"))

    def test_band_only_on_the_rules_scale(self):
        version, questions = make_questionnaire("Phiếu thang 5", ratings=0)
        section = Section.objects.get(version=version)
        five = Question.objects.create(
            version=version, section=section, order=0, text="Mức độ hài lòng", kind="rating", scale_min=1, scale_max=5
        )
        survey_round = self.make_round(version=version, min_answers=3)
        values = values_for([*questions, five], 4)
        for invitation in self.invitations(survey_round)[:3]:
            services.response_submit(invitation=invitation, values=values, today=TODAY)
        results = round_results(survey_round, show_text=False)
        rating = results.questions[0]
        self.assertEqual((rating.mean, rating.band, len(rating.bars)), (Decimal("4.00"), "", 5))
        self.assertEqual((results.mean, results.band), (None, ""))

    def test_constant_queries_whatever_the_number_of_answers(self):
        big = make_cohort("TC50", self.tc, self.h01, dt.date(2026, 3, 2))
        enroll(big, 50)
        small_round, big_round = self.make_round(), self.make_round(cohort=big)
        for survey_round, count in ((small_round, 5), (big_round, 50)):
            for index, invitation in enumerate(self.invitations(survey_round)[:count]):
                values = self.full_values(score=1 + index % 10, text=f"Ý kiến {index}")
                services.response_submit(invitation=invitation, values=values, today=TODAY)
        self.close()
        with CaptureQueriesContext(connection) as small:
            round_results(small_round, show_text=True)
        with CaptureQueriesContext(connection) as large:
            results = round_results(big_round, show_text=True)
        self.assertEqual(len(small), len(large))
        self.assertEqual(results.valid, 50)
        self.assertEqual(len(results.questions[-1].texts), 50)
        self.assertEqual(results.questions[0].mean, Decimal("5.50"))


class ComparisonTests(ResultsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.third = make_cohort("TC03", cls.tc, cls.h03, dt.date(2026, 3, 2))
        enroll(cls.third, 2)

    def setUp(self):
        # v1 in TC01 about the lecturer: 5 forms of 8.
        self.first = self.make_round(subject="lecturer", lecturer=self.lecturer)
        for invitation in self.invitations(self.first)[:5]:
            services.response_submit(invitation=invitation, values=values_for(self.questions, 8), today=TODAY)
        # v2 (one question reworded with extra spaces, one new) in TC02: 3 forms of 6.
        v2 = services.version_draft(questionnaire=self.version.questionnaire)
        self.assertEqual(v2.number, 2)
        section = v2.sections.get()
        Question.objects.create(
            version=v2, section=section, order=20, text="Nội dung mới", kind="rating", scale_min=1, scale_max=10
        )
        Question.objects.filter(version=v2, text="Nội dung 2").update(text="Nội dung  2")
        v2_questions = list(v2.questions.all())
        self.second = self.make_round(
            version=v2, cohort=self.other_cohort, subject="lecturer", lecturer=self.other_lecturer, min_answers=3
        )
        for invitation in self.invitations(self.second):
            services.response_submit(invitation=invitation, values=values_for(v2_questions, 6), today=TODAY)
        # TC03: one form only, below the school's threshold of 5.
        self.third_round = self.make_round(cohort=self.third, closes_on=dt.date(2027, 1, 15))
        services.response_submit(
            invitation=self.invitations(self.third_round)[0], values=values_for(self.questions, 2), today=TODAY
        )
        self.rounds = [self.first, self.second, self.third_round]
        self.close()

    def test_by_cohort(self):
        with self.assertNumQueries(5):
            result = comparison(self.rounds, by="cohort", today=AFTER)
        self.assertEqual(result.questions, ["Nội dung 1", "Nội dung 2", "Nội dung 3", "Nội dung mới"])
        rows = {row.label.split(" ")[0]: row for row in result.rows}
        self.assertEqual(list(rows), ["TC01", "TC02", "TC03"])
        self.assertEqual(rows["TC01"].means, [Decimal("8.00"), Decimal("8.00"), Decimal("8.00"), None])
        self.assertEqual((rows["TC01"].mean, rows["TC01"].band), (Decimal("8.00"), "Tốt"))
        self.assertEqual(rows["TC02"].means, [Decimal("6.00")] * 4)
        self.assertEqual((rows["TC02"].mean, rows["TC02"].band), (Decimal("6.00"), "Khá"))
        self.assertTrue(rows["TC03"].hidden)
        self.assertEqual((rows["TC03"].means, rows["TC03"].mean, rows["TC03"].valid), ([], None, 1))

    def test_by_year_pools_the_rounds(self):
        rows = comparison(self.rounds, by="year", today=AFTER).rows
        self.assertEqual([row.label for row in rows], ["2026", "2027"])
        # (5 × 8 × 3 + 3 × 6 × 4) / (15 + 12) ratings on the 1-10 scale.
        self.assertEqual(rows[0].means[0], Decimal("7.25"))
        self.assertEqual((rows[0].mean, rows[0].band, rows[0].valid), (Decimal("7.11"), "Khá", 8))
        self.assertTrue(rows[1].hidden)

    def test_a_round_below_its_threshold_adds_nothing_to_its_group(self):
        # TC03's single form (all 2s) closes in 2026 too: pooling it would let anyone
        # subtract the group's figures with and without it.
        SurveyRound.objects.filter(pk=self.third_round.pk).update(closes_on=dt.date(2026, 6, 15))
        rows = comparison(self.rounds, by="year", today=AFTER).rows
        self.assertEqual([row.label for row in rows], ["2026"])
        self.assertEqual(
            (rows[0].means[0], rows[0].mean, rows[0].valid, rows[0].shown), (Decimal("7.25"), Decimal("7.11"), 9, 8)
        )

    def test_by_lecturer_leaves_out_rounds_without_one(self):
        rows = comparison(self.rounds, by="lecturer", today=AFTER).rows
        self.assertEqual([row.label for row in rows], ["Lê Thị Dạy", "Trần Văn Giảng"])
        self.assertEqual([row.mean for row in rows], [Decimal("6.00"), Decimal("8.00")])

    def test_constant_queries(self):
        from daotao.surveys.models import SurveyRound

        self.close()
        with self.assertNumQueries(5):
            comparison(SurveyRound.objects.all(), by="cohort", today=AFTER)
        with self.assertNumQueries(5):
            comparison(SurveyRound.objects.filter(pk=self.first.pk), by="cohort", today=AFTER)

    def test_an_anonymous_round_still_open_is_left_out(self):
        # On 20/12/2026, TC03's round (closing 15/01/2027) is open: its answers are withheld.
        rows = comparison(self.rounds, by="cohort", today=dt.date(2026, 12, 20)).rows
        self.assertEqual([row.label.split(" ")[0] for row in rows], ["TC01", "TC02"])
