"""The demo's figures packages: every question the Academy may ask of a school's lines gives
what the school's own engine and ``cohort_stats`` count (docs/figures-format.md), the 2020
package reproduces the published 2020 report, and no personal data is in it."""

import datetime as dt
import itertools
import json
import math
from io import StringIO
from pathlib import Path

import jsonschema_rs
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from daotao.accounts.scope import SYSTEM
from daotao.cohorts.models import Funding, Mode
from daotao.lib import signing
from daotao.lib.vietnamese import format_date
from daotao.national.package import CHUNK, figures_package, line_keys, package_period, whole_years
from daotao.national.signing import figures_file, file_bytes, school_key
from daotao.national.tests.reading import lines_total
from daotao.org.models import Lecturer, Unit
from daotao.people.models import Student
from daotao.planning.achievement import quota_achievement, quota_lines
from daotao.programs.models import ProgramKind
from daotao.reports import engine
from daotao.reports.annual import annual_report
from daotao.surveys.coverage import coverage_figures
from daotao.surveys.models import CareerEvent, CareerEventKind
from daotao.testing import DemoTestCase

D = dt.date.fromisoformat
YEAR_2020 = (D("2020-01-01"), D("2020-12-31"))
SCHOOL_YEAR = (D("2025-07-01"), D("2026-06-30"))
KEY_ID = "0123456789abcdef"


def questions(package: dict, unit_codes: list[str]) -> list[dict]:
    """What may be asked of a package: every relation, for every program, two programs,
    each kind and every program together, unsplit and split by mode, funding, both, each
    locality the package names and each with mode and funding; and every unit of the
    province (most of which hold no class, or hold them only below them) over every program."""
    programs = [program["code"] for program in package["programs"]]
    chosen = [{}, *({"programs": (code,)} for code in programs), {"programs": tuple(programs[:2])}]
    chosen += [{"kind": kind} for kind in ProgramKind.values]
    localities = [locality["code"] for locality in package["localities"]]
    splits = [{}, *({"mode": mode} for mode in Mode.values), *({"funding": funding} for funding in Funding.values)]
    splits += [{"mode": mode, "funding": funding} for mode, funding in itertools.product(Mode.values, Funding.values)]
    splits += [{"locality": code} for code in localities]
    splits += [
        {"locality": code, "mode": mode, "funding": funding}
        for code, mode, funding in itertools.product(localities, Mode.values, Funding.values)
    ]
    asked = [
        {"relation": relation, **selection, **split}
        for relation, selection, split in itertools.product(engine.RELATIONS, chosen, splits)
    ]
    asked += [{"relation": relation, "locality": code} for relation in engine.RELATIONS for code in unit_codes]
    return asked


def engine_counts(period: engine.Period, asked: list[dict]) -> list[tuple[int, int]]:
    specs = [
        engine.CountSpec(
            period,
            question["relation"],
            engine.CohortFilter(
                programs=question.get("programs", ()),
                kind=question.get("kind", ""),
                mode=question.get("mode", ""),
                funding=question.get("funding", ""),
                locality=question.get("locality", ""),
                units=engine.UNITS_THEN,
            ),
        )
        for question in asked
    ]
    counted = []
    for first in range(0, len(specs), CHUNK):
        counted += engine.count_many(specs[first : first + CHUNK], SYSTEM)
    return [(counts.classes, counts.students) for counts in counted]


class DemoPackageTests(DemoTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.packages = {period: figures_package(*period, key_id=KEY_ID) for period in (YEAR_2020, SCHOOL_YEAR)}
        cls.unit_codes = list(Unit.objects.order_by("code").values_list("code", flat=True))

    def test_every_question_equals_the_engine(self):
        for period, package in self.packages.items():
            asked = questions(package, self.unit_codes)
            counted = engine_counts(engine.Period(*period), asked)
            answered = [lines_total(package, **question) for question in asked]
            wrong = [
                (question, mine, theirs)
                for question, mine, theirs in zip(asked, answered, counted, strict=True)
                if mine != theirs
            ]
            with self.subTest(period=period):
                self.assertEqual(wrong, [])
                self.assertGreater(len(asked), 500)
                # The questions found classes: in every relation, and split by locality.
                self.assertGreater(sum(1 for classes, _students in answered if classes), 100)
                for relation in engine.RELATIONS:
                    self.assertGreater(lines_total(package, relation)[0], 0, relation)

    def test_every_line_has_classes_and_is_counted_with_its_own_filter(self):
        package = self.packages[YEAR_2020]
        self.assertEqual(len(package["lines"]), len(line_keys(engine.Period(*YEAR_2020))[0]))
        self.assertTrue(all(line["classes"] > 0 for line in package["lines"]))
        keys = [
            (line["relation"], line["program"], line["mode"], line["funding"], line["locality"])
            for line in package["lines"]
        ]
        self.assertEqual(len(keys), len(set(keys)))
        named = {line["locality"] for line in package["lines"]} - {None}
        self.assertEqual(named, {locality["code"] for locality in package["localities"]})
        self.assertEqual({line["program"] for line in package["lines"]}, {p["code"] for p in package["programs"]})

    def test_cohort_stats_gives_the_same(self):
        package = self.packages[YEAR_2020]
        asked = [
            ("opened", ["TC-LLCT-HC"], {"mode": "non_concentrated"}),
            ("opened", ["TC-LLCT-HC"], {"mode": "non_concentrated", "funding": "self_funded"}),
            ("carried_over", ["TC-LLCT-HC"], {"mode": "non_concentrated"}),
            ("active", [], {"locality": "H01"}),
            ("active", [], {"locality": "BA", "funding": "supported"}),
            ("closed", ["BD-CV", "BD-CVC"], {}),
            ("carried_over_running", [], {"kind": "training"}),
            ("opened", [], {"kind": "fostering", "mode": "concentrated"}),
        ]
        for relation, programs, filters in asked:
            with self.subTest(relation=relation, programs=programs, filters=filters):
                args = ["--from", "2020-01-01", "--to", "2020-12-31", "--relation", relation, "--json"]
                args += ["--units", "then", *(["--program", *programs] if programs else [])]
                for name, value in filters.items():
                    args += [f"--{name}", value]
                out = StringIO()
                call_command("cohort_stats", *args, stdout=out)
                stats = json.loads(out.getvalue())
                self.assertEqual(
                    lines_total(package, relation, programs, **filters), (stats["classes"], stats["students"])
                )

    def test_the_2020_package_reproduces_the_2020_report(self):
        package = self.packages[YEAR_2020]
        report = annual_report(2020, SYSTEM)
        self.assertEqual(len(report.lines), 8)
        for line in report.lines:
            counted = line.counted_filter
            with self.subTest(line=line.line.key):
                classes, students = lines_total(
                    package,
                    line.line.relation,
                    programs=counted.programs,
                    kind=counted.kind,
                    category=counted.category,
                    mode=counted.mode,
                    funding=counted.funding,
                    locality=counted.locality,
                )
                self.assertEqual((classes, students), (line.counts.classes, line.counts.students))
        self.assertEqual(lines_total(package, "opened", ["TC-LLCT-HC"], mode="non_concentrated"), (13, 1040))
        self.assertEqual(lines_total(package, "active", ["TC-LLCT-HC"], mode="non_concentrated"), (26, 2135))
        self.assertEqual(lines_total(package, "opened", ["BD-CV", "BD-CVC"])[0], 19)

    def test_quota_as_the_quota_table(self):
        package = self.packages[YEAR_2020]
        self.assertEqual([year["year"] for year in package["quota"]], [2020])
        quota = package["quota"][0]
        self.assertEqual((quota["planned"], quota["achieved"]), (1210, 1040))
        lines = quota_lines(quota_achievement(2020, SYSTEM))
        self.assertEqual(
            [(q["locality"], q["program"], q["funding"], q["planned"], q["achieved"]) for q in quota["lines"]],
            [(ln.locality_code, ln.program_code, ln.funding, ln.planned_students, ln.actual_students) for ln in lines],
        )
        h01 = [q for q in quota["lines"] if q["locality"] == "H01" and q["funding"] == "self_funded"]
        self.assertEqual(h01, [{"locality": "H01", "locality_name": "Thành phố Bình An", "program": "TC-LLCT-HC",
                                "funding": "self_funded", "planned": 80, "achieved": 79}])  # fmt: skip
        # Quotas are yearly: a school year's package holds no whole calendar year.
        self.assertEqual(self.packages[SCHOOL_YEAR]["quota"], [])
        self.assertEqual(whole_years(engine.Period(*SCHOOL_YEAR)), [])

    def test_graduation_by_band(self):
        graduation = {item["program"]: item for item in self.packages[SCHOOL_YEAR]["graduation"]}
        self.assertEqual(
            graduation["TC-LLCT-HC"],
            {"program": "TC-LLCT-HC", "graduates": 29, "bands": [
                {"band": "excellent", "label": "Xuất sắc", "count": 1},
                {"band": "good", "label": "Giỏi", "count": 7},
                {"band": "fair", "label": "Khá", "count": 19},
                {"band": "average", "label": "Trung bình", "count": 2},
            ]},
        )  # fmt: skip
        self.assertEqual(self.packages[YEAR_2020]["graduation"], [])

    def test_evaluation_and_careers(self):
        package = figures_package(D("2026-01-01"), D("2026-12-31"), key_id=KEY_ID)
        figures = coverage_figures(2026)
        self.assertEqual(
            package["evaluation"],
            [{"year": 2026, "classes": figures.classes, "evaluated": 1, "evaluated_learners": figures.learner_count,
              "evaluated_after": figures.after_count}],
        )  # fmt: skip
        self.assertEqual(figures.course_count, 1)
        events = CareerEvent.objects.filter(date__year=2026)
        self.assertEqual(
            {item["kind"]: item["count"] for item in package["careers"]},
            {kind: events.filter(kind=kind).count() for kind in CareerEventKind.values},
        )
        self.assertGreater(sum(item["count"] for item in package["careers"]), 0)
        self.assertEqual([item["kind"] for item in self.packages[YEAR_2020]["careers"]], CareerEventKind.values)

    def test_no_personal_data(self):
        texts = [json.dumps(package, ensure_ascii=False) for package in self.packages.values()]
        people = list(Student.objects.values_list("national_id", "full_name", "date_of_birth"))
        self.assertGreater(len(people), 1000)
        found = []
        for national_id, full_name, born in people:
            for value in (national_id, full_name, born and born.isoformat(), born and format_date(born)):
                if value and any(value in text for text in texts):
                    found.append(value)
        for full_name in Lecturer.objects.values_list("full_name", flat=True):
            if any(full_name in text for text in texts):
                found.append(full_name)
        self.assertEqual(found, [])

    def test_integers_and_strings_only(self):
        def kinds(value):
            if isinstance(value, dict):
                return set().union(*map(kinds, value.values())) if value else set()
            if isinstance(value, list):
                return set().union(*map(kinds, value)) if value else set()
            return {type(value)}

        for package in self.packages.values():
            self.assertLessEqual(kinds(package), {int, str, type(None)})

    def test_a_fixed_number_of_queries(self):
        period = engine.Period(*YEAR_2020)
        lines = len(line_keys(period)[0])
        years, plan_years = len(whole_years(period)), 1
        # The classes' combinations and the units; per chunk of lines the programs, the
        # localities and the count; the quota's years, then three a plan year; graduation,
        # programs, careers; four a year for evaluation.
        expected = 2 + 3 * math.ceil(lines / CHUNK) + 1 + 3 * plan_years + 3 + 4 * years
        with CaptureQueriesContext(connection) as queries:
            figures_package(*YEAR_2020, key_id=KEY_ID)
        self.assertEqual(len(queries), expected, [q["sql"][:100] for q in queries])
        self.assertEqual(package_period(*YEAR_2020), period)


class DemoFileTests(DemoTestCase):
    def test_the_signed_files_follow_the_schema(self):
        schema = json.loads((Path(settings.BASE_DIR) / "docs" / "figures-format.schema.json").read_text("utf-8"))
        validator = jsonschema_rs.validator_for(schema)
        public = signing.public_key_text(school_key())
        for period in (YEAR_2020, SCHOOL_YEAR, (D("2026-01-01"), D("2026-12-31"))):
            with self.subTest(period=period):
                document = json.loads(file_bytes(figures_file(*period)).decode("utf-8"))
                self.assertEqual([error.message for error in validator.iter_errors(document)], [])
                signing.verify(public, document["package"], document["signature"])
