"""The demo's evaluation of training and two-way results: rounds in each phase with
answers, a round hidden below the threshold, outcomes of graduates, results packs sent."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from daotao.accounts.models import User
from daotao.cohorts.models import Cohort
from daotao.demo import teaching_data as td
from daotao.surveys.coverage import year_coverage
from daotao.surveys.models import CareerEvent, Response, SurveyRound
from daotao.surveys.outcomes import outcome_report
from daotao.surveys.results import round_results
from daotao.testing import DemoTestCase
from daotao.twoway.models import ResultPackDispatch


class DemoSurveyTests(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tc = Cohort.objects.get(code=td.TC_CODE)
        cls.office = User.objects.get(username="daotao")

    def test_rounds_in_each_phase_with_answers(self):
        rounds = SurveyRound.objects.filter(cohort=self.tc)
        self.assertEqual(set(rounds.values_list("phase", flat=True)), {"before", "during", "end", "after"})
        self.assertEqual(
            set(rounds.filter(phase="after").values_list("audience", flat=True)), {"graduates", "managers"}
        )
        for survey_round in rounds:
            with self.subTest(round=survey_round.title):
                results = round_results(survey_round, show_text=True)
                self.assertFalse(results.hidden)
                self.assertGreater(results.answered, results.invited / 3)
                self.assertGreaterEqual(results.mean, Decimal("6"))
        self.assertFalse(Response.objects.filter(round__anonymous=True, invitation__isnull=False).exists())
        hidden = SurveyRound.objects.get(cohort__code=td.CV_CODE)
        self.assertTrue(round_results(hidden, show_text=False).hidden)

    def test_coverage_of_2026_meets_the_targets(self):
        coverage = year_coverage(2026)
        self.assertEqual(coverage.targets_met, {"course": True, "learners": True, "after": True})

    def test_outcomes_and_result_packs(self):
        self.assertEqual(CareerEvent.objects.filter(student__enrollments__cohort=self.tc).count(), 8)
        row = next(r for r in outcome_report(year=2026, user=self.office) if r.program.code == "TC-LLCT-HC")
        self.assertEqual((row.graduates, row.within_12, row.within_24), (29, 6, 6))
        sent = ResultPackDispatch.objects.filter(cohort=self.tc)
        self.assertEqual(
            set(sent.values_list("unit__code", "trigger")), {("X02", "closed"), ("X02", "manual"), ("CQ-SNV", "closed")}
        )
        self.assertEqual(sent.get(unit__code="CQ-SNV").students, 4)

    def test_loading_again_changes_nothing(self):
        counts = (
            SurveyRound.objects.count(),
            Response.objects.count(),
            CareerEvent.objects.count(),
            ResultPackDispatch.objects.count(),
        )
        call_command("load_demo", stdout=StringIO())
        self.assertEqual(
            (
                SurveyRound.objects.count(),
                Response.objects.count(),
                CareerEvent.objects.count(),
                ResultPackDispatch.objects.count(),
            ),
            counts,
        )
