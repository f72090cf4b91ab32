"""For the same period, the Academy's ``national_stats`` for one school equals that
school's own ``cohort_stats`` (issue 23): the school's package made by ``export_figures``,
imported by ``import_figures``, asked through ``national_stats``, each command as an
operator runs it. On the demo, and on a small synthetic school with a student who
transferred between two localities; a second, synthetic school beside each shows that the
national total adds the schools."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings

from daotao.academy import synthetic
from daotao.academy.importing import package_import
from daotao.academy.tests.helpers import SOUTH, register
from daotao.cohorts.models import Enrollment
from daotao.testing import DemoTestCase, WorldTestCase, enroll, make_cohort, make_student

PUBLIC_KEY = re.compile(r"ed25519:[A-Za-z0-9+/]{43}=")
PROGRAMS = ("TC-LLCT-HC", "BD-CV", "BD-CVC", "BD-LDP", "BD-BTX")
RELATIONS = ("opened", "carried_over", "active", "closed", "carried_over_running")


def questions() -> list[list[str]]:
    """The filters asked, as command-line options."""
    asked: list[list[str]] = [[]]
    asked += [["--program", code] for code in PROGRAMS]
    asked += [["--program", "TC-LLCT-HC", "BD-CV"], ["--kind", "training"], ["--kind", "fostering"]]
    asked += [["--mode", "non_concentrated"], ["--mode", "concentrated"], ["--funding", "supported"]]
    asked += [["--funding", "self_funded"], ["--program", "TC-LLCT-HC", "--mode", "non_concentrated"]]
    asked += [["--program", "TC-LLCT-HC", "--mode", "non_concentrated", "--funding", "supported"]]
    return asked


class Consistency:
    """The pipeline, for a test case whose database holds one school's records."""

    periods = (("2020-01-01", "2020-12-31"),)

    def run_command(self, *args) -> str:
        out = StringIO()
        call_command(*args, stdout=out, stderr=StringIO())
        return out.getvalue()

    def send_figures(self, code: str) -> None:
        """This school's key made, its public key registered at the Academy as ``code``,
        and its packages exported and imported."""
        folder = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="daotao-rollup-")))
        key = folder / "school.pem"
        public = PUBLIC_KEY.search(self.run_command("figures_key", "--output", str(key))).group(0)
        self.enterContext(override_settings(DAOTAO_FIGURES_KEY_FILE=str(key), DAOTAO_ROLE="academy"))
        self.run_command("register_school", code, "--name", "Trường Chính trị tỉnh Bình An", "--province",
                         "Bình An", "--public-key", public)  # fmt: skip
        for start, end in self.periods:
            path = folder / f"{start}.json"
            self.run_command("export_figures", "--from", start, "--to", end, "--output", str(path))
            self.run_command("import_figures", str(path))
        # A second school beside it, for the same periods.
        other, other_key = register("SYN", province="Tỉnh Tổng Hợp")
        for start, end in self.periods:
            package = synthetic.package(
                other_key,
                name=other.name,
                province=other.province,
                start=dt.date.fromisoformat(start),
                end=dt.date.fromisoformat(end),
                classes=SOUTH,
            )
            package_import(synthetic.file_bytes(package))

    def assert_consistent(self, code: str) -> int:
        """Every relation and filter of every period: the school's line of ``national_stats``
        equals its ``cohort_stats``, and the national total is the two schools' sum."""
        asked = 0
        for start, end in self.periods:
            for relation in RELATIONS:
                for options in questions():
                    common = ["--from", start, "--to", end, "--relation", relation, *options, "--json"]
                    with self.subTest(period=start, relation=relation, options=options):
                        national = json.loads(self.run_command("national_stats", *common))
                        own = json.loads(self.run_command("cohort_stats", *common))
                        schools = {school["code"]: school for school in national["schools"]}
                        self.assertEqual(
                            {"classes": schools[code]["classes"], "students": schools[code]["students"]}, own
                        )
                        self.assertEqual(
                            national["total"]["classes"], sum(school["classes"] for school in schools.values())
                        )
                        self.assertEqual(
                            national["total"]["students"], sum(school["students"] for school in schools.values())
                        )
                        self.assertEqual(national["missing"], [])
                        asked += 1
        return asked


class DemoConsistencyTests(Consistency, DemoTestCase):
    periods = (("2020-01-01", "2020-12-31"), ("2025-07-01", "2026-06-30"))

    def test_the_demo_counts_the_same_at_the_academy(self):
        self.send_figures("BA")
        self.assertEqual(self.assert_consistent("BA"), 2 * len(RELATIONS) * len(questions()))
        # The published 2020 report's first line, nationally: the demo's 13 classes and the
        # synthetic school's TC classes opened that year.
        national = json.loads(
            self.run_command("national_stats", "--from", "2020-01-01", "--to", "2020-12-31", "--relation",
                             "opened", "--program", "TC-LLCT-HC", "--mode", "non_concentrated", "--json")
        )  # fmt: skip
        schools = {school["code"]: school for school in national["schools"]}
        self.assertEqual((schools["BA"]["classes"], schools["BA"]["students"]), (13, 1040))


class SyntheticConsistencyTests(Consistency, WorldTestCase):
    """Lan left a class in H01's commune for one in H02: each locality counts her, the
    program once."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        D = dt.date.fromisoformat
        tc = cls.programs["TC-LLCT-HC"]
        a = make_cohort("A", tc, cls.x01, D("2020-02-03"))
        b = make_cohort("B", tc, cls.h02, D("2020-03-02"), funding="self_funded")
        enroll(a, 5)
        enroll(b, 7)
        lan = make_student("Trần Thị Lan", locality=cls.h01)
        Enrollment.objects.create(cohort=a, student=lan, status="transferred")
        Enrollment.objects.create(cohort=b, student=lan, status="studying")
        old = make_cohort("OLD", tc, cls.h03, D("2019-03-01"), D("2020-09-30"), plan_year=2019)
        enroll(old, 9)
        cv = make_cohort("CV", cls.programs["BD-CV"], cls.school, D("2020-05-04"), mode="concentrated")
        enroll(cv, 4)

    def test_a_synthetic_school_counts_the_same_at_the_academy(self):
        self.send_figures("BA")
        self.assertEqual(self.assert_consistent("BA"), len(RELATIONS) * len(questions()))
        own = json.loads(
            self.run_command("cohort_stats", "--from", "2020-01-01", "--to", "2020-12-31", "--relation", "opened",
                             "--program", "TC-LLCT-HC", "--json")
        )  # fmt: skip
        self.assertEqual(own, {"classes": 2, "students": 13}, "Lan once")
