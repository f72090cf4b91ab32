"""The quota import: all or nothing, every bad row named by row and column."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings

from daotao.audit.models import AuditEntry, history
from daotao.cohorts.importing import ImportRejected
from daotao.org.models import UnitKind
from daotao.planning.importing import quotas_import
from daotao.planning.models import AnnualPlan, Quota
from daotao.planning.tests.base import HEADER, PlanningTestCase, workbook
from daotao.testing import make_unit


class QuotaImportTests(PlanningTestCase):
    def lines(self, year=2026):
        return set(
            Quota.objects.filter(plan__year=year).values_list(
                "program__code", "locality__code", "funding", "classes", "students"
            )
        )

    def rejected(self, data, year=2026) -> list:
        before = (self.lines(), AuditEntry.objects.count(), AnnualPlan.objects.count())
        with self.assertRaises(ImportRejected) as caught:
            quotas_import(data, year, self.office)
        self.assertEqual(before, (self.lines(), AuditEntry.objects.count(), AnnualPlan.objects.count()))
        return caught.exception.problems

    def test_creates_and_updates_lines(self):
        data = workbook(
            ("TC-LLCT-HC", "H01", "Được hỗ trợ kinh phí", 2, 150),  # updated
            ("TC-LLCT-HC", "H02", "supported", 1, 60),  # unchanged
            ("bd-cvc", "x0101", "Tự túc", 1.0, "45"),  # created; codes in any case
            title="Chỉ tiêu năm 2026",
        )
        result = quotas_import(data, 2026, self.office)
        self.assertEqual((result.lines.created, result.lines.updated, result.lines.unchanged), (1, 1, 1))
        self.assertIn("2026", result.summary())
        self.assertEqual(
            self.lines(),
            {
                ("TC-LLCT-HC", "H01", "supported", 2, 150),
                ("TC-LLCT-HC", "H02", "supported", 1, 60),
                ("BD-CVC", "X0101", "self_funded", 1, 45),
            },
        )
        again = quotas_import(data, 2026, self.office)
        self.assertEqual((again.lines.created, again.lines.updated, again.lines.unchanged), (0, 0, 3))

    def test_a_change_to_the_approved_plan_is_audited(self):
        quotas_import(workbook(("TC-LLCT-HC", "H01", "supported", 2, 150)), 2026, self.office)
        [entry] = history(self.plan)
        self.assertEqual((entry.action, entry.user, entry.username), ("plan.import", self.office, "office"))
        self.assertEqual(
            entry.changes,
            {"quota TC-LLCT-HC / H01 / supported": [{"classes": 1, "students": 80}, {"classes": 2, "students": 150}]},
        )
        # Nothing changed, nothing recorded.
        quotas_import(workbook(("TC-LLCT-HC", "H01", "supported", 2, 150)), 2026, self.office)
        self.assertEqual(history(self.plan).count(), 1)

    def test_a_draft_plan_is_not_audited_and_a_missing_plan_is_created(self):
        quotas_import(workbook(("TC-LLCT-HC", "H03", "supported", 1, 70)), 2027, self.office)
        plan = AnnualPlan.objects.get(year=2027)
        self.assertEqual(plan.status, "draft")
        self.assertEqual(self.lines(2027), {("TC-LLCT-HC", "H03", "supported", 1, 70)})
        self.assertFalse(history(plan).exists())

    def test_every_bad_row_with_its_column(self):
        make_unit("H99", "Huyện Cũ", UnitKind.DISTRICT, self.province, valid_to=dt.date(2025, 6, 30))
        problems = self.rejected(
            workbook(
                ("TC-LLCT-HC", "H01", "supported", 1, 80),
                ("XX", "H01", "supported", 1, 80),
                ("TC-LLCT-HC", "NOPE", "supported", 1, 80),
                ("TC-LLCT-HC", "SNV", "supported", 1, 80),
                ("TC-LLCT-HC", "H99", "supported", 1, 80),
                ("TC-LLCT-HC", "H02", "free", 1, 80),
                ("TC-LLCT-HC", "H03", "supported", -1, 2.5),
                ("TC-LLCT-HC", "H03", "supported", "một", None),
                ("TC-LLCT-HC", "H01", "Được hỗ trợ", 1, 80),
            )
        )
        found = [(p.sheet, p.row, p.column.split(" (")[0]) for p in problems]
        self.assertEqual(
            found,
            [
                ("ChiTieu", 3, "Mã chương trình"),
                ("ChiTieu", 4, "Mã địa phương"),
                ("ChiTieu", 5, "Mã địa phương"),
                ("ChiTieu", 6, "Mã địa phương"),
                ("ChiTieu", 7, "Kinh phí"),
                ("ChiTieu", 8, "Số lớp"),
                ("ChiTieu", 8, "Số học viên"),
                ("ChiTieu", 9, "Số lớp"),
                ("ChiTieu", 9, "Số học viên"),
                ("ChiTieu", 10, "Mã địa phương"),
            ],
        )
        messages = [p.message for p in problems]
        self.assertIn("XX", messages[0])
        self.assertIn("2026", messages[3])
        self.assertIn("2", messages[-1])  # the same line as row 2
        self.assertTrue(all(str(p).startswith("Sheet ChiTieu, row") or "ChiTieu" in str(p) for p in problems))

    def test_wrong_files(self):
        cases = {
            "no sheet": workbook(("TC-LLCT-HC", "H01", "supported", 1, 80), sheet="Sheet1"),
            "missing column": workbook(("TC-LLCT-HC", "H01", 1, 80), header=HEADER[:2] + HEADER[3:]),
            "no header": workbook(("TC-LLCT-HC", "H01", "supported", 1, 80), header=None),
            "empty sheet": workbook(header=None),
            "header only": workbook(),
            "not xlsx": b"Ma chuong trinh;Ma dia phuong\nTC-LLCT-HC;H01\n",
            "empty file": b"",
        }
        for name, data in cases.items():
            with self.subTest(name):
                problems = self.rejected(data)
                self.assertTrue(problems and all(p.message for p in problems))

    @override_settings(DAOTAO_MAX_IMPORT_BYTES=2_000)
    def test_a_file_too_large(self):
        rows = [("TC-LLCT-HC", f"H{i:04d}", "supported", 1, 80) for i in range(300)]
        [problem] = self.rejected(workbook(*rows))
        self.assertIn("MB", problem.message)
