"""``manage.py cohort_stats``: the engine's counts for scripts, with errors naming the argument."""

import datetime as dt
import json
from io import StringIO

from django.core.management import call_command
from django.utils import translation

from daotao.accounts.scope import SYSTEM
from daotao.programs.models import Program, ProgramKind
from daotao.reports import engine
from daotao.reports.management.commands.cohort_stats import counts_text
from daotao.reports.tests.world import CommandErrorAssertions, ReportWorldTestCase

YEAR_2020 = ["--from", "2020-01-01", "--to", "2020-12-31"]


class CohortStatsCommandTests(CommandErrorAssertions, ReportWorldTestCase):
    def run_command(self, *args) -> str:
        out = StringIO()
        call_command("cohort_stats", *args, stdout=out)
        return out.getvalue()

    def counts(self, *args) -> dict:
        return json.loads(self.run_command(*args, "--json"))

    def test_json_is_exactly_classes_and_students(self):
        output = self.run_command(*YEAR_2020, "--relation", "opened", "--program", "TC-LLCT-HC", "--json")
        self.assertEqual(output, '{"classes": 10, "students": 1070}\n')

    def test_every_relation(self):
        expected = {"opened": (11, 1110), "carried_over": (1, 50), "active": (12, 1160), "closed": (2, 90)}
        for relation, (classes, students) in expected.items():
            with self.subTest(relation=relation):
                self.assertEqual(
                    self.counts(*YEAR_2020, "--relation", relation), {"classes": classes, "students": students}
                )

    def test_filters(self):
        cases = [
            (["--mode", "non_concentrated", "--funding", "supported"], (7, 70)),
            (["--funding", "self_funded"], (3, 1000)),
            (["--mode", "concentrated"], (1, 40)),
            (["--category", "civil_service_grade"], (1, 40)),
            (["--locality", "H02"], (3, 1000)),
            (["--locality", "X0101"], (0, 0)),
            (["--locality", " h02 "], (3, 1000)),  # as the API reads it
        ]
        for args, (classes, students) in cases:
            with self.subTest(args=args):
                self.assertEqual(
                    self.counts(*YEAR_2020, "--relation", "opened", *args), {"classes": classes, "students": students}
                )
        # A locality counts the units below it: the carried-over class is held in H01's commune.
        self.assertEqual(
            self.counts(*YEAR_2020, "--relation", "active", "--locality", "H01"), {"classes": 8, "students": 120}
        )

    def test_several_programs_in_one_flag_repeated_flags_and_commas(self):
        expected = {"classes": 11, "students": 1110}
        for args in (
            ["--program", "TC-LLCT-HC", "BD-CV"],
            ["--program", "TC-LLCT-HC", "--program", "BD-CV"],
            ["--program", "tc-llct-hc,bd-cv"],
            ["--program", "BD-CV", "BD-LDP", "--program", "TC-LLCT-HC"],
        ):
            with self.subTest(args=args):
                self.assertEqual(self.counts(*YEAR_2020, "--relation", "opened", *args), expected)

    def test_same_numbers_as_the_engine(self):
        spec = engine.CountSpec(
            engine.Period(dt.date(2020, 3, 1), dt.date(2020, 5, 5)),
            engine.OPENED,
            engine.CohortFilter(programs=("TC-LLCT-HC",), locality="H01"),
        )
        args = ["--from", "2020-03-01", "--to", "2020-05-05", "--relation", "opened"]
        args += ["--program", "TC-LLCT-HC", "--locality", "H01"]
        self.assertEqual(self.counts(*args), engine.count(spec, SYSTEM).as_dict())

    def test_dates_may_be_written_the_vietnamese_way(self):
        args = ["--from", "01/01/2020", "--to", "31/12/2020", "--relation", "opened", "--program", "TC-LLCT-HC"]
        self.assertEqual(self.counts(*args), {"classes": 10, "students": 1070})

    def test_readable_line(self):
        output = self.run_command(
            *YEAR_2020, "--relation", "opened", "--funding", "supported", "--program", "TC-LLCT-HC"
        )
        self.assertEqual(output, counts_text(engine.Counts(7, 70)) + "\n")
        self.assertRegex(output, r"^07 \w+, 70 ")  # classes with a leading zero
        self.assertIn("1.070 ", self.run_command(*YEAR_2020, "--relation", "opened", "--program", "TC-LLCT-HC"))

    def test_readable_line_is_vietnamese(self):
        with translation.override("vi"):
            self.assertEqual(counts_text(engine.Counts(13, 1040)), "13 lớp, 1.040 học viên")
            self.assertEqual(counts_text(engine.Counts(7, 559)), "07 lớp, 559 học viên")

    def test_bad_input_names_the_argument(self):
        self.assert_error(
            ["--from", "2020-13-01", "--to", "2020-12-31", "--relation", "opened"], "--from", "2020-13-01"
        )
        self.assert_error(["--from", "2020-01-01", "--to", "hôm nay", "--relation", "opened"], "--to", "hôm nay")
        self.assert_error(
            ["--from", "2020-12-31", "--to", "2020-01-01", "--relation", "opened"],
            "--to",
            "Ngày cuối kỳ không được trước ngày đầu kỳ.",
        )
        self.assert_error([*YEAR_2020, "--relation", "opened", "--program", "TC-LLCT-HC", "XX"], "--program", "XX")
        self.assert_error(
            [*YEAR_2020, "--relation", "opened", "--program", "BD-CV," + "X" * 40], "--program", "X" * 32 + "…"
        )
        self.assert_error(
            [*YEAR_2020, "--relation", "opened", "--locality", "H99"], "--locality", "Không có mã địa phương"
        )
        self.assert_error([*YEAR_2020, "--relation", "sometime"], "--relation", "“sometime”")
        self.assert_error([*YEAR_2020, "--relation", "opened", "--mode", "online"], "--mode", "“online”")
        self.assert_error([*YEAR_2020, "--relation", "opened", "--funding", "free"], "--funding", "“free”")
        self.assert_error([*YEAR_2020, "--relation", "opened", "--category", "x"], "--category", "“x”")
        self.assert_error([*YEAR_2020, "--relation", "opened", "--kind", "diploma"], "--kind", "“diploma”")

    def test_kind_of_program(self):
        # Training and fostering split the classes opened in 2020 between them, each counted
        # as its programs' codes count it.
        opened = [*YEAR_2020, "--relation", "opened"]
        by_kind = {kind: self.counts(*opened, "--kind", kind) for kind in ProgramKind.values}
        self.assertTrue(all(figures["classes"] for figures in by_kind.values()), by_kind)
        total = self.counts(*opened)
        self.assertEqual(sum(f["classes"] for f in by_kind.values()), total["classes"])
        self.assertEqual(sum(f["students"] for f in by_kind.values()), total["students"])
        for kind, figures in by_kind.items():
            codes = Program.objects.filter(kind=kind).values_list("code", flat=True)
            self.assertEqual(self.counts(*opened, "--program", *codes), figures, kind)

    def test_missing_arguments_are_named(self):
        self.assert_error(["--to", "2020-12-31", "--relation", "opened"], "--from")
        self.assert_error(["--from", "2020-01-01", "--relation", "opened"], "--to")
        self.assert_error(YEAR_2020, "--relation")
