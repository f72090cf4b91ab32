"""A small school's figures package: a student who transferred between two localities'
classes counts once in the program's total, so the locality lines do not add up to it, and
every question still gives what the engine counts; the package takes the same number of
queries however many classes and students the school has."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from daotao.accounts.scope import SYSTEM
from daotao.cohorts.models import Enrollment
from daotao.national.package import figures_package, package_period, whole_years
from daotao.national.tests.reading import lines_total
from daotao.reports import engine
from daotao.reports.engine import CohortFilter, Counts, CountSpec, Period, ReportInputError
from daotao.testing import WorldTestCase, enroll, make_cohort, make_student

D = dt.date.fromisoformat
YEAR = (D("2020-01-01"), D("2020-12-31"))
KEY_ID = "0123456789abcdef"


def line(package, relation, program, mode=None, funding=None, locality=None) -> tuple[int, int] | None:
    for item in package["lines"]:
        if (item["relation"], item["program"], item["mode"], item["funding"], item["locality"]) == (
            relation, program, mode, funding, locality,
        ):  # fmt: skip
            return item["classes"], item["students"]
    return None


class TransferTests(WorldTestCase):
    """Lan left class A (H01's commune X0101, supported) for class B (H02, self-funded);
    a fostering class at the school; a class carried over from 2019 that closes in 2020."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        tc = cls.programs["TC-LLCT-HC"]
        cls.a = make_cohort("A", tc, cls.x01, D("2020-02-03"))
        cls.b = make_cohort("B", tc, cls.h02, D("2020-03-02"), funding="self_funded")
        enroll(cls.a, 5)
        enroll(cls.b, 7)
        cls.lan = make_student("Trần Thị Lan", locality=cls.h01)
        Enrollment.objects.create(cohort=cls.a, student=cls.lan, status="transferred")
        Enrollment.objects.create(cohort=cls.b, student=cls.lan, status="studying")
        old = make_cohort("OLD", tc, cls.h03, D("2019-03-01"), D("2020-09-30"), plan_year=2019)
        enroll(old, 9)
        enroll(old, 2, status="cancelled")
        cv = make_cohort("CV", cls.programs["BD-CV"], cls.school, D("2020-05-04"), mode="concentrated")
        enroll(cv, 4)

    def package(self, period=YEAR):
        return figures_package(*period, key_id=KEY_ID)

    def count(self, relation, period=YEAR, **filters) -> tuple[int, int]:
        counts = engine.count(CountSpec(Period(*period), relation, CohortFilter(units="then", **filters)), SYSTEM)
        return counts.classes, counts.students

    def test_the_program_total_is_not_the_sum_of_its_localities(self):
        package = self.package()
        self.assertEqual(line(package, "opened", "TC-LLCT-HC"), (2, 13))  # Lan once
        self.assertEqual(line(package, "opened", "TC-LLCT-HC", locality="X0101"), (1, 6))  # Lan in A
        self.assertEqual(line(package, "opened", "TC-LLCT-HC", locality="H01"), (1, 6))  # A is held below H01
        self.assertEqual(line(package, "opened", "TC-LLCT-HC", locality="H02"), (1, 8))  # Lan in B
        self.assertEqual(line(package, "opened", "TC-LLCT-HC", locality="BA"), (2, 13))
        self.assertEqual(line(package, "opened", "TC-LLCT-HC", funding="supported"), (1, 6))
        self.assertEqual(line(package, "opened", "TC-LLCT-HC", funding="self_funded"), (1, 8))
        self.assertIsNone(line(package, "opened", "TC-LLCT-HC", locality="H03"))  # no class opened there
        self.assertEqual(line(package, "carried_over", "TC-LLCT-HC", locality="H03"), (1, 9))
        # The lines of the two localities hold Lan twice; the program's total once.
        localities = [line(package, "opened", "TC-LLCT-HC", locality=code) for code in ("H01", "H02")]
        self.assertEqual(sum(students for _classes, students in localities), 14)
        self.assertEqual(lines_total(package, "opened", ["TC-LLCT-HC"]), (2, 13))
        self.assertEqual(lines_total(package, "opened"), self.count("opened"))
        self.assertEqual(lines_total(package, "opened"), (3, 17))

    def test_every_question_equals_the_engine(self):
        package = self.package()
        asked = []
        for relation in engine.RELATIONS:
            for programs in ((), ("TC-LLCT-HC",), ("BD-CV",), ("TC-LLCT-HC", "BD-CV")):
                for split in (
                    {}, {"mode": "non_concentrated"}, {"mode": "concentrated"}, {"funding": "supported"},
                    {"funding": "self_funded"}, {"locality": "H01"}, {"locality": "X0101"}, {"locality": "H02"},
                    {"locality": "H03"}, {"locality": "BA"}, {"locality": "SCH"},
                    {"locality": "H02", "mode": "non_concentrated", "funding": "self_funded"},
                    {"locality": "BA", "funding": "supported"},
                ):  # fmt: skip
                    asked.append({"relation": relation, "programs": programs, **split})
            for kind in ("training", "fostering"):
                asked.append({"relation": relation, "kind": kind})
        for question in asked:
            with self.subTest(**question):
                question = dict(question)
                relation = question.pop("relation")
                self.assertEqual(lines_total(package, relation, **question), self.count(relation, **question))

    def test_period_limits(self):
        self.assertEqual(whole_years(Period(D("2020-01-01"), D("2021-12-30"))), [2020])
        self.assertEqual(whole_years(Period(D("2019-12-31"), D("2021-12-31"))), [2020, 2021])
        self.assertEqual(whole_years(Period(D("2020-01-02"), D("2020-12-31"))), [])
        for start, end, field in (
            (D("2020-12-31"), D("2020-01-01"), "to"),
            (D("2020-01-01"), D("2030-01-01"), "to"),
            (D("1949-12-31"), D("1950-12-31"), "from"),
            (D("2100-01-01"), D("2101-01-01"), "to"),
        ):
            with self.subTest(start=start, end=end), self.assertRaises(ReportInputError) as raised:
                package_period(start, end)
            self.assertEqual(raised.exception.field, field)
        self.assertEqual(package_period(D("2020-01-01"), D("2029-12-31")).end, D("2029-12-31"))

    def test_the_same_queries_for_more_classes_and_students(self):
        with CaptureQueriesContext(connection) as small:
            before = self.package()
        # Twice the classes in the same combinations, with more students and a transfer.
        tc = self.programs["TC-LLCT-HC"]
        for number in range(3):
            enroll(make_cohort(f"A{number}", tc, self.x01, D("2020-06-01")), 40)
            enroll(make_cohort(f"B{number}", tc, self.h02, D("2020-07-01"), funding="self_funded"), 30)
        moved = make_student("Lê Văn Minh", locality=self.h02)
        Enrollment.objects.create(cohort=self.b, student=moved, status="transferred")
        Enrollment.objects.create(cohort=type(self.b).objects.get(code="B0"), student=moved)
        with CaptureQueriesContext(connection) as large:
            after = self.package()
        self.assertEqual(len(large), len(small))
        self.assertEqual(len(after["lines"]), len(before["lines"]))
        self.assertEqual(line(after, "opened", "TC-LLCT-HC"), (8, 13 + 3 * 70 + 1))
        self.assertEqual(lines_total(after, "opened", ["TC-LLCT-HC"]), self.count("opened", programs=("TC-LLCT-HC",)))
        self.assertEqual(
            engine.count(CountSpec(Period(*YEAR), "opened"), SYSTEM), Counts(*lines_total(after, "opened"))
        )
