"""Every chart the app draws from the demo province, printed and read back glyph by glyph
(``daotao.lib.tests.chart_layout``): no label on another, none outside its chart. First the
charts as the demo really has them: the board's six sections in every year it covers (in
the pages' font: the board is not printed), the graduation reports and every evaluation
question's answers (printed too: in the documents' font as well). Then every kind of chart
drawn with the longest labels the demo has (a unit's name, a program's, a class's, a
survey question, a survey choice, a classification) and its longest series names."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import Length
from django.utils import translation
from django.utils.translation import gettext

from daotao.accounts.models import User
from daotao.cohorts.models import Cohort, Funding
from daotao.dashboards.board import board_dashboard, dashboard_years
from daotao.dashboards.board_sections import sections
from daotao.grading import cohort_report
from daotao.grading.rules import Classification
from daotao.lib.tests.chart_layout import PRINTED, SCREEN, chart_layout_problems, every_chart, missing_labels
from daotao.org.models import Unit
from daotao.programs.models import Program, ProgramKind, ReportCategory
from daotao.surveys.models import Question, SurveyRound
from daotao.surveys.results import round_results
from daotao.testing import DemoTestCase


def longest(model, field: str) -> str:
    return model.objects.annotate(length=Length(field)).order_by("-length", "pk").values_list(field, flat=True)[0]


class ChartsOfTheDemoTests(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.board = User.objects.get(username="bgh")

    def setUp(self):
        self.enterContext(translation.override("vi"))

    def assertLaidOut(self, charts: dict[str, str], fonts=(PRINTED, SCREEN)) -> None:
        self.assertTrue(charts)
        for name, svg in charts.items():
            with self.subTest(chart=name):
                self.assertEqual(chart_layout_problems(svg, fonts), [])

    def test_the_board_in_every_year_of_the_demo(self):
        charts = {}
        for year in dashboard_years(self.board):
            for section in sections(board_dashboard(year, self.board)):
                for title, svg in section.charts:
                    if svg not in charts.values():  # the same figures another year: drawn once
                        charts[f"{year}: {title}"] = svg
        # The board's page is not printed: its charts are measured in the pages' font.
        self.assertLaidOut(charts, fonts=(SCREEN,))

    def test_graduation_reports_and_evaluation_results(self):
        charts = {}
        for kind in ProgramKind:
            # The class of each kind with the most students: the tallest bars.
            cohort = (
                Cohort.objects.filter(program__kind=kind)
                .select_related("program__grading_rules")
                .annotate(students=Count("enrollments"))
                .order_by("-students", "pk")
                .first()
            )
            if cohort is not None:
                charts[f"graduation report {cohort.code}"] = cohort_report.build(cohort).chart()
        for survey_round in SurveyRound.objects.order_by("pk"):
            for result in round_results(survey_round, show_text=False).questions:
                if result.bars:
                    charts[f"{survey_round.title}: {result.question.text}"] = result.chart()
        self.assertTrue(any(name.startswith("graduation report") for name in charts))
        self.assertTrue(any(not name.startswith("graduation report") for name in charts))
        self.assertLaidOut(charts)

    def test_every_kind_of_chart_with_the_longest_labels_of_the_demo(self):
        choices = [str(choice) for row in Question.objects.values_list("choices", flat=True) for choice in row or []]
        labels = [
            longest(Unit, "name"),
            longest(Program, "name"),
            longest(Cohort, "name"),
            longest(Question, "text"),
            max(choices, key=len),
            max((str(label) for label in Classification.labels), key=len),
        ]
        names = [
            max((str(label) for label in ReportCategory.labels), key=len),
            max((str(label) for label in Funding.labels), key=len),
            gettext("Appointed or rewarded within 12 months"),
            gettext("Students opened"),
        ]
        self.assertGreater(len(labels[2]), 60, labels)  # the demo's classes have long names indeed
        charts = every_chart(labels, names)
        self.assertLaidOut(charts)
        for name, svg in charts.items():
            with self.subTest(chart=name):
                self.assertEqual(missing_labels(svg, labels), [])
