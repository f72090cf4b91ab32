"""The synthetic packages the tests and the benchmark import are packages the Academy accepts."""

import random

from django.test import SimpleTestCase

from daotao.academy import synthetic
from daotao.academy.package import parse_json, read_package
from daotao.academy.synthetic import Klass
from daotao.academy.totals import check_totals
from daotao.lib import signing


class SyntheticTests(SimpleTestCase):
    def test_every_line_of_two_classes(self):
        lines = synthetic.lines_of(
            [Klass("TC-LLCT-HC", "H01", 80, "non_concentrated", "supported"), Klass("TC-LLCT-HC", "H02", 60)]
        )
        # Two relations × (every mode or the one) × (every funding or the one) × (every locality,
        # H01, H02 or the province above both).
        self.assertEqual(len(lines), 2 * 2 * 2 * 4)
        province = [line for line in lines if line["locality"] == "BA" and line["mode"] is None]
        self.assertEqual(
            {(line["classes"], line["students"]) for line in province if line["funding"] is None}, {(2, 140)}
        )
        total = next(
            line for line in lines
            if line["relation"] == "opened" and line["mode"] is None and line["funding"] is None
            and line["locality"] is None
        )  # fmt: skip
        self.assertEqual((total["classes"], total["students"]), (2, 140))

    def test_a_realistic_year_reads_and_adds_up(self):
        key = signing.new_private_key()
        document = synthetic.realistic_year(
            key, random.Random(3), name="Trường A", province="A", year_number=2020,
            programs=synthetic.realistic_programs(), localities=synthetic.realistic_localities(),
        )  # fmt: skip
        package = read_package(parse_json(synthetic.file_bytes(document)))
        check_totals(package)
        signing.verify(signing.public_key_text(key), package.signed, package.signature)
        self.assertGreater(len(package.lines), 3000)
        self.assertEqual(len(package.program_kinds), 15)
