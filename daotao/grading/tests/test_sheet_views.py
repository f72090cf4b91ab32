"""The grade sheet, its cells, the class overview, the history of a cell and the xlsx
round trip, for every role."""

import datetime as dt
import io
from decimal import Decimal as D

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daotao.audit.models import AuditEntry
from daotao.grading.models import Grade
from daotao.programs.models import Module
from daotao.teaching.models import TeachingAssignment
from daotao.testing import TeachingWorldTestCase, enroll, make_cohort, make_module


class SheetPageTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.test, cls.exam = cls.m1.assessments.order_by("order")
        cls.url = reverse("grading:sheet", args=[cls.cohort.pk, cls.m1.pk])
        cls.cell_url = reverse("grading:cell", args=[cls.cohort.pk, cls.m1.pk])

    def get(self, user, url=None):
        self.client.force_login(user)
        return self.client.get(url or self.url)

    def post_cell(self, user, value, enrollment=None, assessment=None, attempt=1):
        self.client.force_login(user)
        data = {
            "enrollment": (enrollment or self.enrollments[0]).pk,
            "assessment": (assessment or self.test).pk,
            "attempt": attempt,
            "value": value,
        }
        return self.client.post(self.cell_url, data, HTTP_HX_REQUEST="true")

    def test_assigned_lecturer_edits(self):
        response = self.get(self.lecturer_user)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="grade"', count=6 * 3)
        self.assertContains(response, "sheet.js")

    def test_who_reads_and_who_cannot(self):
        for user in (self.office, self.board, self.coordinator):
            with self.subTest(user=user.username):
                response = self.get(user)
                self.assertEqual(response.status_code, 200)
                if user != self.office:
                    self.assertNotContains(response, 'class="grade"')
        other_module = self.get(self.other_lecturer_user)  # sees the class (m3) but not m1's cells
        self.assertEqual(other_module.status_code, 200)
        self.assertNotContains(other_module, 'class="grade"')
        self.assertEqual(self.get(self.other_coordinator).status_code, 404)
        self.assertEqual(self.get(self.student_user).status_code, 403)
        self.assertEqual(self.get(self.nobody).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_a_cell_is_saved_and_the_row_result_comes_along(self):
        self.post_cell(self.lecturer_user, "6")
        response = self.post_cell(self.lecturer_user, "9", assessment=self.exam)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="9,0"')
        self.assertContains(response, 'hx-swap-oob="true"')
        self.assertContains(response, "8,1")  # 0,3 x 6 + 0,7 x 9
        self.assertEqual(Grade.objects.count(), 2)

    def test_an_invalid_cell_keeps_what_was_typed_and_saves_nothing(self):
        response = self.post_cell(self.lecturer_user, "11")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'aria-invalid="true"')
        self.assertContains(response, 'value="11"')
        self.assertContains(response, "0 đến 10")
        self.assertFalse(Grade.objects.exists())

    def test_cells_of_others_are_refused(self):
        self.assertEqual(self.post_cell(self.other_lecturer_user, "6").status_code, 403)
        self.assertEqual(self.post_cell(self.board, "6").status_code, 403)
        self.assertEqual(self.post_cell(self.other_coordinator, "6").status_code, 404)
        other = self.other_enrollments[0]
        self.assertEqual(self.post_cell(self.lecturer_user, "6", enrollment=other).status_code, 404)
        self.assertEqual(self.post_cell(self.lecturer_user, "6", attempt=7).status_code, 400)
        self.client.force_login(self.lecturer_user)
        self.assertEqual(self.client.get(self.cell_url).status_code, 405)
        self.assertFalse(Grade.objects.exists())

    def test_history_of_a_cell_for_the_office_only(self):
        self.post_cell(self.lecturer_user, "6")
        self.post_cell(self.office, "7")
        grade = Grade.objects.get()
        url = reverse("grading:cell_history", args=[grade.pk])
        response = self.get(self.office, url)
        self.assertContains(response, "gv1")
        self.assertContains(response, "7.0")
        self.assertEqual(self.get(self.lecturer_user, url).status_code, 403)
        self.assertEqual(self.get(self.board, url).status_code, 403)

    def test_xlsx_round_trip(self):
        self.post_cell(self.lecturer_user, "6")
        self.client.force_login(self.lecturer_user)
        exported = self.client.get(reverse("grading:sheet_export", args=[self.cohort.pk, self.m1.pk]))
        self.assertEqual(exported.status_code, 200)
        book = openpyxl.load_workbook(io.BytesIO(exported.content))
        sheet = book.active
        self.assertNotIn(self.enrollments[0].student.national_id, str(list(sheet.values)))
        self.assertEqual(sheet["D3"].value, "6,0")
        sheet["D3"] = 8.5
        sheet["E3"] = "7,5"
        sheet["E4"] = "v"
        response = self.upload(book)
        self.assertEqual(response.status_code, 302)
        grades = {(g.enrollment_id, g.assessment_id): (g.score, g.absent) for g in Grade.objects.all()}
        first, second = self.enrollments[:2]
        self.assertEqual(grades[first.pk, self.test.pk], (D("8.5"), False))
        self.assertEqual(grades[first.pk, self.exam.pk], (D("7.5"), False))
        self.assertEqual(grades[second.pk, self.exam.pk], (None, True))
        self.assertEqual(AuditEntry.objects.filter(action="grade").count(), 4)

    def upload(self, book, user=None):
        buffer = io.BytesIO()
        book.save(buffer)
        buffer.name = "bang-diem.xlsx"
        buffer.seek(0)
        self.client.force_login(user or self.lecturer_user)
        return self.client.post(reverse("grading:sheet_import", args=[self.cohort.pk, self.m1.pk]), {"file": buffer})

    def test_a_wrong_cell_rejects_the_whole_file(self):
        self.client.force_login(self.lecturer_user)
        exported = self.client.get(reverse("grading:sheet_export", args=[self.cohort.pk, self.m1.pk]))
        book = openpyxl.load_workbook(io.BytesIO(exported.content))
        sheet = book.active
        sheet["D3"] = 8
        sheet["D4"] = 12
        sheet["C5"] = self.other_enrollments[0].pk
        response = self.upload(book)
        self.assertEqual(response.status_code, 302)
        page = self.client.get(response["Location"])
        self.assertContains(page, "dòng 4")
        self.assertContains(page, "dòng 5")
        self.assertFalse(Grade.objects.exists())

    def test_a_sheet_of_another_module_is_refused(self):
        self.client.force_login(self.office)
        other = self.client.get(reverse("grading:sheet_export", args=[self.cohort.pk, self.m2.pk]))
        book = openpyxl.load_workbook(io.BytesIO(other.content))
        book.active["D3"] = 9
        # m2's columns have the same names but the file's title says HP2; the keys match, so
        # rename a column to make it another scheme.
        book.active["D2"] = "Bài thu hoạch"
        response = self.upload(book)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Grade.objects.exists())

    def test_import_refused_to_others(self):
        self.client.force_login(self.board)
        response = self.client.post(reverse("grading:sheet_import", args=[self.cohort.pk, self.m1.pk]))
        self.assertEqual(response.status_code, 403)


class OverviewQueryTests(TeachingWorldTestCase):
    """The class overview (every module x every student) in queries that do not grow."""

    def count(self, cohort):
        self.client.force_login(self.office)
        url = reverse("grading:cohort", args=[cohort.pk])
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries), response

    def test_2_students_1_module_and_100_students_12_modules(self):
        bd = self.programs["BD-LDP"]
        small_module = make_module(bd, "L1", 10)
        small = make_cohort("S01", bd, self.h01, dt.date(2026, 4, 1))
        for enrollment in enroll(small, 2):
            Grade.objects.create(enrollment=enrollment, assessment=small_module.assessments.first(), score=D("7"))
        few, _response = self.count(small)

        big_program = self.programs["BD-CVC"]
        modules = [make_module(big_program, f"M{i:02d}", 10 + i) for i in range(12)]
        big = make_cohort("B01", big_program, self.h01, dt.date(2026, 4, 1))
        enrollments = enroll(big, 100)
        Grade.objects.bulk_create(
            [
                Grade(enrollment=enrollment, assessment=assessment, score=D("7.5"))
                for enrollment in enrollments
                for module in modules
                for assessment in module.assessments.all()
            ]
        )
        many, response = self.count(big)
        self.assertEqual(Module.objects.filter(program=big_program).count(), 12)
        self.assertContains(response, "7,5", count=100 * 12)
        self.assertEqual(many, few)

    def test_lecturer_sees_only_assigned_classes(self):
        self.client.force_login(self.lecturer_user)
        self.assertEqual(self.client.get(reverse("grading:cohort", args=[self.cohort.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("grading:cohort", args=[self.other_cohort.pk])).status_code, 404)
        TeachingAssignment.objects.create(cohort=self.other_cohort, module=self.m2, lecturer=self.lecturer)
        self.assertEqual(self.client.get(reverse("grading:cohort", args=[self.other_cohort.pk])).status_code, 200)


class MyResultsTests(TeachingWorldTestCase):
    def test_a_student_sees_only_their_own(self):
        first, second = self.enrollments[:2]
        test = self.m1.assessments.get(is_exam=False)
        Grade.objects.create(enrollment=first, assessment=test, score=D("6.5"))
        Grade.objects.create(enrollment=second, assessment=test, score=D("9.5"))
        self.client.force_login(self.student_user)
        response = self.client.get(reverse("grading:my"))
        self.assertContains(response, first.student.full_name)
        self.assertNotContains(response, second.student.full_name)
        self.client.force_login(self.lecturer_user)
        self.assertEqual(self.client.get(reverse("grading:my")).status_code, 403)
