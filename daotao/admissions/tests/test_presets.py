"""The shipped standards: installed once, never over an edited program."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from daotao.admissions import presets
from daotao.admissions.models import (
    DocumentType,
    EligibilityRule,
    PositionCategory,
    ProgramDocument,
    RuleKind,
)
from daotao.testing import WorldTestCase


class PresetTests(WorldTestCase):
    def test_install_twice_creates_nothing_the_second_time(self):
        first = presets.install()
        self.assertEqual(first, {"positions": 7, "documents": 9, "checklist": 12, "rules": 6})
        counts = [m.objects.count() for m in (PositionCategory, DocumentType, ProgramDocument, EligibilityRule)]
        self.assertEqual(presets.install(), {"positions": 0, "documents": 0, "checklist": 0, "rules": 0})
        self.assertEqual(
            [m.objects.count() for m in (PositionCategory, DocumentType, ProgramDocument, EligibilityRule)], counts
        )

    def test_a_program_whose_rules_exist_is_left_alone(self):
        tc = self.programs["TC-LLCT-HC"]
        own = EligibilityRule.objects.create(program=tc, kind=RuleKind.PARTY, party_status="full")
        presets.install()
        self.assertEqual(list(EligibilityRule.objects.filter(program=tc)), [own])
        self.assertEqual(EligibilityRule.objects.filter(program=self.programs["BD-CVC"]).count(), 1)

    def test_an_edited_name_is_kept(self):
        PositionCategory.objects.create(code="KHAC", name="Khác (sửa)")
        presets.install()
        self.assertEqual(PositionCategory.objects.get(code="KHAC").name, "Khác (sửa)")

    def test_the_trung_cap_rules(self):
        presets.install()
        rules = list(EligibilityRule.objects.filter(program=self.programs["TC-LLCT-HC"]))
        self.assertEqual(
            [r.kind for r in rules],
            [RuleKind.POSITION, RuleKind.PARTY, RuleKind.EDUCATION, RuleKind.PERFORMANCE, RuleKind.AGE],
        )
        for rule in rules:
            rule.full_clean()
            self.assertEqual(rule.source, presets.QD_350)
        position, party, education, performance, age = rules
        self.assertEqual(sorted(position.positions.values_list("code", flat=True)), sorted(presets.TC_POSITIONS))
        self.assertTrue(position.accept_planning_pool)
        self.assertEqual(party.party_status, "probationary")
        self.assertEqual((education.education_min, education.minority_education_min), (4, 2))
        self.assertEqual((performance.rating_min, performance.rating_years), (3, 2))
        self.assertEqual((age.mode, age.min_age_female, age.min_age_male), ("non_concentrated", 28, 30))
        grade = EligibilityRule.objects.get(program=self.programs["BD-CVC"])
        grade.full_clean()
        self.assertEqual((grade.kind, grade.grades), (RuleKind.GRADE, ["specialist", "rank_iii"]))

    def test_command(self):
        out = StringIO()
        call_command("admission_presets", stdout=out)
        self.assertIn("7", out.getvalue())
        self.assertEqual(EligibilityRule.objects.count(), 6)
