"""Importing a school's figures package: written whole, replaced by the same school's
package for the same period, refused with nothing written (and the refusal recorded) when
the file, its shape, its key, its signature or its totals are wrong."""

from __future__ import annotations

import copy
import json

from django.test import override_settings

from daotao.academy import synthetic
from daotao.academy.format import ALL
from daotao.academy.importing import figures_import, package_import
from daotao.academy.models import (
    CareerCount,
    EvaluationYear,
    FigureLine,
    FiguresPackage,
    GraduationBand,
    ProgramGraduates,
    QuotaLine,
)
from daotao.academy.synthetic import Klass
from daotao.academy.tests.helpers import NORTH, SOUTH, AcademyTestCase, day, imported, year_package
from daotao.audit.models import ImportKind, ImportOutcome, ImportRecord
from daotao.lib import signing
from daotao.web.import_results import ImportRejected

ROWS = (FiguresPackage, FigureLine, QuotaLine, ProgramGraduates, GraduationBand, EvaluationYear, CareerCount)


def resigned(key, document: dict) -> dict:
    """The file with its package signed again (after a change the signature must cover)."""
    return synthetic.signed(key, document["package"])


def total_line(document: dict, relation: str, program: str) -> dict:
    return next(
        line for line in document["package"]["lines"]
        if (line["relation"], line["program"], line["mode"], line["funding"], line["locality"])
        == (relation, program, None, None, None)
    )  # fmt: skip


class ImportTests(AcademyTestCase):
    def package(self, **extra) -> dict:
        extra.setdefault(
            "graduation", [synthetic.graduation_program("TC-LLCT-HC", [("good", "Giỏi", 3), ("fair", "Khá", 9)])]
        )
        extra.setdefault("evaluation", [{"year": 2020, "classes": 5, "evaluated": 2, "after_course": 1}])
        extra.setdefault("careers", [{"kind": "appointment", "label": "Bổ nhiệm", "count": 4}])
        return year_package(self.north_key, self.north, NORTH, **extra)

    def counts(self) -> dict:
        return {model.__name__: model.objects.count() for model in ROWS}

    def test_a_package_is_written_whole(self):
        document = self.package()
        result = figures_import(synthetic.file_bytes(document), user=self.office)
        self.assertEqual((result.created, result.updated, result.school), (1, 0, self.north))
        stored = FiguresPackage.objects.get()
        self.assertEqual(
            (stored.period_from, stored.period_to, stored.calendar_year), (day("2020-01-01"), day("2020-12-31"), 2020)
        )
        self.assertEqual(
            (stored.school, stored.imported_by, stored.key_id), (self.north, self.office, self.north.key_id)
        )
        self.assertEqual(stored.content, document)
        self.assertEqual(FigureLine.objects.count(), len(document["package"]["lines"]))
        self.assertEqual(QuotaLine.objects.count(), 3)
        self.assertEqual(sorted(GraduationBand.objects.values_list("band", "count")), [("fair", 9), ("good", 3)])
        evaluation = EvaluationYear.objects.get()
        self.assertEqual((evaluation.classes, evaluation.evaluated, evaluation.counts), (5, 2, {"after_course": 1}))
        self.assertEqual(CareerCount.objects.get().count, 4)
        # The programs' totals, "every value" stored as ALL.
        total = FigureLine.objects.get(relation="opened", program="TC-LLCT-HC", mode=ALL, funding=ALL, locality=ALL)
        self.assertEqual((total.classes, total.students, total.program_kind), (3, 195, "training"))
        record = ImportRecord.objects.get()
        self.assertEqual(
            (record.kind, record.outcome, record.created, record.user),
            (ImportKind.FIGURES, ImportOutcome.DONE, 1, self.office),
        )
        self.assertTrue(record.file.name.endswith(".json"))

    def test_the_same_period_again_replaces_the_package(self):
        imported(self.north_key, self.north, NORTH)
        first = FiguresPackage.objects.get()
        result = imported(self.north_key, self.north, NORTH[:2])
        self.assertEqual((result.created, result.updated), (0, 1))
        stored = FiguresPackage.objects.get()
        self.assertNotEqual(stored.pk, first.pk)
        self.assertFalse(FigureLine.objects.filter(package=first.pk).exists())
        self.assertEqual(FigureLine.objects.count(), len(synthetic.lines_of(NORTH[:2])))
        self.assertEqual(QuotaLine.objects.count(), 3)
        # The same file twice: still one package.
        imported(self.north_key, self.north, NORTH[:2])
        self.assertEqual(FiguresPackage.objects.count(), 1)

    def test_other_periods_and_schools_are_kept_beside_it(self):
        imported(self.north_key, self.north, NORTH, 2020)
        imported(self.north_key, self.north, NORTH, 2021)
        imported(self.south_key, self.south, SOUTH, 2020)
        document = synthetic.package(
            self.north_key, name=self.north.name, province="Bắc An", start=day("2020-01-01"), end=day("2020-06-30"),
            classes=NORTH,
        )  # fmt: skip
        package_import(synthetic.file_bytes(document))
        periods = FiguresPackage.objects.values_list("school__code", "period_from", "period_to", "calendar_year")
        self.assertEqual(
            sorted(periods),
            [("BAN", day("2020-01-01"), day("2020-06-30"), None), ("BAN", day("2020-01-01"), day("2020-12-31"), 2020),
             ("BAN", day("2021-01-01"), day("2021-12-31"), 2021), ("NAM", day("2020-01-01"), day("2020-12-31"), 2020)],
        )  # fmt: skip

    def test_a_check_only_writes_nothing(self):
        result = package_import(synthetic.file_bytes(self.package()), dry_run=True)
        self.assertEqual((result.created, result.dry_run), (1, True))
        self.assertEqual(FiguresPackage.objects.count(), 0)

    # --- refusals ---------------------------------------------------------------------------

    def assert_refused(self, content: bytes, *expected: str) -> str:
        before = self.counts()
        with self.assertRaises(ImportRejected) as caught:
            figures_import(content, user=self.office)
        text = str(caught.exception)
        for part in expected:
            self.assertIn(part, text)
        self.assertEqual(self.counts(), before)
        record = ImportRecord.objects.order_by("-pk").first()
        self.assertEqual((record.outcome, record.kind), (ImportOutcome.REFUSED, ImportKind.FIGURES))
        return text

    def refused_document(self, document: dict, *expected: str) -> str:
        return self.assert_refused(synthetic.file_bytes(document), *expected)

    def test_not_a_json_file(self):
        self.assert_refused(b"PK\x03\x04\xff\xfe an xlsx", "UTF-8")
        self.assert_refused(b'{"package": {', "not valid JSON (at line 1, column 14)")
        self.assert_refused(b"[1, 2]", '{"package"')
        self.assert_refused(b'{"package": {"format": "daotao-figures/1", "x": 1.5}, "signature": {}}', "decimal point")

    @override_settings(DAOTAO_MAX_FIGURES_BYTES=1000)
    def test_a_file_too_large_is_refused_unread(self):
        self.assert_refused(synthetic.file_bytes(self.package()), "at most 1.000 byte")
        self.assertEqual(ImportRecord.objects.get().file.name, "")

    def test_another_format(self):
        document = self.package()
        document["package"]["format"] = "daotao-figures/2"
        self.refused_document(document, "package.format", "daotao-figures/1")
        del document["signature"]
        document["package"]["format"] = "daotao-figures/1"
        self.refused_document(document, "not signed")

    def test_fields_of_the_wrong_type_are_named_by_their_path(self):
        document = self.package()
        body = document["package"]
        body["lines"][0]["classes"] = "12"
        body["lines"][1]["relation"] = "running"
        body["lines"][2]["program"] = "XX"
        body["lines"][3]["mode"] = "online"
        body["period"]["from"] = "01/01/2020"
        del body["school"]["province"]
        body["quota"][0]["lines"][1]["planned"] = -5
        body["graduation"][0]["bands"][0]["count"] = True
        text = self.refused_document(resigned(self.north_key, document))
        for expected in (
            'package.lines[0].classes: expected a whole number from 0 to 2.000.000.000, not "12".',
            "package.lines[1].relation: expected one of opened, carried_over, active, closed, carried_over_running",
            "package.lines[2].program: the program XX is not in package.programs.",
            'package.lines[3].mode: expected one of concentrated, non_concentrated, not "online".',
            'package.period.from: expected a date written YYYY-MM-DD, not "01/01/2020".',
            "package.school.province: missing.",
            "package.quota[0].lines[1].planned: expected a whole number",
            "package.graduation[0].bands[0].count: expected a whole number from 0 to 2.000.000.000, not true.",
        ):
            self.assertIn(expected, text)

    def test_a_line_given_twice(self):
        document = self.package()
        document["package"]["lines"].append(dict(document["package"]["lines"][0]))
        self.refused_document(
            resigned(self.north_key, document), "the same relation, program and filters as package.lines[0]"
        )

    def test_a_key_not_registered(self):
        other = signing.new_private_key()
        document = synthetic.package(other, name="Trường lạ", province="X", **synthetic.year(2020), classes=NORTH)
        self.refused_document(document, "no registered school has", "register_school")

    def test_a_signature_that_does_not_match(self):
        document = self.package()
        total_line(document, "opened", "TC-LLCT-HC")["students"] += 1
        self.refused_document(document, "The signature does not match", self.north.name)
        # Signed by the south's key but naming the north's: no match either.
        forged = synthetic.signed(self.south_key, self.package()["package"])
        self.refused_document(forged, "signature.key_id")
        forged["signature"]["key_id"] = self.north.key_id
        self.refused_document(forged, "The signature does not match")

    def test_a_tampered_package_is_refused_for_its_signature_before_its_totals(self):
        document = self.package()
        total_line(document, "opened", "TC-LLCT-HC")["classes"] += 1
        text = self.refused_document(document, "The signature does not match")
        self.assertNotIn("add up", text)

    def test_classes_that_do_not_add_up(self):
        document = self.package()
        total_line(document, "opened", "TC-LLCT-HC")["classes"] = 4
        text = self.refused_document(resigned(self.north_key, document))
        self.assertIn(
            "package.lines (relation opened, program TC-LLCT-HC, mode null, funding null, locality null): 4 classes, "
            "but the lines of the localities at the top add up to 3",
            text,
        )
        self.assertIn("but its lines by mode add up to 3", text)
        self.assertIn(
            "(relation active, program TC-LLCT-HC, mode null, funding null, locality null): 4 classes, but 4 "
            "opened and 1 carried over make 5.",
            text,
        )

    def test_a_coarser_line_with_more_students_than_its_finer_lines(self):
        document = self.package()
        total_line(document, "opened", "TC-LLCT-HC")["students"] += 1
        self.refused_document(
            resigned(self.north_key, document),
            "196 students, more than the 195 of its lines by mode",
        )

    def test_fewer_students_in_a_coarser_line_is_a_transfer(self):
        """A student who moved between two classes of the program counts once in its total."""
        document = self.package()
        total_line(document, "active", "TC-LLCT-HC")["students"] -= 1
        package_import(synthetic.file_bytes(resigned(self.north_key, document)))
        self.assertEqual(FiguresPackage.objects.count(), 1)

    def test_running_classes_are_those_opened_and_carried_over(self):
        document = self.package()
        body = document["package"]
        body["lines"] = [
            line
            for line in body["lines"]
            if not (line["relation"] == "carried_over" and line["program"] == "TC-LLCT-HC")
        ]
        self.refused_document(
            resigned(self.north_key, document),
            "relation active, program TC-LLCT-HC, mode null, funding null, locality null): 4 classes, but 3 opened "
            "and 0 carried over make 3.",
        )

    def test_a_program_without_its_total_line(self):
        document = self.package()
        document["package"]["lines"].remove(total_line(document, "closed", "BD-CVC"))
        self.refused_document(resigned(self.north_key, document), "program BD-CVC", "missing: the program's total")

    def test_stated_sums_that_differ_from_their_parts(self):
        document = self.package()
        document["package"]["quota"][0]["planned"] += 10
        document["package"]["graduation"][0]["graduates"] = 11
        self.refused_document(
            resigned(self.north_key, document),
            "package.quota[0].planned: 210, but its lines add up to 200.",
            "package.graduation[0].graduates: 11, fewer than the 12 of its bands.",
        )

    def test_graduates_without_a_band(self):
        """A fostering program's completions have no band; training graduates may lack one."""
        graduation = [
            synthetic.graduation_program("TC-LLCT-HC", [("good", "Giỏi", 3)]) | {"graduates": 5},
            {"program": "BD-CV", "graduates": 40, "bands": []},
        ]
        package_import(synthetic.file_bytes(self.package(graduation=graduation)))
        self.assertEqual(
            sorted(ProgramGraduates.objects.values_list("program", "graduates")), [("BD-CV", 40), ("TC-LLCT-HC", 5)]
        )
        self.assertEqual(
            list(GraduationBand.objects.values_list("program", "band", "count")), [("TC-LLCT-HC", "good", 3)]
        )

    def test_a_unit_holds_the_classes_of_the_units_below_it(self):
        """H01's line holds its commune's class; the province's every class."""
        classes = [*NORTH, Klass("TC-LLCT-HC", "X0101", 20)]
        document = year_package(self.north_key, self.north, classes)
        package_import(synthetic.file_bytes(document))
        lines = FigureLine.objects.filter(relation="opened", program="TC-LLCT-HC", mode=ALL, funding=ALL)
        self.assertEqual(
            dict(lines.values_list("locality", "classes")), {ALL: 4, "BA": 4, "H01": 3, "X0101": 1, "SCH": 1}
        )
        # A district's line with fewer classes than its communes' lines is refused.
        for line in document["package"]["lines"]:
            if (line["relation"], line["program"], line["mode"], line["funding"], line["locality"]) == (
                "opened", "TC-LLCT-HC", None, None, "H01",
            ):  # fmt: skip
                line["classes"] = 0
        self.refused_document(
            resigned(self.north_key, document),
            "locality H01): 0 classes, fewer than the 1 of the units directly below it",
        )

    def test_a_parent_not_listed(self):
        document = self.package()
        document["package"]["localities"][0]["parent"] = "ZZ"
        self.refused_document(
            resigned(self.north_key, document), "package.localities[0].parent: the locality ZZ is not in"
        )

    def test_a_quota_year_outside_the_period(self):
        document = self.package(quota=[synthetic.quota_year(2019, [])])
        self.refused_document(document, "package.quota[0].year: 2019 is not a year of the period.")

    def test_the_file_as_a_school_might_send_it(self):
        """Keys in another order, spaces, a byte-order mark: the same package."""
        document = self.package()
        text = "\ufeff" + json.dumps(copy.deepcopy(document), indent=4, sort_keys=False, ensure_ascii=True)
        package_import(text.encode("utf-8"))
        self.assertEqual(FiguresPackage.objects.count(), 1)
