"""The xlsx export of a module's grade sheet and its import back: all or nothing, with the
sheet, row, column and reason of every problem."""

import io
from decimal import Decimal as D

import openpyxl
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from daotao.audit.models import AuditEntry
from daotao.grading.models import Grade
from daotao.testing import TeachingWorldTestCase


class SheetXlsxTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.test, cls.exam = cls.m1.assessments.order_by("order")
        cls.export_url = reverse("grading:sheet_export", args=[cls.cohort.pk, cls.m1.pk])
        cls.import_url = reverse("grading:sheet_import", args=[cls.cohort.pk, cls.m1.pk])

    def exported(self, user=None, url=None):
        self.client.force_login(user or self.lecturer_user)
        response = self.client.get(url or self.export_url)
        self.assertEqual(response.status_code, 200)
        return openpyxl.load_workbook(io.BytesIO(response.content))

    def upload(self, content, user=None, name="bang-diem.xlsx"):
        if isinstance(content, openpyxl.Workbook):
            buffer = io.BytesIO()
            content.save(buffer)
            content = buffer.getvalue()
        upload = io.BytesIO(content)
        upload.name = name
        self.client.force_login(user or self.lecturer_user)
        response = self.client.post(self.import_url, {"file": upload})
        self.assertEqual(response.status_code, 302)
        return self.client.get(response["Location"])  # the import's job page

    def problems(self, page) -> list[tuple[int | None, str, str]]:
        """(row, column, message) of each problem the job's page lists."""
        return [(p["row"], p["column"], p["message"]) for p in page.context["state"].get("problems", [])]

    def test_export_names_students_by_key_never_by_national_id(self):
        Grade.objects.create(enrollment=self.enrollments[0], assessment=self.test, score=D("6"))
        sheet = self.exported().active
        self.assertEqual(
            [cell.value for cell in sheet[2]],
            ["STT", "Họ và tên", "Mã học viên", "HP1 · Kiểm tra", "HP1 · Thi viết", "HP1 · Thi viết (thi lại)"],
        )
        first = self.enrollments[0]
        self.assertEqual([c.value for c in sheet[3]][:4], [1, first.student.full_name, first.pk, 6.0])
        # A score is a number, so that Excel adds the column up, shown with its decimal: 6,0.
        self.assertEqual((sheet["D3"].data_type, sheet["D3"].number_format), ("n", "0.0"))
        self.assertEqual(sheet.max_row, 2 + 6)
        self.assertNotIn(first.student.national_id, str(list(sheet.values)))

    def test_round_trip(self):
        Grade.objects.create(enrollment=self.enrollments[0], assessment=self.test, score=D("6"))
        book = self.exported()
        sheet = book.active
        sheet["D3"] = 8.5
        sheet["E3"] = "7,25"
        sheet["E4"] = "v"
        page = self.upload(book)
        self.assertContains(page, "3 ô")
        first, second = self.enrollments[:2]
        grades = {(g.enrollment_id, g.assessment_id): (g.score, g.absent) for g in Grade.objects.all()}
        self.assertEqual(grades[first.pk, self.test.pk], (D("8.5"), False))
        self.assertEqual(grades[first.pk, self.exam.pk], (D("7.3"), False))
        self.assertEqual(grades[second.pk, self.exam.pk], (None, True))
        self.assertEqual(AuditEntry.objects.filter(action="grade").count(), 3)
        # The same file again changes nothing.
        self.upload(book)
        self.assertEqual(AuditEntry.objects.filter(action="grade").count(), 3)

    def test_numbers_read_back_as_the_scores_they_show(self):
        """The export's own number cells, and numbers typed into it, are scores: 7.5 is
        7,5 and a whole 8 is 8,0; the heading stays in view and the file reads back as is."""
        Grade.objects.create(enrollment=self.enrollments[0], assessment=self.test, score=D("6.5"))
        Grade.objects.create(enrollment=self.enrollments[1], assessment=self.exam, absent=True)
        book = self.exported()
        sheet = book.active
        self.assertEqual((sheet.freeze_panes, sheet.print_title_rows), ("C3", "$2:$2"))
        self.assertEqual((sheet["D3"].value, sheet["D3"].data_type, sheet["D3"].number_format), (6.5, "n", "0.0"))
        self.assertEqual((sheet["E4"].value, sheet["E4"].data_type), ("v", "s"))  # absent stays a mark
        self.upload(book)
        self.assertFalse(AuditEntry.objects.filter(action="grade").exists())  # read back unchanged
        sheet["E3"] = 7.5
        sheet["D4"] = 8
        sheet["D5"] = "8,0"
        self.assertContains(self.upload(book), "3 ô")
        grades = {(g.enrollment_id, g.assessment_id): g.score for g in Grade.objects.all()}
        first, second, third = self.enrollments[:3]
        self.assertEqual(grades[first.pk, self.test.pk], D("6.5"))
        self.assertEqual(grades[first.pk, self.exam.pk], D("7.5"))
        self.assertEqual(grades[second.pk, self.test.pk], D("8.0"))
        self.assertEqual(grades[third.pk, self.test.pk], D("8.0"))

    def test_a_wrong_cell_rejects_the_whole_file_with_row_and_column(self):
        book = self.exported()
        sheet = book.active
        sheet["D3"] = 8
        sheet["D4"] = 12
        sheet["D5"] = "abc"
        sheet["D6"] = "v"  # absent only from the exam
        sheet["C7"] = self.other_enrollments[0].pk
        sheet["B8"] = "Người Khác"
        page = self.upload(book)
        problems = self.problems(page)
        self.assertEqual([row for row, _column, _message in problems], [4, 5, 6, 7, 8])
        self.assertEqual(problems[0][1], "HP1 · Kiểm tra (D)")
        self.assertEqual(problems[3][1], "Mã học viên (C)")
        self.assertContains(page, "HP1 · Kiểm tra (D)")
        self.assertFalse(Grade.objects.exists())

    def test_a_student_twice_is_refused(self):
        book = self.exported()
        sheet = book.active
        sheet.append([7, self.enrollments[0].student.full_name, self.enrollments[0].pk, 5])
        self.assertEqual([row for row, _column, _message in self.problems(self.upload(book))], [9])
        self.assertFalse(Grade.objects.exists())

    def test_the_sheet_of_another_module_is_refused(self):
        # HP2 has components of the same names; its file must not land in HP1.
        book = self.exported(url=reverse("grading:sheet_export", args=[self.cohort.pk, self.m2.pk]))
        book.active["D3"] = 9
        page = self.upload(book)
        self.assertContains(page, "HP1 · Kiểm tra")
        self.assertFalse(Grade.objects.exists())

    def test_the_sheet_of_another_class_is_refused(self):
        book = self.exported(
            user=self.office, url=reverse("grading:sheet_export", args=[self.other_cohort.pk, self.m1.pk])
        )
        book.active["D3"] = 9
        with translation.override("vi"):
            self.assertContains(self.upload(book), _("This student is not in the class."))
        self.assertFalse(Grade.objects.exists())

    def test_broken_files(self):
        book = openpyxl.Workbook()
        book.active.title = "Khac"
        with translation.override("vi"):
            cases = [
                (b"", _("The file is empty.")),
                (b"not a workbook", _("The file is not an Excel workbook (.xlsx).")),
                (book, _("The workbook has no sheet named %(sheet)s.") % {"sheet": "BangDiem"}),
            ]
        for content, reason in cases:
            with self.subTest(reason=reason):
                page = self.upload(content)
                self.assertEqual([message for _row, _column, message in self.problems(page)], [reason])
        self.assertFalse(Grade.objects.exists())

    def test_missing_file_and_roles(self):
        self.client.force_login(self.lecturer_user)
        response = self.client.post(self.import_url)
        self.assertEqual(response.status_code, 302)
        # gv2 teaches another module of the class: this sheet is not hers (404).
        for user, status in ((self.board, 403), (self.other_lecturer_user, 404), (self.other_coordinator, 404)):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.post(self.import_url).status_code, status)
        self.client.force_login(self.board)
        self.assertEqual(self.client.get(self.export_url).status_code, 200)  # reading is enough to export
        self.client.force_login(self.student_user)
        self.assertEqual(self.client.get(self.export_url).status_code, 403)

    def test_a_closed_class_refuses_the_lecturers_import(self):
        self.cohort.status = "closed"
        self.cohort.save()
        book = self.exported()
        book.active["D3"] = 9
        self.client.force_login(self.lecturer_user)
        buffer = io.BytesIO()
        book.save(buffer)
        buffer.seek(0)
        buffer.name = "x.xlsx"
        self.assertEqual(self.client.post(self.import_url, {"file": buffer}).status_code, 403)
        self.upload(book, user=self.office)
        self.assertEqual(Grade.objects.get().score, D("9"))
