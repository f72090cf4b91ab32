"""The xlsx import of career events: all or nothing, problems by row and column, scope."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.test import override_settings
from django.utils import translation

from daotao.audit.models import AuditEntry
from daotao.surveys.models import CareerEvent, CareerEventKind
from daotao.surveys.outcome_import import career_events_import, template_workbook
from daotao.surveys.tests import test_outcome_services as base
from daotao.web.import_results import ImportRejected

HEADERS = ["Số CCCD", "Loại", "Ngày quyết định", "Số quyết định", "Nội dung"]


def workbook(rows, headers=HEADERS, title="CongTac") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


class ImportTests(base.OutcomeWorld):
    def setUp(self):
        self.enterContext(translation.override("en"))  # messages compared in English

    def rejected(self, content, user=None) -> list[str]:
        with self.assertRaises(ImportRejected) as caught:
            career_events_import(content, user=user or self.office)
        return [str(problem) for problem in caught.exception.problems]

    def test_good_rows_are_imported_and_audited(self):
        content = workbook(
            [
                [self.local.national_id, "bổ nhiệm", "15/05/2025", "12/QĐ-UBND", "Phó Trưởng phòng"],
                [int(self.other.national_id), "KHEN THUONG", dt.datetime(2025, 6, 1), "35/QĐ-UBND", "Bằng khen"],
                [self.other.national_id, "Đề bạt", "01/07/2025", "40/QĐ", ""],
                [self.staff.national_id, "Nâng ngạch", "02/07/2025", "41/QĐ", None],
                [self.staff.national_id, "kỷ luật", "03/07/2025", "42/QĐ", "Khiển trách"],
                [self.commune.national_id, "Luân chuyển", "04/07/2025", "43/QĐ", None],
            ]
        )
        result = career_events_import(content, user=self.office)
        self.assertEqual(result.created, 6)
        self.assertIn("6", result.summary())
        kinds = dict(CareerEvent.objects.values_list("decision_number", "kind"))
        self.assertEqual(
            kinds,
            {
                "12/QĐ-UBND": CareerEventKind.APPOINTMENT,
                "35/QĐ-UBND": CareerEventKind.REWARD,
                "40/QĐ": CareerEventKind.PROMOTION,
                "41/QĐ": CareerEventKind.PROMOTION,
                "42/QĐ": CareerEventKind.DISCIPLINE,
                "43/QĐ": CareerEventKind.ROTATION,
            },
        )
        event = CareerEvent.objects.get(decision_number="35/QĐ-UBND")
        self.assertEqual((event.student, event.date, event.recorded_by), (self.other, dt.date(2025, 6, 1), self.office))
        self.assertEqual(AuditEntry.objects.filter(action="career_event").count(), 6)

    def test_dry_run_writes_nothing(self):
        content = workbook([[self.local.national_id, "Bổ nhiệm", "15/05/2025", "12/QĐ", ""]])
        result = career_events_import(content, user=self.office, dry_run=True)
        self.assertEqual((result.created, result.dry_run), (1, True))
        self.assertFalse(CareerEvent.objects.exists())

    def test_one_bad_row_and_nothing_is_written(self):
        CareerEvent.objects.create(student=self.local, kind="reward", date=dt.date(2025, 1, 1), decision_number="9/QĐ")
        content = workbook(
            [
                [self.local.national_id, "Bổ nhiệm", "15/05/2025", "12/QĐ", "ok"],  # row 2: good
                ["123", "Bổ nhiệm", "15/05/2025", "13/QĐ", ""],  # row 3
                ["001099000999", "Bổ nhiệm", "15/05/2025", "14/QĐ", ""],  # row 4: unknown
                [self.local.national_id, "Sa thải", "15/05/2025", "15/QĐ", ""],  # row 5
                [self.local.national_id, "Bổ nhiệm", "31/02/2025", "16/QĐ", ""],  # row 6
                [self.local.national_id, "Bổ nhiệm", "15/05/2025", None, ""],  # row 7
                [self.local.national_id, "Khen thưởng", "01/01/2025", "9/QĐ", ""],  # row 8: on record
                [self.local.national_id, "bo nhiem", "15/05/2025", "12/QĐ", ""],  # row 9: same as row 2
                [self.other.national_id, "Bổ nhiệm", "15/05/2025", "17/QĐ", "x" * 501],  # row 10
            ]
        )
        problems = self.rejected(content)
        self.assertEqual(len(problems), 8, problems)
        expected = [
            "row 3, column Số CCCD (A): “123” is not a national ID",
            "row 4, column Số CCCD (A): There is no student with this national ID",
            "row 5, column Loại (B): “Sa thải” is not an accepted value",
            "row 6, column Ngày quyết định (C): “31/02/2025” is not a date",
            "row 7, column Số quyết định (D):",
            "row 8, column Số quyết định (D): This decision (reward) is already on record",
            "row 9, column Số quyết định (D): The same event is already on row 2.",
            "row 10, column Nội dung (E): Too long",
        ]
        for problem, text in zip(problems, expected, strict=True):
            self.assertIn("CongTac", problem)
            self.assertIn(text, problem)
        self.assertEqual(CareerEvent.objects.count(), 1)
        self.assertFalse(AuditEntry.objects.exists())

    def test_a_coordinator_imports_for_its_locality_only(self):
        content = workbook(
            [
                [self.local.national_id, "Bổ nhiệm", "15/05/2025", "12/QĐ", ""],
                [self.commune.national_id, "Bổ nhiệm", "15/05/2025", "13/QĐ", ""],
            ]
        )
        self.assertEqual(career_events_import(content, user=self.coordinator).created, 2)
        outside = workbook([[self.other.national_id, "Bổ nhiệm", "15/05/2025", "14/QĐ", ""]])
        [problem] = self.rejected(outside, self.coordinator)
        self.assertIn("There is no student with this national ID in your records", problem)
        self.assertEqual(CareerEvent.objects.count(), 2)

    def test_an_agency_imports_for_its_own_staff_only(self):
        content = workbook(
            [
                [self.staff.national_id, "Khen thưởng", "15/05/2025", "12/QĐ", ""],
                [self.local.national_id, "Khen thưởng", "15/05/2025", "13/QĐ", ""],
            ]
        )
        [problem] = self.rejected(content, self.agency_user)
        self.assertIn("row 3", problem)
        self.assertFalse(CareerEvent.objects.exists())

    def test_the_board_may_not_import(self):
        content = workbook([[self.local.national_id, "Bổ nhiệm", "15/05/2025", "12/QĐ", ""]])
        for user in (self.board, self.lecturer_user):
            with self.subTest(user=user.username):
                [problem] = self.rejected(content, user)
                self.assertIn("may not record career events", problem)
        self.assertFalse(CareerEvent.objects.exists())

    def test_files_that_are_not_right(self):
        self.assertIn("not an Excel workbook", self.rejected(b"CCCD;Loai\n1;2\n")[0])
        self.assertIn("no sheet named CongTac", self.rejected(workbook([], title="Sheet1"))[0])
        missing = self.rejected(workbook([["1", "Bổ nhiệm"]], headers=["Số CCCD", "Loại"]))
        self.assertIn("Ngày quyết định, Số quyết định", missing[0])
        self.assertIn("no data rows", self.rejected(workbook([]))[0])
        with override_settings(DAOTAO_MAX_IMPORT_BYTES=1000):
            self.assertIn("too large", self.rejected(workbook([["1"]]))[0])

    def test_the_template_is_importable_once_filled_in(self):
        book = openpyxl.load_workbook(io.BytesIO(template_workbook()))
        self.assertEqual(book.sheetnames, ["CongTac", "HuongDan"])
        sheet = book["CongTac"]
        self.assertEqual([cell.value for cell in sheet[1]], HEADERS)
        self.assertIn("Bổ nhiệm, Luân chuyển", " ".join(str(c.value) for row in book["HuongDan"] for c in row))
        [problem] = self.rejected(template_workbook())  # the example's national ID is nobody's
        self.assertIn("row 2, column Số CCCD (A)", problem)
        sheet["A2"] = self.local.national_id
        output = io.BytesIO()
        book.save(output)
        self.assertEqual(career_events_import(output.getvalue(), user=self.office).created, 1)
        self.assertEqual(CareerEvent.objects.get().kind, CareerEventKind.APPOINTMENT)
