"""National figures: each school's lines that match the question, added up over programs and
schools; what two synthetic schools' classes add up to, counted here by hand."""

from __future__ import annotations

import itertools
import json
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from daotao.academy import synthetic
from daotao.academy.format import FUNDINGS, KINDS, MODES, RELATIONS
from daotao.academy.importing import package_import
from daotao.academy.stats import Period, Question, StatsInputError, national_figures, national_trend
from daotao.academy.tests.helpers import NORTH, SOUTH, AcademyTestCase, day, imported, register, year_package

YEAR_2020 = Period(day("2020-01-01"), day("2020-12-31"))


def by_hand(classes, question: Question) -> tuple[int, int]:
    """The classes of ``question`` and their students, counted from the classes themselves."""
    chosen = [
        klass for klass in classes
        if question.relation in klass.relations
        and (not question.programs or klass.program in question.programs)
        and (not question.kind or synthetic.PROGRAMS[klass.program][1] == question.kind)
        and (not question.mode or klass.mode == question.mode)
        and (not question.funding or klass.funding == question.funding)
    ]  # fmt: skip
    return len(chosen), sum(klass.students for klass in chosen)


class NationalFiguresTests(AcademyTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        imported(cls.north_key, cls.north, NORTH)
        imported(cls.south_key, cls.south, SOUTH)
        # Not the same period: never added to 2020's figures.
        half = synthetic.package(
            cls.north_key, name=cls.north.name, province=cls.north.province, start=day("2020-01-01"),
            end=day("2020-06-30"), classes=NORTH * 3,
        )  # fmt: skip
        package_import(synthetic.file_bytes(half))
        cls.missing, _key = register("THI", "Trường Chính trị tỉnh Thiếu", "Thiếu")
        register("CU", "Trường cũ", "Cũ", active=False)

    def test_two_schools_add_up(self):
        answer = national_figures(YEAR_2020, Question("opened"))
        self.assertEqual(answer.total.as_dict(), {"classes": 8, "students": 445})
        by_school = {school.school.code: school.figures.as_dict() for school in answer.schools}
        self.assertEqual(by_school, {"BAN": {"classes": 5, "students": 275}, "NAM": {"classes": 3, "students": 170}})
        self.assertEqual([school.code for school in answer.missing], ["THI"])

    def test_every_question_equals_the_classes_counted_by_hand(self):
        asked = 0
        for relation, kind, mode, funding in itertools.product(RELATIONS, ["", *KINDS], ["", *MODES], ["", *FUNDINGS]):
            for programs in ((), ("TC-LLCT-HC",), ("BD-CV", "BD-LDP")):
                question = Question(relation, programs=programs, kind=kind, mode=mode, funding=funding)
                answer = national_figures(YEAR_2020, question)
                north, south = by_hand(NORTH, question), by_hand(SOUTH, question)
                with self.subTest(question=question):
                    self.assertEqual(
                        (answer.total.classes, answer.total.students), (north[0] + south[0], north[1] + south[1])
                    )
                    figures = {s.school.code: (s.figures.classes, s.figures.students) for s in answer.schools}
                    self.assertEqual(figures, {"BAN": north, "NAM": south})
                asked += 1
        self.assertEqual(asked, 5 * 3 * 3 * 3 * 3)

    def test_the_programs_total_is_read_never_its_finer_lines(self):
        """A student who moved between two classes of a program counts once in its total:
        the answer is the school's total, not the sum of its lines by locality."""
        document = year_package(self.north_key, self.north, NORTH)
        for line in document["package"]["lines"]:
            if (line["relation"], line["program"], line["mode"], line["funding"], line["locality"]) == (
                "active", "TC-LLCT-HC", None, None, None,
            ):  # fmt: skip
                line["students"] -= 1
        package_import(synthetic.file_bytes(synthetic.signed(self.north_key, document["package"])))
        answer = national_figures(YEAR_2020, Question("active", programs=("TC-LLCT-HC",)))
        self.assertEqual(answer.schools[0].figures.as_dict(), {"classes": 4, "students": 80 + 75 + 60 + 40 - 1})

    def test_a_question_that_cannot_be_asked(self):
        with self.assertRaises(StatsInputError) as caught:
            Question("running")
        self.assertEqual(caught.exception.field, "relation")
        with self.assertRaises(StatsInputError):
            Question("opened", mode="online")

    def test_the_trend_by_calendar_year(self):
        imported(self.north_key, self.north, NORTH[:1], 2021)
        trend = national_trend(("opened", "active"))
        self.assertEqual([(one.year, one.schools) for one in trend], [(2020, 2), (2021, 1)])
        self.assertEqual(trend[0].figures["opened"].as_dict(), {"classes": 8, "students": 445})
        self.assertEqual(trend[1].figures["active"].as_dict(), {"classes": 1, "students": 80})

    def test_periods_named_in_addresses(self):
        self.assertEqual(Period.parse("2020"), YEAR_2020)
        self.assertEqual(YEAR_2020.token, "2020")
        half = Period.parse("2020-01-01_2020-06-30")
        self.assertEqual((half.token, half.year), ("2020-01-01_2020-06-30", None))
        for wrong in ("", "20", "2020-13-01_2020-12-31", "2020-12-31_2020-01-01", "x_y"):
            with self.subTest(token=wrong), self.assertRaises(ValueError):
                Period.parse(wrong)


class NationalStatsCommandTests(AcademyTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        imported(cls.north_key, cls.north, NORTH)
        imported(cls.south_key, cls.south, SOUTH)
        register("THI", "Trường Chính trị tỉnh Thiếu", "Thiếu")

    def run_command(self, *args) -> str:
        out = StringIO()
        call_command("national_stats", *args, stdout=out)
        return out.getvalue()

    def test_json(self):
        output = self.run_command(
            "--from", "2020-01-01", "--to", "2020-12-31", "--relation", "opened", "--program", "TC-LLCT-HC",
            "--mode", "non_concentrated", "--json",
        )  # fmt: skip
        self.assertEqual(
            json.loads(output),
            {
                "period": {"from": "2020-01-01", "to": "2020-12-31"},
                "relation": "opened",
                "filter": {"programs": ["TC-LLCT-HC"], "kind": None, "mode": "non_concentrated", "funding": None},
                "total": {"classes": 3, "students": 245},
                "schools": [
                    {"code": "BAN", "name": "Trường Chính trị tỉnh Bắc An", "province": "Bắc An", "classes": 2,
                     "students": 155},
                    {"code": "NAM", "name": "Trường Chính trị tỉnh Nam Hà", "province": "Nam Hà", "classes": 1,
                     "students": 90},
                ],
                "missing": ["THI"],
            },
        )  # fmt: skip

    def test_text_in_vietnamese(self):
        from django.utils import translation

        with translation.override("vi"):
            output = self.run_command("--from", "01/01/2020", "--to", "31/12/2020", "--relation", "active")
        self.assertIn("10 lớp, 575 học viên", output)
        self.assertIn("BAN Trường Chính trị tỉnh Bắc An: 06 lớp, 335 học viên", output)
        self.assertIn("THI", output)

    def test_bad_options(self):
        for args, expected in (
            (("--from", "2020-01-01", "--to", "2020-12-31"), "--relation"),
            (("--from", "2020-01-01", "--relation", "opened"), "--to"),
            (("--from", "2020-31-01", "--to", "2020-12-31", "--relation", "opened"), "--from"),
            (("--from", "2020-12-31", "--to", "2020-01-01", "--relation", "opened"), "--to"),
            (("--from", "2020-01-01", "--to", "2020-12-31", "--relation", "opened", "--kind", "x"), "--kind"),
        ):
            with self.subTest(args=args), self.assertRaisesMessage(CommandError, expected):
                self.run_command(*args)

    @override_settings(DAOTAO_ROLE="school")
    def test_only_at_the_academy(self):
        with self.assertRaisesMessage(CommandError, "DAOTAO_ROLE=academy"):
            self.run_command("--from", "2020-01-01", "--to", "2020-12-31", "--relation", "opened")
