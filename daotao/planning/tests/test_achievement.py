"""Quota achievement, the one rule (``planning.achievement``): per quota line (locality ×
program × funding), the classes opened under the plan of the same program and funding,
held in the locality or below, and their counted students."""

from __future__ import annotations

import datetime as dt

from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Cohort, Enrollment
from daotao.planning.achievement import QuotaTotal, by_locality, quota_achievement, quota_lines, unmet_locality_names
from daotao.planning.models import AnnualPlan, Quota
from daotao.reports import engine
from daotao.testing import WorldTestCase, enroll, make_cohort

D = dt.date
YEAR = 2021


def figures(item) -> tuple[int, int, int, int, bool]:
    return item.planned_classes, item.planned_students, item.actual_classes, item.actual_students, item.met


class AchievementTestCase(WorldTestCase):
    """H01: a supported line 1 / 80 (a class of 82, met) and a self-funded line 1 / 80 (a
    class of 79 held in its commune X0101, missed by one student): 161 of 160 in total, yet
    not met. H02: a supported line 1 / 50, with only a self-funded class (60), which achieves
    no line, and a supported class of the year before. H03: a BD-CVC line with nothing opened."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tc, cls.cvc = cls.programs["TC-LLCT-HC"], cls.programs["BD-CVC"]
        cls.plan = AnnualPlan.objects.create(year=YEAR)
        for locality, program, funding, students in (
            (cls.h01, cls.tc, "supported", 80),
            (cls.h01, cls.tc, "self_funded", 80),
            (cls.h02, cls.tc, "supported", 50),
            (cls.h03, cls.cvc, "supported", 40),
        ):
            Quota.objects.create(
                plan=cls.plan, program=program, locality=locality, funding=funding, classes=1, students=students
            )
        supported = make_cohort("TC21-H01", cls.tc, cls.h01, D(YEAR, 3, 1))
        enroll(supported, 82)
        enroll(supported, 2, status="cancelled")  # cancelled enrollments count nowhere
        enroll(make_cohort("TC21-X0101", cls.tc, cls.x01, D(YEAR, 4, 1), funding="self_funded"), 79)
        cancelled = make_cohort("TC21-H01-X", cls.tc, cls.h01, D(YEAR, 5, 1), funding="self_funded", status="cancelled")
        enroll(cancelled, 30)
        enroll(make_cohort("TC21-H02", cls.tc, cls.h02, D(YEAR, 3, 8), funding="self_funded"), 60)
        enroll(make_cohort("TC20-H02", cls.tc, cls.h02, D(YEAR - 1, 9, 1)), 55)  # the 2020 plan's

    def lines(self, user=None) -> dict[tuple[str, str, str], tuple]:
        rows = quota_achievement(YEAR, user or self.office)
        return {(line.locality_code, line.program_code, line.funding): figures(line) for line in quota_lines(rows)}


class RuleTests(AchievementTestCase):
    def test_each_funding_line_by_its_own_classes(self):
        self.assertEqual(
            self.lines(),
            {
                ("H01", "TC-LLCT-HC", "self_funded"): (1, 80, 1, 79, False),
                ("H01", "TC-LLCT-HC", "supported"): (1, 80, 1, 82, True),
                ("H02", "TC-LLCT-HC", "supported"): (1, 50, 0, 0, False),
                ("H03", "BD-CVC", "supported"): (1, 40, 0, 0, False),
            },
        )

    def test_a_total_reached_is_not_met_when_a_line_is_missed(self):
        rows = {row.locality_code: row for row in quota_achievement(YEAR, self.office)}
        h01, h02, h03 = rows["H01"], rows["H02"], rows["H03"]
        self.assertEqual(
            (h01.program_code, [line.funding for line in h01.lines]), ("TC-LLCT-HC", ["self_funded", "supported"])
        )
        self.assertEqual(figures(h01), (2, 160, 2, 161, False))
        self.assertTrue(h01.reached)
        self.assertEqual([line.funding for line in h01.lines_not_met], ["self_funded"])
        self.assertEqual(h01.funding("self_funded").actual_students, 79)
        self.assertEqual(h01.funding("supported").actual_students, 82)
        self.assertEqual(h01.as_dict()["enrolled_students"], 161)
        self.assertFalse(h01.as_dict()["met"])
        self.assertEqual(figures(h02), (1, 50, 0, 0, False))
        self.assertEqual(figures(h03), (1, 40, 0, 0, False))

    def test_a_locality_is_not_met_when_any_line_is_missed(self):
        rows = quota_achievement(YEAR, self.office)
        # In table order (the units' sort key), each once.
        self.assertEqual(unmet_locality_names(rows), [row.locality_name for row in rows])
        self.assertEqual(set(unmet_locality_names(rows)), {self.h01.name, self.h02.name, self.h03.name})
        self.assertEqual(unmet_locality_names(quota_lines(rows)), unmet_locality_names(rows))
        localities = {locality.code: locality for locality in by_locality(rows)}
        self.assertEqual(list(localities), [row.locality_code for row in rows])
        self.assertEqual(figures(localities["H01"]), (2, 160, 2, 161, False))
        total = QuotaTotal.of(quota_lines(rows))
        self.assertEqual(figures(total), (4, 250, 2, 161, False))

    def test_a_line_met_when_classes_and_students_are_reached(self):
        enroll(make_cohort("TC21-H01-2", self.tc, self.h01, D(YEAR, 6, 1), funding="self_funded"), 1)
        lines = self.lines()
        self.assertEqual(lines[("H01", "TC-LLCT-HC", "self_funded")], (1, 80, 2, 80, True))
        unmet = unmet_locality_names(quota_achievement(YEAR, self.office))
        self.assertEqual(set(unmet), {self.h02.name, self.h03.name})
        # Students reached but not the classes: not met.
        Quota.objects.filter(locality=self.h01, funding="supported").update(classes=2)
        self.assertFalse(self.lines()[("H01", "TC-LLCT-HC", "supported")][-1])

    def test_a_class_counts_for_the_line_of_each_unit_above_it(self):
        Quota.objects.create(
            plan=self.plan, program=self.tc, locality=self.x01, funding="self_funded", classes=1, students=70
        )
        lines = self.lines()
        self.assertEqual(lines[("X0101", "TC-LLCT-HC", "self_funded")], (1, 70, 1, 79, True))
        self.assertEqual(lines[("H01", "TC-LLCT-HC", "self_funded")], (1, 80, 1, 79, False))

    def test_the_json_of_a_line(self):
        [line] = [line for line in quota_lines(quota_achievement(YEAR, self.office)) if line.funding == "self_funded"]
        self.assertEqual(
            line.as_dict(),
            {
                "locality": "H01",
                "locality_name": self.h01.name,
                "program": "TC-LLCT-HC",
                "program_name": self.tc.name,
                "funding": "self_funded",
                "planned_classes": 1,
                "planned_students": 80,
                "enrolled_classes": 1,
                "enrolled_students": 79,
                "ratio": 0.9875,
                "met": False,
            },
        )

    def test_each_role_counts_its_own_lines(self):
        mine = self.lines(self.coordinator)
        self.assertEqual(set(mine), {("H01", "TC-LLCT-HC", "self_funded"), ("H01", "TC-LLCT-HC", "supported")})
        self.assertEqual(mine, {key: value for key, value in self.lines().items() if key[0] == "H01"})
        self.assertEqual(set(self.lines(self.other_coordinator)), {("H02", "TC-LLCT-HC", "supported")})
        self.assertEqual(self.lines(self.board), self.lines())
        self.assertEqual(self.lines(self.nobody), {})

    def test_a_student_who_transferred_counts_once_in_a_line_holding_both_classes(self):
        # Two self-funded H01 students move from the commune's class to a second one in H01;
        # a third moves to H02's self-funded class, which achieves no H01 line.
        second = make_cohort("TC21-H01-B", self.tc, self.h01, D(YEAR, 6, 1), funding="self_funded")
        leaving = list(Enrollment.objects.filter(cohort__code="TC21-X0101").order_by("pk")[:3])
        for enrollment in leaving:
            enrollment.status = "transferred"
            enrollment.save()
        for enrollment in leaving[:2]:
            Enrollment.objects.create(cohort=second, student=enrollment.student, status="studying")
        Enrollment.objects.create(
            cohort=Cohort.objects.get(code="TC21-H02"), student=leaving[2].student, status="studying"
        )
        lines = self.lines()
        # 79 in the commune's class (3 transferred among them) + 2 who moved in: 79, not 81.
        self.assertEqual(lines[("H01", "TC-LLCT-HC", "self_funded")], (1, 80, 2, 79, False))
        self.assertEqual(lines[("H01", "TC-LLCT-HC", "supported")], (1, 80, 1, 82, True))
        # The report's engine counts them the same way.
        spec = engine.CountSpec(
            engine.Period.year(YEAR), engine.OPENED, engine.CohortFilter(locality="H01", funding="self_funded")
        )
        self.assertEqual(engine.count(spec, self.office), engine.Counts(2, 79))
        # The coordinator of H01 sees the same.
        self.assertEqual(self.lines(self.coordinator)[("H01", "TC-LLCT-HC", "self_funded")], (1, 80, 2, 79, False))

    def test_a_fixed_number_of_queries(self):
        for user in (self.office, self.coordinator):
            scope_of(user)
        with self.assertNumQueries(3):
            quota_achievement(YEAR, self.office)
        with self.assertNumQueries(3) as small:
            quota_achievement(YEAR, self.coordinator)
        Quota.objects.create(plan=self.plan, program=self.cvc, locality=self.h01, funding="supported", students=20)
        for number in range(3):
            enroll(make_cohort(f"CVC21-{number}", self.cvc, self.x01, D(YEAR, 7, 1 + number)), 5)
        leaving = Enrollment.objects.filter(cohort__code="CVC21-0").first()
        leaving.status = "transferred"
        leaving.save()
        Enrollment.objects.create(cohort=Cohort.objects.get(code="CVC21-1"), student=leaving.student)
        with self.assertNumQueries(3):  # the transferred student's classes in the same query
            rows = quota_achievement(YEAR, self.office)
        with self.assertNumQueries(len(small.captured_queries)):
            quota_achievement(YEAR, self.coordinator)
        self.assertEqual(len(rows), 4)
        self.assertEqual(quota_achievement(YEAR - 5, self.office), [])
