"""The past-records workbook (sheets KetQua and VanBang): after the class import, the results
and graduation decisions of a past class and its register of diplomas and certificates come
in with their numbers; the register, the class's graduation pages and the yearly report show
them; the next number DaoTao gives never repeats one; refusals name sheet, row and column;
dry run, re-import, audit, the pages and the command."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from daotao.audit.models import AuditEntry, history
from daotao.cohorts.importing import cohorts_import
from daotao.cohorts.models import Enrollment, EnrollmentStatus
from daotao.cohorts.tests.workbooks import cccd, cohort_row, student_row, workbook
from daotao.grading import register
from daotao.grading.models import (
    Classification,
    Credential,
    CredentialStatus,
    GradingRules,
    GraduationDecision,
    GraduationEntry,
    RegisterCounter,
)
from daotao.grading.rules import BANDS_WITH_FAIR_AVERAGE, bands_to_json
from daotao.onboarding.importing.history import (
    EXAMPLE_CLASS,
    EXAMPLE_STUDENT,
    CredentialRow,
    ResultRow,
    history_apply,
    history_import,
    template_workbook,
)
from daotao.records.record import training_record
from daotao.reports.annual import annual_report
from daotao.testing import WorldTestCase, user_workbook
from daotao.web.import_results import ImportRejected

PAST, FOSTERING, RUNNING, LATE = "TC-2019-01", "BD-2019-01", "TC-2026-01", "TC-2018-01"
TODAY = dt.datetime(2026, 12, 5, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # RUNNING has not ended
DECIDED = dt.datetime(2019, 12, 20)
ISSUED = dt.datetime(2019, 12, 27)
KETQUA = ["Mã lớp", "Số CCCD", "Điểm trung bình", "Xếp loại", "Số quyết định", "Ngày quyết định"]
VANBANG = ["Loại", "Mã lớp", "Số CCCD", "Số vào sổ", "Số hiệu", "Ngày cấp", "Năm vào sổ", "Số thứ tự trong sổ"]


def result(nid, average=None, classification=None, *, cohort=PAST, number="125/QĐ-TCT", date=DECIDED, **cells):
    return {"Mã lớp": cohort, "Số CCCD": nid, "Điểm trung bình": average, "Xếp loại": classification,
            "Số quyết định": number, "Ngày quyết định": date, **cells}  # fmt: skip


def credential(nid, register_number, serial, *, kind="Bằng", cohort=PAST, issued=ISSUED, **cells):
    return {"Loại": kind, "Mã lớp": cohort, "Số CCCD": nid, "Số vào sổ": register_number, "Số hiệu": serial,
            "Ngày cấp": issued, **cells}  # fmt: skip


def history_book(results=(), credentials=(), *, sheets=("KetQua", "VanBang")) -> bytes:
    """The workbook as a user's Excel saves it; a sheet named None is left out."""
    parts = ((sheets[0], KETQUA, results), (sheets[1], VANBANG, credentials))
    return user_workbook({title: (columns, rows) for title, columns, rows in parts if title is not None})


class HistoryTestCase(WorldTestCase):
    """The world, and its past classes imported by the class workbook: ``PAST`` (Trung cấp,
    2019, closed: An, Bình, Cường, Dung and Em who withdrew), ``FOSTERING`` (BD-CV, 2019,
    closed: Giang and Hà), ``LATE`` (2018-2019, still "studying" but past its closing date:
    Khánh) and ``RUNNING`` (2026-2027: Lan). Today is ``TODAY``."""

    @classmethod
    def setUpClass(cls):
        cls.enterClassContext(time_machine.travel(TODAY, tick=False))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.nid = {name: cccd() for name in ("An", "Bình", "Cường", "Dung", "Em", "Giang", "Hà", "Khánh", "Lan")}
        closed = {"Trạng thái": "Đã kết thúc"}
        classes = [
            cohort_row(PAST, **{"Ngày khai giảng": dt.datetime(2019, 3, 4), "Ngày bế giảng": "20/12/2019",
                                "Năm kế hoạch": 2019, **closed}),
            cohort_row(FOSTERING, **{"Mã chương trình": "BD-CV", "Hình thức": "Tập trung", "Mã địa phương": "SCH",
                                     "Ngày khai giảng": dt.datetime(2019, 5, 6), "Ngày bế giảng": "31/05/2019",
                                     "Năm kế hoạch": 2019, **closed}),
            cohort_row(LATE, **{"Ngày khai giảng": dt.datetime(2018, 3, 5), "Ngày bế giảng": "28/06/2019",
                                "Năm kế hoạch": 2018}),
            cohort_row(RUNNING, **{"Ngày khai giảng": dt.datetime(2026, 3, 2), "Ngày bế giảng": "30/06/2027",
                                   "Năm kế hoạch": 2026}),
        ]  # fmt: skip
        places = {"An": PAST, "Bình": PAST, "Cường": PAST, "Dung": PAST, "Em": PAST, "Giang": FOSTERING,
                  "Hà": FOSTERING, "Khánh": LATE, "Lan": RUNNING}  # fmt: skip
        left = {"Em": {"Trạng thái": "Thôi học"}}
        students = [
            student_row(code, f"Nguyễn Văn {name}", nid=cls.nid[name], **left.get(name, {}))
            for name, code in places.items()
        ]
        cohorts_import(workbook(classes, students))

    def enrollment(self, name: str, code: str = PAST) -> Enrollment:
        return Enrollment.objects.select_related("student", "cohort").get(
            cohort__code=code, student__national_id=self.nid[name]
        )

    def good_book(self) -> bytes:
        """Three graduates of PAST (Cường's classification from his average) and two of
        FOSTERING; diplomas for An and Bình, certificates for Giang and Hà."""
        n = self.nid
        return history_book(
            [
                result(n["An"], "9,2", "Xuất sắc"),
                result(n["Bình"], "8,25", "Giỏi"),
                result(n["Cường"], 7.5),
                result(n["Giang"], cohort=FOSTERING, number="45/QĐ-TCT", date=dt.datetime(2019, 6, 10)),
                result(n["Hà"], cohort=FOSTERING, number="45/QĐ-TCT", date=dt.datetime(2019, 6, 10)),
            ],
            [
                credential(n["An"], "0001/2019/BTC", "TC 000101"),
                credential(n["Bình"], "0002/2019/BTC", "TC 000102"),
                credential(n["Giang"], "0001/2019/CCBD", "BD 000051", kind="Chứng chỉ", cohort=FOSTERING,
                           issued=dt.datetime(2019, 6, 15)),
                credential(n["Hà"], "0002/2019/CCBD", "BD 000052", kind="Chứng chỉ", cohort=FOSTERING,
                           issued=dt.datetime(2019, 6, 15)),
            ],
        )  # fmt: skip

    def counts(self) -> tuple:
        return (
            GraduationDecision.objects.count(),
            GraduationEntry.objects.count(),
            Credential.objects.count(),
            RegisterCounter.objects.count(),
            AuditEntry.objects.count(),
        )

    def lines(self, decisions=(0, 0), graduates=(0, 0, 0), credentials=(0, 0), dry_run=False) -> list[str]:
        head = _("The file is valid; nothing was written (check only).") if dry_run else _("Import finished.")
        return [
            head,
            _("Graduation decisions: %(created)s created, %(unchanged)s unchanged.")
            % dict(zip(("created", "unchanged"), decisions, strict=True)),
            _("Graduates: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % dict(zip(("created", "updated", "unchanged"), graduates, strict=True)),
            _("Diplomas, certificates and confirmations: %(created)s created, %(unchanged)s unchanged.")
            % dict(zip(("created", "unchanged"), credentials, strict=True)),
        ]


class ImportTests(HistoryTestCase):
    def test_results_and_register_come_in_with_their_numbers(self):
        outcome = history_import(self.good_book(), user=self.office)
        self.assertEqual(outcome.lines(), self.lines((2, 0), (5, 0, 0), (4, 0)))
        decision = GraduationDecision.objects.get(cohort__code=PAST)
        self.assertEqual((decision.number, decision.date, decision.created_by), ("125/QĐ-TCT", DECIDED.date(),
                                                                                  self.office))  # fmt: skip
        graduates = {
            e.enrollment.student.national_id: (e.decision, e.average, e.classification)
            for e in GraduationEntry.objects.select_related("enrollment__student", "decision")
        }
        n = self.nid
        self.assertEqual(graduates[n["An"]], (decision, Decimal("9.20"), Classification.EXCELLENT))
        self.assertEqual(graduates[n["Bình"]], (decision, Decimal("8.25"), Classification.GOOD))
        self.assertEqual(graduates[n["Cường"]], (decision, Decimal("7.50"), Classification.FAIR))  # its band
        self.assertEqual(graduates[n["Giang"]][1:], (None, ""))  # fostering: not classified
        self.assertEqual(self.enrollment("An").status, EnrollmentStatus.COMPLETED)
        self.assertEqual(self.enrollment("Dung").status, EnrollmentStatus.STUDYING)  # not a graduate
        diploma = Credential.objects.get(register_number="0001/2019/BTC")
        self.assertEqual(
            (diploma.kind, diploma.enrollment, diploma.graduation.enrollment, diploma.year, diploma.sequence,
             diploma.serial_number, diploma.issued_on, diploma.status, diploma.issued_by),
            ("diploma", self.enrollment("An"), self.enrollment("An"), 2019, 1, "TC 000101", ISSUED.date(), "valid",
             None),
        )  # fmt: skip
        certificate = Credential.objects.get(serial_number="BD 000052")
        self.assertEqual((certificate.kind, certificate.register_number), ("certificate", "0002/2019/CCBD"))
        counters = dict(((c.kind, c.year), c.last_number) for c in RegisterCounter.objects.all())
        self.assertEqual(
            counters,
            {("diploma", 2019): 2, ("diploma", 0): 102, ("certificate", 2019): 2, ("certificate", 0): 52},
        )

    def test_the_next_number_daotao_gives_follows_the_imported_ones(self):
        history_import(self.good_book(), user=self.office)
        cuong = self.enrollment("Cường")  # a graduate without a diploma yet
        issued = register.credential_issue(user=self.office, enrollment=cuong, issued_on=dt.date(2019, 12, 30))
        self.assertEqual((issued.register_number, issued.serial_number), ("0003/2019/BTC", "TC 000103"))
        register.credential_void(user=self.office, credential=issued, reason="Ghi sai ngày")
        again = register.credential_issue(user=self.office, enrollment=cuong, issued_on=dt.date(2026, 12, 1))
        self.assertEqual((again.register_number, again.serial_number), ("0001/2026/BTC", "TC 000104"))

    def test_numbers_in_the_schools_own_form(self):
        """A register number not in DaoTao's form gives its leading number (or Số thứ tự
        trong sổ); a serial outside DaoTao's series leaves the series' counter alone."""
        n = self.nid
        book = history_book(
            [result(n["An"], "9,2"), result(n["Bình"], "8,25"), result(n["Cường"], "7")],
            [
                credential(n["An"], "12/BTC-19", "A 0012345"),
                credential(n["Bình"], "Số BTC-13", "A 0012346", **{"Năm vào sổ": 2019, "Số thứ tự trong sổ": 13}),
            ],
        )
        history_import(book, user=self.office)
        self.assertEqual(
            list(Credential.objects.order_by("sequence").values_list("register_number", "year", "sequence")),
            [("12/BTC-19", 2019, 12), ("Số BTC-13", 2019, 13)],
        )
        self.assertEqual(list(RegisterCounter.objects.values_list("kind", "year", "last_number")),
                         [("diploma", 2019, 13)])  # fmt: skip
        issued = register.credential_issue(user=self.office, enrollment=self.enrollment("Cường"),
                                           issued_on=dt.date(2019, 12, 30))  # fmt: skip
        self.assertEqual((issued.register_number, issued.serial_number), ("0014/2019/BTC", "TC 000001"))
        # Again, with the numbers in another case and spacing: the same credentials.
        book = history_book([], [
            credential(n["An"], "12/btc-19", "a0012345"),
            credential(n["Bình"], "SỐ  BTC-13", "A 0012346", **{"Năm vào sổ": 2019, "Số thứ tự trong sổ": 13}),
        ], sheets=(None, "VanBang"))  # fmt: skip
        self.assertEqual(history_import(book, user=self.office).lines(), self.lines(credentials=(0, 2)))

    def test_a_class_past_its_closing_date_takes_past_records(self):
        history_import(history_book([result(self.nid["Khánh"], "6,5", cohort=LATE)]), user=self.office)
        self.assertEqual(GraduationEntry.objects.get().classification, Classification.AVERAGE)

    def test_a_band_of_the_programs_own_rules(self):
        """A program with Trung bình khá: named in any case and accents, or from a 6,8 average;
        a name that is not one of its bands is refused, naming the bands."""
        program = self.enrollment("An").cohort.program
        GradingRules.objects.create(program=program, bands=bands_to_json(BANDS_WITH_FAIR_AVERAGE))
        refused = history_book([result(self.nid["An"], None, "Trung bình yếu")])
        with self.assertRaises(ImportRejected) as raised:
            history_import(refused, user=self.office)
        self.assertIn("Xếp loại (D)", str(raised.exception))
        self.assertIn("“Trung bình yếu”", str(raised.exception))
        self.assertIn("Khá, Trung bình khá, Trung bình", str(raised.exception))  # the program's bands
        self.assertFalse(GraduationEntry.objects.exists())
        book = history_book([result(self.nid["An"], None, "trung binh KHA"), result(self.nid["Bình"], "6,8")])
        history_import(book, user=self.office)
        self.assertEqual(
            {entry.enrollment.student.national_id: entry.classification
             for entry in GraduationEntry.objects.select_related("enrollment__student")},
            {self.nid["An"]: "fair_average", self.nid["Bình"]: "fair_average"},
        )  # fmt: skip

    def test_dry_run_writes_nothing(self):
        before = self.counts()
        outcome = history_import(self.good_book(), user=self.office, dry_run=True)
        self.assertEqual(outcome.lines(), self.lines((2, 0), (5, 0, 0), (4, 0), dry_run=True))
        self.assertEqual(self.counts(), before)
        self.assertEqual(self.enrollment("An").status, EnrollmentStatus.STUDYING)

    def test_the_same_file_again_changes_nothing(self):
        history_import(self.good_book(), user=self.office)
        before = self.counts()
        outcome = history_import(self.good_book(), user=self.office)
        self.assertEqual(outcome.lines(), self.lines((0, 2), (0, 0, 5), (0, 4)))
        self.assertEqual(self.counts(), before)  # no record, no counter, no audit entry

    def test_a_changed_result_updates_the_graduate_audited(self):
        history_import(self.good_book(), user=self.office)
        entry = GraduationEntry.objects.get(enrollment=self.enrollment("Bình"))
        book = history_book([result(self.nid["Bình"], None, "Khá")])  # an empty average keeps the one on record
        outcome = history_import(book, user=self.office)
        self.assertEqual(outcome.lines(), self.lines((0, 1), (0, 1, 0), (0, 0)))
        entry.refresh_from_db()
        self.assertEqual((entry.average, entry.classification), (Decimal("8.25"), Classification.FAIR))
        change = history(entry).first()
        self.assertEqual((change.action, change.changes), ("graduation.import", {"classification": ["good", "fair"]}))

    def test_every_record_created_is_audited(self):
        history_import(self.good_book(), user=self.office)
        for credential_ in Credential.objects.all():
            audit = history(credential_).get()
            self.assertEqual((audit.action, audit.user), ("credential.import", self.office))
            self.assertEqual(audit.changes["register_number"], [None, credential_.register_number])
            self.assertEqual(audit.changes["serial_number"], [None, credential_.serial_number])
        for entry in GraduationEntry.objects.all():
            audit = history(entry).get()
            self.assertEqual((audit.action, audit.user, audit.note), ("graduation.import", self.office,
                                                                      entry.decision.number))  # fmt: skip
            self.assertEqual(audit.changes["classification"], [None, entry.classification])
        for decision in GraduationDecision.objects.all():
            self.assertEqual(history(decision).get().action, "graduation_decision.import")

    def test_a_confirmation_replaces_the_certificate(self):
        n = self.nid
        giang = dict(kind="Chứng chỉ", cohort=FOSTERING, issued=dt.datetime(2019, 6, 15))
        graduates = [result(n[name], cohort=FOSTERING, number="45", date=dt.datetime(2019, 6, 10))
                     for name in ("Giang", "Hà")]  # fmt: skip
        history_import(history_book(graduates, [
            credential(n["Giang"], "0001/2019/CCBD", "BD 000051", **giang),
            credential(n["Giang"], "0001/2021/XN", "XN 000007", kind="Giấy xác nhận", cohort=FOSTERING,
                       issued=dt.datetime(2021, 3, 1)),
            credential(n["Hà"], "0002/2019/CCBD", "BD 000052", **giang),
        ]), user=self.office)  # fmt: skip
        certificate, confirmation = (
            Credential.objects.get(serial_number="BD 000051"),
            Credential.objects.get(kind="confirmation"),
        )
        self.assertEqual((certificate.status, confirmation.replaces, confirmation.status),
                         (CredentialStatus.REPLACED, certificate, CredentialStatus.VALID))  # fmt: skip
        # Later, Hà's certificate on record is replaced by a confirmation of a second file.
        history_import(history_book([], [credential(n["Hà"], "0002/2021/XN", "XN 000008", kind="Giấy xác nhận",
                                                    cohort=FOSTERING, issued=dt.datetime(2021, 4, 1))],
                                    sheets=(None, "VanBang")), user=self.office)  # fmt: skip
        held = Credential.objects.get(serial_number="BD 000052")
        self.assertEqual(held.status, CredentialStatus.REPLACED)
        self.assertEqual(history(held).first().action, "credential_replaced")
        self.assertEqual(RegisterCounter.objects.get(kind="confirmation", year=0).last_number, 8)

    def test_either_sheet_may_be_left_out_but_not_both(self):
        n = self.nid
        history_import(history_book([result(n["An"], "9,2")], sheets=("KetQua", None)), user=self.office)
        book = history_book([], [credential(n["An"], "0001/2019/BTC", "TC 000101")], sheets=(None, "VanBang"))
        history_import(book, user=self.office)  # An graduated on record
        self.assertEqual(Credential.objects.get().graduation.enrollment, self.enrollment("An"))
        with self.assertRaises(ImportRejected) as refused:
            history_import(history_book([], [], sheets=("Lop", None)), user=self.office)
        self.assertEqual(
            [p.message for p in refused.exception.problems],
            [_("The workbook has no sheet named %(sheet)s.") % {"sheet": s} for s in ("KetQua", "VanBang")],
        )

    def test_rows_given_by_a_program(self):
        n = self.nid
        outcome = history_apply(
            [ResultRow(PAST.lower(), n["An"], "125", dt.date(2019, 12, 20), Decimal("9.0"))],
            [CredentialRow("diploma", PAST, n["An"], "0001/2019/BTC", "TC 000001", dt.date(2019, 12, 27))],
            user=self.office,
        )
        self.assertEqual(outcome.lines(), self.lines((1, 0), (1, 0, 0), (1, 0)))
        with self.assertRaises(ImportRejected) as refused:
            history_apply([ResultRow(PAST, n["Bình"], "", None)], [], user=self.office)
        self.assertEqual([(p.sheet, p.column) for p in refused.exception.problems],
                         [("KetQua", "Số quyết định"), ("KetQua", "Ngày quyết định")])  # fmt: skip

    def test_only_the_training_office_imports(self):
        for user in (self.board, self.coordinator, self.nobody):
            with self.assertRaises(ImportRejected):
                history_import(self.good_book(), user=user)
            with self.assertRaises(ImportRejected):
                history_apply([], [], user=user)
        self.assertEqual(GraduationEntry.objects.count(), 0)
        history_import(self.good_book(), user=self.superuser)

    def test_checking_costs_the_same_queries_whatever_the_length(self):
        def queries(names) -> int:
            book = history_book(
                [result(self.nid[name], "8") for name in names],
                [credential(self.nid[name], f"{i}/2019", f"S{i}") for i, name in enumerate(names, start=1)],
            )
            with CaptureQueriesContext(connection) as captured:
                history_import(book, user=self.office, dry_run=True)
            return len(captured)

        queries(["An"])  # the user's roles, read once
        self.assertEqual(queries(["An"]), queries(["An", "Bình", "Cường", "Dung"]))

    def test_the_template_example_imports(self):
        born = dt.date(1985, 5, 17)
        cohorts_import(workbook(
            [cohort_row(EXAMPLE_CLASS, **{"Ngày khai giảng": dt.datetime(2019, 3, 4), "Ngày bế giảng": "20/12/2019",
                                          "Trạng thái": "Đã kết thúc"})],
            [student_row(EXAMPLE_CLASS, "Nguyễn Văn An", nid=EXAMPLE_STUDENT, born=born)],
        ))  # fmt: skip
        content = template_workbook()
        self.assertIn("HuongDan", openpyxl.load_workbook(io.BytesIO(content)).sheetnames)
        outcome = history_import(content, user=self.office)
        self.assertEqual(outcome.lines(), self.lines((1, 0), (1, 0, 0), (1, 0)))
        self.assertEqual(Credential.objects.get().register_number, "0015/2019/BTC")


class RefusalTests(HistoryTestCase):
    """Every refusal names the sheet, the row as Excel shows it and the column; nothing is written."""

    def refused(self, book: bytes) -> list[tuple]:
        before = self.counts()
        with self.assertRaises(ImportRejected) as caught:
            history_import(book, user=self.office)
        self.assertEqual(self.counts(), before)
        return [(p.sheet, p.row, p.column, p.message) for p in caught.exception.problems]

    def assertRefused(self, book: bytes, sheet: str, row: int, column: str, *fragments: str):
        problems = self.refused(book)
        where = [p for p in problems if p[:3] == (sheet, row, column)]
        self.assertTrue(where, f"no problem at {sheet} {row} {column}: {problems}")
        for fragment in fragments:
            self.assertIn(fragment, where[0][3])

    def test_results_refused(self):
        n, future = self.nid, dt.datetime(2027, 1, 4)
        cases = {
            "unknown class": ([result(n["An"], "9", cohort="TC-XX")], "Mã lớp (A)", "TC-XX"),
            "class still running": ([result(n["Lan"], "9", cohort=RUNNING)], "Mã lớp (A)", RUNNING),
            "not in the class": ([result(n["Giang"], "9")], "Số CCCD (B)", "Nguyễn Văn Giang"),
            "unknown student": ([result(cccd(), "9")], "Số CCCD (B)"),
            "withdrew": ([result(n["Em"], "9")], "Số CCCD (B)", "Nguyễn Văn Em"),
            "fostering classified": ([result(n["Giang"], None, "Khá", cohort=FOSTERING)], "Xếp loại (D)"),
            "neither average nor classification": ([result(n["An"])], "Xếp loại (D)"),
            "average above 10": ([result(n["An"], "11")], "Điểm trung bình (C)", "11"),
            "average not a number": ([result(n["An"], "tám")], "Điểm trung bình (C)", "tám"),
            "below the pass mark": ([result(n["An"], "4,5")], "Điểm trung bình (C)", "4,50"),
            "unknown classification": ([result(n["An"], None, "<b>Tốt</b>")], "Xếp loại (D)", "<b>Tốt</b>"),
            "formula": ([result(n["An"], "=9+1")], "Điểm trung bình (C)", "=9+1"),
            "decision in the future": ([result(n["An"], "9", date=future)], "Ngày quyết định (F)", "04/01/2027"),
            "decision before the class": ([result(n["An"], "9", date=dt.datetime(2019, 1, 2))],
                                          "Ngày quyết định (F)", "04/03/2019"),
            "decision number too long": ([result(n["An"], "9", number="Q" * 65)], "Số quyết định (E)", "65"),
        }  # fmt: skip
        for name, (rows, column, *fragments) in cases.items():
            with self.subTest(name):
                self.assertRefused(history_book(rows), "KetQua", 2, column, *fragments)

    def test_rows_of_the_file_that_disagree(self):
        n = self.nid
        twice = [result(n["An"], "9"), result(n["An"], "8", cohort=" tc-2019-01 ")]
        self.assertRefused(history_book(twice), "KetQua", 3, "Số CCCD (B)", "2")
        dates = [result(n["An"], "9"), result(n["Bình"], "8", number="125/qđ-tct", date=dt.datetime(2019, 12, 21))]
        self.assertRefused(history_book(dates), "KetQua", 3, "Ngày quyết định (F)", "20/12/2019")

    def test_register_refused(self):
        n = self.nid
        graduates = [result(n["An"], "9"), result(n["Bình"], "8"), result(n["Giang"], cohort=FOSTERING)]
        cases = {
            "certificate of a training class": ([credential(n["An"], "1/2019", "S1", kind="Chứng chỉ")], "Loại (A)"),
            "confirmation of a training class": ([credential(n["An"], "1/2019", "S1", kind="Giấy xác nhận")],
                                                 "Loại (A)"),
            "diploma of a fostering course": ([credential(n["Giang"], "1/2019", "S1", cohort=FOSTERING,
                                                          issued=dt.datetime(2019, 6, 15))], "Loại (A)"),
            "not a graduate": ([credential(n["Dung"], "1/2019", "S1")], "Số CCCD (C)", "Nguyễn Văn Dung", "KetQua"),
            "no number in the register year": ([credential(n["An"], "BTC-A", "S1")], "Số thứ tự trong sổ (H)"),
            "number out of range": ([credential(n["An"], "0/2019", "S1")], "Số thứ tự trong sổ (H)"),
            "DaoTao's form, another number": ([credential(n["An"], "0015/2019/BTC", "S1",
                                                          **{"Số thứ tự trong sổ": 3})], "Số vào sổ (D)", "15"),
            "DaoTao's form of another kind": ([credential(n["An"], "0001/2019/CCBD", "S1")], "Số vào sổ (D)"),
            "a serial of another series": ([credential(n["An"], "1/2019", "BD 000001")], "Số hiệu (E)"),
            "issued before the decision": ([credential(n["An"], "1/2019", "S1", issued=dt.datetime(2019, 12, 1))],
                                           "Ngày cấp (F)", "20/12/2019"),
            "issued in the future": ([credential(n["An"], "1/2027", "S1", issued=dt.datetime(2027, 1, 4))],
                                     "Ngày cấp (F)"),
            "register number too long": ([credential(n["An"], "1" + "x" * 40, "S1")], "Số vào sổ (D)", "41"),
            "unknown kind": ([credential(n["An"], "1/2019", "S1", kind="Bằng khen")], "Loại (A)", "Bằng khen"),
            "a year out of range": ([credential(n["An"], "1/2019", "S1", **{"Năm vào sổ": 1800})],
                                    "Năm vào sổ (G)", "1800"),
        }  # fmt: skip
        for name, (rows, column, *fragments) in cases.items():
            with self.subTest(name):
                self.assertRefused(history_book(graduates, rows), "VanBang", 2, column, *fragments)

    def test_numbers_twice_in_the_file(self):
        n = self.nid
        graduates = [result(n["An"], "9"), result(n["Bình"], "8")]
        same_register = [credential(n["An"], "0001/2019/btc", "S1"), credential(n["Bình"], "0001 / 2019 / BTC", "S2")]
        self.assertRefused(history_book(graduates, same_register), "VanBang", 3, "Số vào sổ (D)", "2")
        same_serial = [credential(n["An"], "1/2019", "TC 000001"), credential(n["Bình"], "2/2019", "tc000001")]
        self.assertRefused(history_book(graduates, same_serial), "VanBang", 3, "Số hiệu (E)", "2")
        same_slot = [
            credential(n["An"], "1/2019", "S1"),
            credential(n["Bình"], "A-1", "S2", **{"Số thứ tự trong sổ": 1}),
        ]
        self.assertRefused(history_book(graduates, same_slot), "VanBang", 3, "Số thứ tự trong sổ (H)", "2")
        two_diplomas = [credential(n["An"], "1/2019", "S1"), credential(n["An"], "2/2019", "S2")]
        self.assertRefused(history_book(graduates, two_diplomas), "VanBang", 3, "Loại (A)", "Nguyễn Văn An")

    def test_refused_against_the_records(self):
        history_import(self.good_book(), user=self.office)
        n = self.nid
        cuong = [result(n["Cường"], 7.5)]
        cases = {
            "a register number of another student": (
                [credential(n["Cường"], "0001/2019/BTC", "TC 000103")], "Số vào sổ (D)", "Nguyễn Văn An"),
            "a serial on record": (
                [credential(n["Cường"], "0009/2019/BTC", "TC 000101")], "Số hiệu (E)", "0001/2019/BTC"),
            "a number of the year's register on record": (
                [credential(n["Cường"], "A-1", "S9", **{"Số thứ tự trong sổ": 1})], "Số thứ tự trong sổ (H)",
                "0001/2019/BTC"),
            "the same register number, another serial": (
                [credential(n["An"], "0001/2019/BTC", "TC 000999")], "Số vào sổ (D)", "TC 000101"),
            "a second diploma": ([credential(n["An"], "0010/2019/BTC", "TC 000110")], "Loại (A)", "0001/2019/BTC"),
        }  # fmt: skip
        for name, (rows, column, *fragments) in cases.items():
            with self.subTest(name):
                self.assertRefused(history_book(cuong, rows), "VanBang", 2, column, *fragments)
        other_decision = [result(n["An"], "9,2", "Xuất sắc", number="999/QĐ-TCT")]
        self.assertRefused(history_book(other_decision), "KetQua", 2, "Số quyết định (E)", "125/QĐ-TCT")
        other_date = [result(n["Cường"], 7.5, date=dt.datetime(2019, 12, 21))]
        self.assertRefused(history_book(other_date), "KetQua", 2, "Ngày quyết định (F)", "20/12/2019")

    def test_a_bad_result_row_is_not_refused_again_in_the_register(self):
        n = self.nid
        problems = self.refused(history_book([result(n["An"], "11")], [credential(n["An"], "1/2019", "S1")]))
        self.assertEqual([p[:3] for p in problems], [("KetQua", 2, "Điểm trung bình (C)")])


class PagesTests(HistoryTestCase):
    URL = reverse("onboarding:history-import")
    TEMPLATE = reverse("onboarding:history-template")

    def test_who_may_open_the_pages(self):
        self.assertRedirects(self.client.get(self.URL), f"{reverse('login')}?next={self.URL}",
                             fetch_redirect_response=False)  # fmt: skip
        for user, status in ((self.office, 200), (self.superuser, 200), (self.board, 403), (self.coordinator, 403),
                             (self.nobody, 403)):  # fmt: skip
            self.client.force_login(user)
            for url in (self.URL, self.TEMPLATE):
                self.assertEqual(self.client.get(url).status_code, status, (user, url))
        self.client.force_login(self.coordinator)
        upload = SimpleUploadedFile("ho-so-cu.xlsx", self.good_book())
        self.assertEqual(self.client.post(self.URL, {"workbook": upload}).status_code, 403)
        self.assertEqual(GraduationEntry.objects.count(), 0)

    def test_the_template_downloads(self):
        self.client.force_login(self.office)
        self.assertContains(self.client.get(self.URL), self.TEMPLATE)
        response = self.client.get(self.TEMPLATE)
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["KetQua", "VanBang", "HuongDan"])
        self.assertEqual([c.value for c in book["VanBang"][1]], VANBANG)

    @override_settings(DAOTAO_IMPORT_INLINE=True)
    def test_upload_checks_then_imports(self):
        self.client.force_login(self.office)
        upload = SimpleUploadedFile("ho-so-cu.xlsx", self.good_book())
        response = self.client.post(self.URL, {"workbook": upload, "dry_run": "on"}, follow=True)
        self.assertContains(response, self.lines((2, 0), (5, 0, 0), (4, 0), dry_run=True)[0])
        self.assertEqual(GraduationEntry.objects.count(), 0)
        upload = SimpleUploadedFile("ho-so-cu.xlsx", self.good_book())
        response = self.client.post(self.URL, {"workbook": upload}, follow=True)
        self.assertContains(response, self.lines((2, 0), (5, 0, 0), (4, 0))[3])
        self.assertContains(response, reverse("grading:register"))
        self.assertEqual(Credential.objects.count(), 4)

    @override_settings(DAOTAO_IMPORT_INLINE=True)
    def test_a_refused_upload_lists_its_problems(self):
        self.client.force_login(self.office)
        upload = SimpleUploadedFile("ho-so-cu.xlsx", history_book([result(self.nid["An"], "<script>x</script>")]))
        response = self.client.post(self.URL, {"workbook": upload}, follow=True)
        self.assertContains(response, "Điểm trung bình (C)")
        self.assertNotContains(response, "<script>x</script>")
        self.assertEqual(GraduationEntry.objects.count(), 0)


class WhatTheSchoolSeesTests(HistoryTestCase):
    """After the import: the register lists the imported credentials beside those DaoTao
    issues, the class's graduation pages show the classifications, the yearly report counts
    the class."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        history_import(cls.good_book(cls), user=cls.office)
        cuong = Enrollment.objects.get(cohort__code=PAST, student__national_id=cls.nid["Cường"])
        cls.issued = register.credential_issue(user=cls.office, enrollment=cuong, issued_on=dt.date(2026, 12, 1))

    def test_the_register_lists_them_beside_one_issued_by_daotao(self):
        self.client.force_login(self.office)
        url = reverse("grading:register")
        self.client.get(url)  # the session and the menu's first reads
        with CaptureQueriesContext(connection) as few:
            response = self.client.get(url, {"cohort": PAST})
        for number in ("0001/2019/BTC", "TC 000101", "0002/2019/BTC", "TC 000102", "0001/2026/BTC", "TC 000103"):
            self.assertContains(response, number)
        self.assertEqual(len(response.context["page"]), 3)
        with self.assertNumQueries(len(few)):  # the same queries for five entries
            response = self.client.get(url)
        self.assertEqual(len(response.context["page"]), 5)

    def test_the_graduation_pages_show_the_classifications(self):
        self.client.force_login(self.office)
        cohort = self.enrollment("An").cohort
        response = self.client.get(reverse("grading:report", args=[cohort.pk]))
        labels = ", ".join(f"1 {Classification(c).label} (33,33%)" for c in ("excellent", "good", "fair"))
        summary = _("%(complete)s/%(total)s students qualify to graduate, of whom %(classes)s")
        self.assertContains(response, summary % {"complete": 3, "total": 5, "classes": labels})
        for text in ("125/QĐ-TCT", "9,20", "8,25", "7,50"):
            self.assertContains(response, text)
        response = self.client.get(reverse("grading:decisions", args=[cohort.pk]))
        for text in ("125/QĐ-TCT", "0001/2019/BTC", "0001/2026/BTC"):
            self.assertContains(response, text)

    def test_the_results_page_shows_the_imported_final_results(self):
        # The class has no grades: its results page shows the graduates as decided, not
        # empty module columns.
        self.client.force_login(self.office)
        cohort = self.enrollment("An").cohort
        response = self.client.get(reverse("grading:cohort", args=[cohort.pk]))
        recorded = response.context["recorded"]
        self.assertEqual(len(recorded), 3)
        for text in ("125/QĐ-TCT", "9,20", "8,25", "7,50", _("Final results from the past records")):
            self.assertContains(response, text)

    def test_the_training_record_shows_the_result_and_the_diploma(self):
        an = self.enrollment("An")
        record = training_record(an.student, self.office)
        (taken,) = record.classes
        self.assertEqual((taken.graduation.classification, [c.register_number for c in taken.credentials]),
                         (Classification.EXCELLENT, ["0001/2019/BTC"]))  # fmt: skip

    def test_the_yearly_report_counts_the_past_class(self):
        report = annual_report(2019, self.office)
        opened = next(line for line in report.lines if line.line.key == "tc_opened")
        self.assertEqual((opened.counts.classes, opened.counts.students), (1, 5))


class CommandTests(HistoryTestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def run_command(self, content: bytes, *args):
        path = self.folder / "ho-so-cu.xlsx"
        path.write_bytes(content)
        out, err = io.StringIO(), io.StringIO()
        call_command("import_history", str(path), *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_imports_and_prints_the_counts(self):
        out, _err = self.run_command(self.good_book(), "--dry-run")
        self.assertEqual(out.splitlines(), self.lines((2, 0), (5, 0, 0), (4, 0), dry_run=True))
        self.assertEqual(Credential.objects.count(), 0)
        out, _err = self.run_command(self.good_book())
        self.assertEqual(out.splitlines(), self.lines((2, 0), (5, 0, 0), (4, 0)))
        self.assertEqual(history(Credential.objects.first()).get().username, "system")

    def test_a_bad_file_lists_its_problems_and_fails(self):
        path = self.folder / "ho-so-cu.xlsx"
        path.write_bytes(history_book([result(self.nid["An"], "11"), result(self.nid["Dung"])]))
        err = io.StringIO()
        with self.assertRaises(CommandError):
            call_command("import_history", str(path), stdout=io.StringIO(), stderr=err)
        lines = err.getvalue().splitlines()
        self.assertEqual(len(lines), 2)
        self.assertIn("Điểm trung bình (C)", lines[0])
        self.assertIn("Xếp loại (D)", lines[1])
        with self.assertRaises(CommandError):
            call_command("import_history", str(self.folder / "missing.xlsx"), stderr=io.StringIO())
        self.assertEqual(GraduationEntry.objects.count(), 0)
