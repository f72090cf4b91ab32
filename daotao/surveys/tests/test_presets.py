"""The national evaluation rules (Thông tư 10/2017/TT-BNV) and the shipped questionnaires."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import TestCase

from daotao.surveys.models import EvaluationRules, Question, Questionnaire
from daotao.surveys.presets import PRESETS


class NationalRulesTests(TestCase):
    def test_the_preset_is_installed_and_in_use(self):
        rules = EvaluationRules.current()
        self.assertIsNotNone(rules.pk)
        self.assertTrue(rules.active)
        self.assertEqual((rules.scale_min, rules.scale_max), (1, 10))
        self.assertEqual(rules.max_blank_percent, Decimal("5"))
        self.assertEqual(rules.min_answers, 5)
        self.assertEqual(
            (rules.target_course_percent, rules.target_learner_percent, rules.target_after_courses),
            (Decimal("20"), Decimal("10"), 1),
        )

    def test_bands_at_their_edges(self):
        rules = EvaluationRules.current()
        cases = {
            "1": "Kém", "1.99": "Kém", "2": "Yếu", "3.99": "Yếu", "4": "Trung bình", "5.99": "Trung bình",
            "6": "Khá", "7.99": "Khá", "8": "Tốt", "10": "Tốt",
        }  # fmt: skip
        for score, band in cases.items():
            with self.subTest(score=score):
                self.assertEqual(rules.band(Decimal(score)), band)
        self.assertEqual(rules.band(None), "")

    def test_the_school_may_change_the_rules_but_not_into_nonsense(self):
        rules = EvaluationRules.current()
        for bands in ([], [[8, "Tốt"], [2, "Yếu"]], [["a", "b"]], [[2, "A"], [2, "B"]]):
            rules.bands = bands
            with self.subTest(bands=bands), self.assertRaises(ValidationError):
                rules.full_clean()
        rules.bands = [[0, "Chưa đạt"], [5, "Đạt"]]
        rules.min_answers = 2
        with self.assertRaises(ValidationError):
            rules.full_clean()
        rules.min_answers = 3
        rules.full_clean()
        rules.save()
        self.assertEqual(EvaluationRules.current().band(Decimal("5")), "Đạt")


class PresetQuestionnaireTests(TestCase):
    def test_install_adds_each_once_with_valid_questions(self):
        call_command("install_evaluation_presets", stdout=StringIO())
        self.assertEqual(set(Questionnaire.objects.values_list("title", flat=True)), set(PRESETS))
        count = Question.objects.count()
        for question in Question.objects.all():
            question.full_clean()
            if question.kind == "rating":
                self.assertEqual((question.scale_min, question.scale_max), (1, 10))
        out = StringIO()
        call_command("install_evaluation_presets", stdout=out)
        self.assertEqual(Question.objects.count(), count)
        self.assertIn("0", out.getvalue())
