"""The workbook import service: good files, idempotency, and every way a file is refused."""

import datetime as dt
import io
import zipfile
from unittest import mock
from zoneinfo import ZoneInfo

import openpyxl
import time_machine
from django.db import IntegrityError
from django.test import override_settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daotao.cohorts.importing import (
    COHORTS,
    STUDENTS,
    ImportProblem,
    ImportRejected,
    Plan,
    cohorts_import,
    template_workbook,
)
from daotao.cohorts.models import Cohort, Enrollment
from daotao.cohorts.tests.workbooks import HOCVIEN, LOP, cccd, cohort_row, student_row, workbook
from daotao.lib.vietnamese import name_sort_key
from daotao.org.models import UnitKind
from daotao.org.validity import unit_problem
from daotao.people.models import NATIONAL_ID_MESSAGES, Student
from daotao.testing import WorldTestCase, load_testdata, make_cohort, make_student, make_unit
from daotao.web.import_results import ProblemList


class ImportTestCase(WorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.agency = make_unit("CQ-SNV", "Sở Nội vụ", UnitKind.AGENCY, cls.province)
        cls.faculty = make_unit("K-XDD", "Khoa Xây dựng Đảng", UnitKind.FACULTY, cls.school)

    def counts(self):
        return Cohort.objects.count(), Student.objects.count(), Enrollment.objects.count()

    def rejected(self, content: bytes) -> list[ImportProblem]:
        """Import a file that must be refused; nothing may be written."""
        before = self.counts()
        with self.assertRaises(ImportRejected) as caught:
            cohorts_import(content)
        self.assertEqual(self.counts(), before)
        return caught.exception.problems

    def assertProblem(self, problems, message, sheet="", row=None, column=""):
        """One problem names this sheet, row, column (header, the letter may follow) and reason."""
        for problem in problems:
            if (problem.sheet, problem.row, problem.message) == (sheet, row, message) and (
                problem.column.split(" (")[0] == column
            ):
                return
        self.fail(f"no problem ({sheet}, {row}, {column}, {message!r}) in:\n" + "\n".join(map(str, problems)))


class GoodImportTests(ImportTestCase):
    def good_file(self):
        self.an, self.binh = cccd(), cccd(dt.date(1990, 2, 3), "female")
        return workbook(
            [
                cohort_row("TC-01"),
                cohort_row(
                    "bd-02",
                    **{
                        "Tên lớp": "Lớp Bồi dưỡng chuyên viên",
                        "Mã chương trình": "bd-cv",
                        "Hình thức": "CONCENTRATED",
                        "Kinh phí": "tu tuc",
                        "Mã địa phương": "SCH",
                        "Ngày khai giảng": "5/9/2020",
                        "Ngày bế giảng": dt.datetime(2020, 10, 30),
                        "Trạng thái": "da ket thuc",
                        "Năm kế hoạch": "2020",
                    },
                ),
            ],
            [
                student_row("TC-01", "NGUYỄN VĂN AN", nid=self.an, **{"Mã cơ quan": "CQ-SNV"}),
                student_row("TC-01", "Trần Thị Bình", nid=self.binh, born=dt.date(1990, 2, 3), gender="female"),
                student_row("TC-01", "Lê Văn An", **{"Trạng thái": "Thôi học", "Email": "an.le@example.vn"}),
                student_row("BD-02", "Nguyễn Văn An", nid=self.an, **{"Chức vụ": "Phó Trưởng phòng"}),
            ],
        )

    def test_creates_classes_students_and_enrollments(self):
        result = cohorts_import(self.good_file())
        self.assertEqual((result.cohorts.created, result.cohorts.updated), (2, 0))
        self.assertEqual((result.students.created, result.enrollments.created), (3, 4))
        self.assertEqual(self.counts(), (2, 3, 4))

        tc, bd = Cohort.objects.get(code="TC-01"), Cohort.objects.get(code="BD-02")
        self.assertEqual(
            (tc.program, tc.mode, tc.funding, tc.host_locality),
            (self.programs["TC-LLCT-HC"], "non_concentrated", "supported", self.h01),
        )
        self.assertEqual(
            (tc.opening_date, tc.closing_date, tc.status, tc.plan_year),
            (dt.date(2020, 3, 2), dt.date(2021, 6, 30), "open", 2020),
        )
        self.assertEqual(tc.venue, "Trung tâm Chính trị thành phố")
        self.assertEqual(
            (bd.program.code, bd.mode, bd.funding, bd.host_locality),
            ("BD-CV", "concentrated", "self_funded", self.school),
        )
        self.assertEqual(
            (bd.opening_date, bd.closing_date, bd.status), (dt.date(2020, 9, 5), dt.date(2020, 10, 30), "closed")
        )

        an = Student.objects.get(national_id=self.an)  # one person in two classes
        self.assertEqual(an.full_name, "Nguyễn Văn An")
        self.assertEqual((an.given_name, an.search_key), ("An", "nguyen van an"))
        self.assertTrue(an.sort_key)
        self.assertEqual(
            (an.date_of_birth, an.gender, an.locality, an.agency), (dt.date(1985, 5, 17), "male", self.x01, self.agency)
        )
        self.assertEqual(an.position, "Phó Trưởng phòng")  # the last non-empty value in the file
        self.assertEqual(set(an.enrollments.values_list("cohort__code", flat=True)), {"TC-01", "BD-02"})
        le = Enrollment.objects.get(student__full_name="Lê Văn An")
        self.assertEqual(
            (le.status, le.student.email, le.student.phone), ("withdrawn", "an.le@example.vn", "0912345678")
        )
        self.assertEqual(Enrollment.objects.get(student=an, cohort=tc).status, "studying")

    def test_class_list_is_in_vietnamese_name_order(self):
        names = load_testdata("names-order.json")
        cohorts_import(workbook([cohort_row("TC-01")], [student_row("TC-01", name) for name in names["input"]]))
        listed = Enrollment.objects.filter(cohort__code="TC-01").in_class_order()
        self.assertEqual([e.student.full_name for e in listed.select_related("student")], names["expected"])

    def test_importing_twice_creates_nothing_new(self):
        content = self.good_file()
        cohorts_import(content)
        before = self.counts()
        result = cohorts_import(content)
        self.assertEqual(self.counts(), before)
        for tally in (result.cohorts, result.students, result.enrollments):
            self.assertEqual((tally.created, tally.updated), (0, 0))
        self.assertEqual((result.cohorts.unchanged, result.students.unchanged, result.enrollments.unchanged), (2, 3, 4))

    def test_second_file_updates_and_empty_cells_keep_values(self):
        cohorts_import(self.good_file())
        result = cohorts_import(
            workbook(
                [cohort_row("TC-01", **{"Trạng thái": "Đã kết thúc", "Địa điểm": None})],
                [
                    student_row(
                        "TC-01",
                        "Nguyễn Văn An",
                        nid=self.an,
                        **{"Trạng thái": "Hoàn thành", "Điện thoại": "", "Chức vụ": "Phó Trưởng phòng"},
                    )
                ],
            )
        )
        self.assertEqual((result.cohorts.updated, result.students.unchanged, result.enrollments.updated), (1, 1, 1))
        tc = Cohort.objects.get(code="TC-01")
        self.assertEqual((tc.status, tc.venue), ("closed", "Trung tâm Chính trị thành phố"))
        an = Student.objects.get(national_id=self.an)
        self.assertEqual((an.phone, an.agency), ("0912345678", self.agency))
        self.assertEqual(an.enrollments.get(cohort=tc).status, "completed")

    def test_students_and_classes_on_record_are_matched(self):
        on_record = make_student("Phạm Thị Hoa", date_of_birth=dt.date(1980, 1, 2), gender="female")
        old = make_cohort("OLD-01", self.programs["BD-LDP"], self.h02, dt.date(2019, 1, 7))
        result = cohorts_import(
            workbook(
                [cohort_row("TC-01")],
                [
                    student_row(
                        "OLD-01", "PHẠM THỊ HOA", nid=on_record.national_id, born=dt.date(1980, 1, 2), gender="female"
                    ),
                    student_row(
                        "TC-01", "Phạm Thị Hoa", nid=on_record.national_id, born=dt.date(1980, 1, 2), gender="female"
                    ),
                ],
            )
        )
        self.assertEqual((result.students.created, result.students.updated), (0, 1))  # phone, locality... filled in
        self.assertEqual(result.enrollments.created, 2)
        on_record.refresh_from_db()
        self.assertEqual((on_record.full_name, on_record.locality), ("Phạm Thị Hoa", self.x01))
        self.assertTrue(Enrollment.objects.filter(student=on_record, cohort=old).exists())

    def test_dry_run_counts_but_writes_nothing(self):
        result = cohorts_import(self.good_file(), dry_run=True)
        self.assertTrue(result.dry_run)
        self.assertEqual((result.cohorts.created, result.students.created, result.enrollments.created), (2, 3, 4))
        self.assertEqual(self.counts(), (0, 0, 0))
        self.assertEqual(len(result.lines()), 4)

    def test_headers_and_sheet_names_are_matched_loosely(self):
        lop = [("  ma LOP ", "Mã lớp"), ("Ngày khai giảng", "Ngày khai giảng"), ("TÊN LỚP", "Tên lớp"),
               ("Mã CT", "Mã chương trình"), ("hinh thuc", "Hình thức"), ("Kinh  phí (*)", "Kinh phí"),
               ("Mã địa phương", "Mã địa phương"), ("STT", "STT")]  # fmt: skip
        hocvien = [("Số CCCD", "Số CCCD"), ("Mã lớp", "Mã lớp"), ("Họ tên", "Họ và tên"), ("ngay sinh", "Ngày sinh")]
        content = workbook(
            [cohort_row("TC-01", **{"Hình thức": "non_concentrated", "Kinh phí": "SUPPORTED"})],
            [student_row("TC-01")],
            lop=lop,
            hocvien=hocvien,
            sheets=("Lớp", "Học viên"),
            title_rows=2,
        )
        result = cohorts_import(content)
        self.assertEqual((result.cohorts.created, result.students.created), (1, 1))

    def test_national_id_typed_as_a_number_keeps_its_leading_zero(self):
        number = cccd()
        cohorts_import(workbook([cohort_row()], [student_row(nid=int(number))]))
        self.assertTrue(Student.objects.filter(national_id=number).exists())

    def test_rows_left_empty_are_skipped(self):
        content = workbook([cohort_row(), {}, {"STT": 3}], [student_row(), {}])
        self.assertEqual(cohorts_import(content).enrollments.created, 1)

    def test_query_count_does_not_grow_with_rows(self):
        def file(size, codes):
            return workbook([cohort_row(c) for c in codes], [student_row(codes[i % 2]) for i in range(size)])

        small, large = file(10, ("A", "B")), file(60, ("C", "D"))
        with self.assertNumQueries(9) as small_queries:  # savepoint, 4 look-ups, 3 inserts, release
            cohorts_import(small)
        with self.assertNumQueries(len(small_queries)):
            cohorts_import(large)


class RefusedFileTests(ImportTestCase):
    def test_not_an_xlsx(self):
        for content in (b"Ma lop;Ten lop\nTC-01;Lop\n", "Mã lớp".encode()):
            self.assertProblem(self.rejected(content), _("The file is not an Excel workbook (.xlsx)."))

    def test_zip_that_is_not_a_workbook(self):
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w") as archive:
            archive.writestr("word/document.xml", "<w/>")
        self.assertProblem(self.rejected(output.getvalue()), _("The file is not an Excel workbook (.xlsx)."))

    def test_old_xls(self):
        problems = self.rejected(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
        self.assertProblem(
            problems, _("The file is an old Excel 97-2003 (.xls) or password-protected workbook: save it as .xlsx.")
        )

    def test_corrupt_and_empty(self):
        good = workbook([cohort_row()], [student_row()])
        self.assertProblem(self.rejected(good[: len(good) // 2]), _("The file is not an Excel workbook (.xlsx)."))
        broken = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
            for item in source.infolist():
                data = source.read(item)
                target.writestr(item, data[:20] if item.filename == "xl/workbook.xml" else data)
        self.assertProblem(self.rejected(broken.getvalue()), _("The workbook is damaged and cannot be read."))
        self.assertProblem(self.rejected(b""), _("The file is empty."))

    @override_settings(DAOTAO_MAX_IMPORT_BYTES=1000)
    def test_too_large(self):
        problems = self.rejected(workbook([cohort_row()], [student_row()]))
        self.assertEqual(len(problems), 1)
        self.assertIn("MB", problems[0].message)

    def test_missing_sheet(self):
        problems = self.rejected(workbook([cohort_row()], [student_row()], sheets=("Lop", None)))
        self.assertProblem(problems, _("The workbook has no sheet named %(sheet)s.") % {"sheet": "HocVien"})
        problems = self.rejected(workbook([cohort_row()], [student_row()], sheets=("Sheet1", "HocVien")))
        self.assertProblem(problems, _("The workbook has no sheet named %(sheet)s.") % {"sheet": "Lop"})

    def test_missing_and_duplicated_headers(self):
        lop = [h for h in LOP if h not in ("Mã chương trình", "Ngày khai giảng")]
        hocvien = [*HOCVIEN, ("SỐ CCCD", "Số CCCD")]
        problems = self.rejected(workbook([cohort_row()], [student_row()], lop=lop, hocvien=hocvien))
        self.assertProblem(
            problems,
            ngettext("The required column %(columns)s is missing.", "The required columns %(columns)s are missing.", 2)
            % {"columns": "Mã chương trình, Ngày khai giảng"},
            "Lop",
            1,
        )
        self.assertProblem(
            problems,
            _("The column %(column)s appears twice (columns %(first)s and %(second)s).")
            % {"column": "Số CCCD", "first": "B", "second": "N"},
            "HocVien",
            1,
        )

    def test_wrong_headers(self):
        problems = self.rejected(workbook([cohort_row()], [student_row()], hocvien=["A", "B", "C"]))
        self.assertProblem(
            problems,
            ngettext("The required column %(columns)s is missing.", "The required columns %(columns)s are missing.", 2)
            % {"columns": "Mã lớp, Số CCCD, Họ và tên, Ngày sinh"},
            "HocVien",
            1,
        )

    def test_sheets_without_data_rows(self):
        problems = self.rejected(workbook([], [student_row()]))
        self.assertProblem(problems, _("The sheet has no data rows below its header."), "Lop", 1)
        problems = self.rejected(workbook([cohort_row()], [], sheets=("Lop", "HocVien")))
        self.assertProblem(problems, _("The sheet has no data rows below its header."), "HocVien", 1)
        book = openpyxl.Workbook()
        book.active.title = "Lop"
        book.create_sheet("HocVien")
        output = io.BytesIO()
        book.save(output)
        problems = self.rejected(output.getvalue())
        self.assertProblem(problems, _("The sheet is empty."), "Lop")
        self.assertProblem(problems, _("The sheet is empty."), "HocVien")


class RefusedRowTests(ImportTestCase):
    def test_bad_dates_and_closing_before_opening(self):
        problems = self.rejected(
            workbook(
                [
                    cohort_row("A", **{"Ngày khai giảng": "31/02/2020"}),
                    cohort_row("B", **{"Ngày khai giảng": "hôm nay"}),
                    cohort_row("C", **{"Ngày khai giảng": "01/09/2020", "Ngày bế giảng": "31/08/2020"}),
                    cohort_row("D", **{"Ngày bế giảng": "1/7/21"}),
                ],
                [student_row("A", born=dt.date(1985, 5, 17), **{"Ngày sinh": 31055})],
            )
        )
        not_a_date = _("“%(value)s” is not a date: write it as dd/mm/yyyy.")
        self.assertProblem(problems, not_a_date % {"value": "31/02/2020"}, "Lop", 2, "Ngày khai giảng")
        self.assertProblem(problems, not_a_date % {"value": "hôm nay"}, "Lop", 3, "Ngày khai giảng")
        self.assertProblem(
            problems, _("The closing date cannot be before the opening date."), "Lop", 4, "Ngày bế giảng"
        )
        self.assertProblem(problems, not_a_date % {"value": "1/7/21"}, "Lop", 5, "Ngày bế giảng")
        self.assertProblem(problems, not_a_date % {"value": "31055"}, "HocVien", 2, "Ngày sinh")

    def test_a_birth_date_is_in_the_past_by_the_schools_calendar(self):
        # 20:00 UTC on 10/3/2025 is 03:00 on 11/3/2025 at the school; the server's clock runs on UTC.
        with time_machine.travel(dt.datetime(2025, 3, 10, 20, 0, tzinfo=ZoneInfo("UTC")), tick=False):
            cohorts_import(workbook([cohort_row("A")], [student_row("A", born=dt.date(2025, 3, 10))]))
            problems = self.rejected(workbook([cohort_row("B")], [student_row("B", born=dt.date(2025, 3, 11))]))
        self.assertEqual(Student.objects.get(date_of_birth=dt.date(2025, 3, 10)).enrollments.get().cohort.code, "A")
        self.assertProblem(problems, _("The date of birth must be in the past."), "HocVien", 2, "Ngày sinh")

    def test_closing_on_record_before_new_opening(self):
        make_cohort("OLD", self.programs["BD-CV"], self.h01, dt.date(2020, 1, 6), dt.date(2020, 2, 28))
        problems = self.rejected(
            workbook(
                [cohort_row("OLD", **{"Ngày khai giảng": "01/03/2020", "Ngày bế giảng": None})], [student_row("OLD")]
            )
        )
        self.assertProblem(
            problems, _("The closing date cannot be before the opening date."), "Lop", 2, "Ngày bế giảng"
        )

    def test_unknown_codes(self):
        problems = self.rejected(
            workbook(
                [cohort_row("A", **{"Mã chương trình": "XX", "Mã địa phương": "H99"})],
                [student_row("A", **{"Mã địa phương": "Q1", "Mã cơ quan": "CQ-XYZ"})],
            )
        )
        self.assertProblem(
            problems, _("Unknown program code “%(code)s”.") % {"code": "XX"}, "Lop", 2, "Mã chương trình"
        )
        unknown = _("Unknown unit code “%(code)s”.")
        self.assertProblem(problems, unknown % {"code": "H99"}, "Lop", 2, "Mã địa phương")
        self.assertProblem(problems, unknown % {"code": "Q1"}, "HocVien", 2, "Mã địa phương")
        self.assertProblem(problems, unknown % {"code": "CQ-XYZ"}, "HocVien", 2, "Mã cơ quan")

    def test_units_of_the_wrong_kind(self):
        problems = self.rejected(
            workbook(
                [cohort_row("A", **{"Mã địa phương": "K-XDD"})],
                [student_row("A", **{"Mã địa phương": "CQ-SNV", "Mã cơ quan": "H02"})],
            )
        )
        self.assertEqual({(p.sheet, p.row, p.column.split(" (")[0]) for p in problems}, {
            ("Lop", 2, "Mã địa phương"), ("HocVien", 2, "Mã địa phương"), ("HocVien", 2, "Mã cơ quan"),
        })  # fmt: skip
        self.assertProblem(
            problems,
            _("The unit “%(code)s” (%(name)s) is not a sending agency.") % {"code": "H02", "name": "Thị xã Phú Mỹ"},
            "HocVien",
            2,
            "Mã cơ quan",
        )

    def test_host_that_did_not_exist_yet(self):
        commune = make_unit("X99", "Xã Mới", UnitKind.COMMUNE, self.h01, valid_from=dt.date(2025, 7, 1))
        problems = self.rejected(workbook([cohort_row("A", **{"Mã địa phương": "X99"})], [student_row("A")]))
        message = unit_problem(commune, dt.date(2020, 3, 2))
        self.assertIn("01/07/2025", message)
        self.assertProblem(
            problems,
            message,
            "Lop",
            2,
            "Mã địa phương",
        )

    def test_bad_national_ids(self):
        born = dt.date(1985, 5, 17)
        problems = self.rejected(
            workbook(
                [cohort_row("A")],
                [
                    student_row("A", nid="05208500001"),  # 11 digits
                    student_row("A", nid="999085000001"),  # no such province
                    student_row("A", nid="052090000001", born=born),  # born 1990 by the number
                    student_row("A", nid="052185000001", born=born, gender="male"),  # a woman's number
                ],
            )
        )
        for row, code in ((2, "format"), (3, "province"), (4, "birth_year"), (5, "gender")):
            self.assertProblem(problems, str(NATIONAL_ID_MESSAGES[code]), "HocVien", row, "Số CCCD")

    def test_same_person_twice_in_one_class(self):
        number = cccd()
        problems = self.rejected(
            workbook([cohort_row("A")], [student_row("A", nid=number), student_row("a", nid=number)])
        )
        self.assertProblem(
            problems,
            _("This national ID is already in class %(code)s on row %(row)s.") % {"code": "A", "row": 2},
            "HocVien",
            3,
            "Số CCCD",
        )

    def test_one_national_id_two_people_in_the_file(self):
        number = cccd()
        problems = self.rejected(
            workbook(
                [cohort_row("A"), cohort_row("B"), cohort_row("C")],
                [
                    student_row("A", "Nguyễn Văn An", nid=number),
                    student_row("B", "Nguyễn Văn Ân", nid=number),
                    student_row("C", "nguyễn văn an", nid=number, born=dt.date(1985, 6, 1)),
                ],
            )
        )
        self.assertProblem(
            problems,
            _("The same national ID is on row %(row)s with another name (%(name)s).")
            % {"row": 2, "name": "Nguyễn Văn An"},
            "HocVien",
            3,
            "Họ và tên",
        )
        self.assertProblem(
            problems,
            _("The same national ID is on row %(row)s with another date of birth (%(date)s).")
            % {"row": 2, "date": "17/05/1985"},
            "HocVien",
            4,
            "Ngày sinh",
        )
        self.assertEqual(len(problems), 2)  # the same name in other letter case is the same name

    def test_one_national_id_another_person_on_record(self):
        on_record = make_student("Võ Thị Sáu", date_of_birth=dt.date(1983, 1, 1), gender="female")
        problems = self.rejected(
            workbook(
                [cohort_row("A")],
                [student_row("A", "Võ Thị Sáo", nid=on_record.national_id, born=dt.date(1983, 12, 1), gender="female")],
            )
        )
        self.assertProblem(
            problems,
            _("A student with this national ID is already on record as %(name)s.") % {"name": "Võ Thị Sáu"},
            "HocVien",
            2,
            "Họ và tên",
        )
        self.assertProblem(
            problems,
            _("A student with this national ID is already on record with the date of birth %(date)s.")
            % {"date": "01/01/1983"},
            "HocVien",
            2,
            "Ngày sinh",
        )

    def test_class_neither_in_the_file_nor_on_record(self):
        problems = self.rejected(workbook([cohort_row("A")], [student_row("A"), student_row("Z-9")]))
        self.assertProblem(
            problems,
            _("The class %(code)s is neither in the sheet %(sheet)s nor on record.") % {"code": "Z-9", "sheet": "Lop"},
            "HocVien",
            3,
            "Mã lớp",
        )

    def test_duplicate_class_codes(self):
        problems = self.rejected(workbook([cohort_row("A"), cohort_row("B"), cohort_row(" a ")], [student_row("A")]))
        self.assertProblem(
            problems,
            _("The class code %(code)s is already on row %(row)s of this sheet.") % {"code": "A", "row": 2},
            "Lop",
            4,
            "Mã lớp",
        )

    def test_bad_choice_values(self):
        problems = self.rejected(
            workbook(
                [cohort_row("A", **{"Hình thức": "Trực tuyến", "Kinh phí": "ngân sách", "Trạng thái": "mở"})],
                [student_row("A", **{"Giới tính": "X", "Trạng thái": "Đã tốt nghiệp"})],
            )
        )
        message = _("“%(value)s” is not an accepted value; use one of: %(choices)s.")
        self.assertProblem(
            problems,
            message % {"value": "Trực tuyến", "choices": "Tập trung, Không tập trung, concentrated, non_concentrated"},
            "Lop",
            2,
            "Hình thức",
        )
        located = {(p.sheet, p.column.split(" (")[0]) for p in problems}
        self.assertEqual(
            located,
            {("Lop", "Hình thức"), ("Lop", "Kinh phí"), ("Lop", "Trạng thái"), ("HocVien", "Giới tính"),
             ("HocVien", "Trạng thái")},
        )  # fmt: skip

    def test_a_plan_year_is_a_year_a_plan_may_have(self):
        """The import took plan years from 1945, the planning page plans from 1950: the
        years a plan may have (``lib.dates``) hold for both."""
        problems = self.rejected(
            workbook(
                [cohort_row("A", **{"Năm kế hoạch": "1949"}), cohort_row("B", **{"Năm kế hoạch": "2101"})],
                [student_row("A")],
            )
        )
        for row, year in ((2, "1949"), (3, "2101")):
            self.assertProblem(problems, _("“%(value)s” is not a year.") % {"value": year}, "Lop", row, "Năm kế hoạch")

    def test_over_long_text_and_bad_formats(self):
        problems = self.rejected(
            workbook(
                [cohort_row("A" * 33, **{"Tên lớp": "L" * 256, "Năm kế hoạch": "hai nghìn"})],
                [student_row("A" * 33, "Nguyễn " + "A" * 130, **{"Email": "an@", "Điện thoại": "gọi sau"})],
            )
        )
        too_long = _("Too long: at most %(limit)s characters (this one has %(length)s).")
        self.assertProblem(problems, too_long % {"limit": 32, "length": 33}, "Lop", 2, "Mã lớp")
        self.assertProblem(problems, too_long % {"limit": 255, "length": 256}, "Lop", 2, "Tên lớp")
        self.assertProblem(problems, _("“%(value)s” is not a year.") % {"value": "hai nghìn"}, "Lop", 2, "Năm kế hoạch")
        self.assertProblem(problems, too_long % {"limit": 128, "length": 137}, "HocVien", 2, "Họ và tên")
        self.assertProblem(
            problems, _("“%(value)s” is not a valid email address.") % {"value": "an@"}, "HocVien", 2, "Email"
        )
        self.assertProblem(
            problems, _("“%(value)s” is not a phone number.") % {"value": "gọi sau"}, "HocVien", 2, "Điện thoại"
        )

    def test_required_values(self):
        problems = self.rejected(
            workbook(
                [cohort_row("A", **{"Tên lớp": "  "}), cohort_row(None), cohort_row("")],
                [student_row("A", "", **{"Số CCCD": None})],
            )
        )
        required = _("A value is required.")
        self.assertProblem(problems, required, "Lop", 2, "Tên lớp")
        self.assertProblem(problems, required, "Lop", 3, "Mã lớp")
        self.assertProblem(problems, required, "Lop", 4, "Mã lớp")
        self.assertProblem(problems, required, "HocVien", 2, "Số CCCD")
        self.assertProblem(problems, required, "HocVien", 2, "Họ và tên")
        self.assertEqual(len(problems), 5)

    def test_every_bad_row_is_listed_and_good_rows_are_not_written(self):
        rows = [student_row("A") for _ in range(5)]
        rows[1]["Ngày sinh"] = "x"
        rows[3]["Mã địa phương"] = "NOPE"
        problems = self.rejected(workbook([cohort_row("A"), cohort_row("B", **{"Kinh phí": "?"})], rows))
        self.assertEqual([(p.sheet, p.row) for p in problems], [("Lop", 3), ("HocVien", 3), ("HocVien", 5)])
        self.assertIn("HocVien", str(problems[1]))
        self.assertIn("3", str(problems[1]))


class FormulaAndLengthTests(ImportTestCase):
    def test_a_formula_behind_spaces_is_refused_like_a_formula(self):
        """`` =HYPERLINK(...)`` is text in the cell, but would be stored as a formula once its
        spaces are stripped: refused like one, in every column."""
        link = '=HYPERLINK("http://example.com","Bấm vào đây")'
        problems = self.rejected(
            workbook(
                [cohort_row("A", **{"Địa điểm": " " + link})],
                [student_row("A", **{"Chức vụ": "\t " + link}), student_row("A", "Lê Văn Bảo", **{"Ghi chú": "x = 1"})],
            )
        )
        formula = _("The cell holds a formula (%(formula)s): type its value instead.")
        self.assertProblem(problems, formula % {"formula": link[:40]}, "Lop", 2, "Địa điểm")
        self.assertProblem(problems, formula % {"formula": link[:40]}, "HocVien", 2, "Chức vụ")
        self.assertEqual(len(problems), 2)

    def test_every_formula_is_counted_though_only_the_first_are_kept(self):
        rows = [student_row("A", **{"Chức vụ": "=1+1"}) for _ in range(1_500)]
        with self.assertRaises(ImportRejected) as caught:
            cohorts_import(workbook([cohort_row("A")], rows))
        self.assertEqual((caught.exception.total, len(caught.exception.problems)), (1_500, 200))

    def test_a_long_name_is_refused_before_its_keys_are_computed(self):
        with mock.patch("daotao.people.models.name_sort_key", wraps=name_sort_key) as keyed:
            problems = self.rejected(workbook([cohort_row("A")], [student_row("A", "Nguyễn " + "A" * 1_900)]))
        too_long = _("Too long: at most %(limit)s characters (this one has %(length)s).")
        self.assertProblem(problems, too_long % {"limit": 128, "length": "1.907"}, "HocVien", 2, "Họ và tên")
        self.assertTrue(keyed.call_args_list)
        self.assertLessEqual(max(len(call.args[0]) for call in keyed.call_args_list), 128)

    def test_a_cell_longer_than_any_field_is_refused_by_the_reader(self):
        rows = [cohort_row("A", **{"Ghi chú": "x" * 2_001})]
        problems = self.rejected(workbook(rows, [student_row("A")], lop=[*LOP, "Ghi chú"]))
        too_long = _("Too long: at most %(limit)s characters (this one has %(length)s).")
        self.assertEqual(
            [(p.sheet, p.row, p.column, p.message) for p in problems],
            [("Lop", 2, "Ghi chú (L)", too_long % {"limit": "2.000", "length": "2.001"})],
        )


class ConcurrentChangeTests(ImportTestCase):
    def test_a_collision_while_writing_is_a_refusal_not_an_error(self):
        with mock.patch.object(Plan, "write", side_effect=IntegrityError("duplicate key")):
            problems = self.rejected(workbook([cohort_row()], [student_row()]))
        self.assertProblem(
            problems, _("The records changed while the file was being imported; nothing was written. Try again.")
        )


class ProblemTextTests(ImportTestCase):
    def test_problem_names_sheet_row_and_column(self):
        problem = ImportProblem("bad", "HocVien", 7, "Ngày sinh (D)")
        self.assertEqual(
            str(problem),
            _("Sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s")
            % {"sheet": "HocVien", "row": 7, "column": "Ngày sinh (D)", "message": "bad"},
        )
        self.assertEqual(str(ImportProblem("bad")), "bad")


class TemplateWorkbookTests(ImportTestCase):
    def test_template_has_both_sheets_and_a_guide(self):
        book = openpyxl.load_workbook(io.BytesIO(template_workbook()))
        self.assertEqual(book.sheetnames, ["Lop", "HocVien", "HuongDan"])
        for sheet in (COHORTS, STUDENTS):
            worksheet = book[sheet.name]
            self.assertEqual([c.value for c in worksheet[1]], [c.header for c in sheet.columns])
            self.assertTrue(all(c.font.b for c in worksheet[1]))
            self.assertTrue(any(c.value for c in worksheet[2]))
            self.assertGreater(worksheet.column_dimensions["B"].width, 10)
        guide = [row for row in book["HuongDan"].iter_rows(values_only=True)]
        explained = {(row[0], row[1]) for row in guide}
        for sheet in (COHORTS, STUDENTS):
            for column in sheet.columns:
                self.assertIn((sheet.name, column.header), explained)

    def test_the_example_rows_import(self):
        result = cohorts_import(template_workbook())
        self.assertEqual((result.cohorts.created, result.students.created, result.enrollments.created), (1, 1, 1))


class ProblemListTests(ImportTestCase):
    def test_every_problem_is_counted_the_first_are_kept_and_200_listed(self):
        sheet_problems = ProblemList(ImportProblem("x", "HocVien", row) for row in range(2, 5_002))
        problems = ProblemList([ImportProblem("y", "Lop", 3)])
        problems += sheet_problems
        self.assertEqual((problems.total, len(problems)), (5_001, 1 + ProblemList.KEPT))
        rejected = ImportRejected(problems, (COHORTS, STUDENTS))
        self.assertEqual((rejected.total, rejected.unlisted), (5_001, 4_801))
        self.assertEqual([(p.sheet, p.row) for p in rejected.problems[:2]], [("Lop", 3), ("HocVien", 2)])
        self.assertEqual(rejected.lines()[-1], "… và 4.801 lỗi khác.")
        self.assertEqual(rejected.summary(), "Chưa nhập dữ liệu nào: phát hiện 5.001 lỗi.")
