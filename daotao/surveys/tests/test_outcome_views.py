"""The career-outcome pages: lists, the add form, delete, import, report and its export,
for every role."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from daotao.audit.models import AuditEntry
from daotao.surveys.models import CareerEvent
from daotao.surveys.tests import test_outcome_import as imports
from daotao.surveys.tests import test_outcome_report as reports
from daotao.surveys.tests import test_outcome_services as base

LIST = reverse("surveys:outcome_list")
ADD = reverse("surveys:outcome_add")
IMPORT = reverse("surveys:outcome_import")
REPORT = reverse("surveys:outcome_report")


class ViewWorld(base.OutcomeWorld):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.local_event = CareerEvent.objects.create(
            student=cls.local, kind="appointment", date=dt.date(2025, 3, 1), decision_number="12/QĐ-UBND"
        )
        cls.other_event = CareerEvent.objects.create(
            student=cls.other, kind="reward", date=dt.date(2025, 4, 1), decision_number="35/QĐ-UBND"
        )

    def setUp(self):
        # Pages in English, so that the messages checked hold whatever the translation.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def as_user(self, user):
        self.client.force_login(user)
        return self.client


class ListTests(ViewWorld):
    def test_the_office_sees_every_event(self):
        page = self.as_user(self.office).get(LIST)
        self.assertContains(page, "12/QĐ-UBND")
        self.assertContains(page, "35/QĐ-UBND")
        self.assertContains(page, ADD)

    def test_filters(self):
        client = self.as_user(self.office)
        page = client.get(LIST, {"kind": "reward"})
        self.assertNotContains(page, "12/QĐ-UBND")
        self.assertContains(page, "35/QĐ-UBND")
        page = client.get(LIST, {"q": "pham van"})
        self.assertContains(page, "35/QĐ-UBND")
        self.assertNotContains(page, "12/QĐ-UBND")
        page = client.get(LIST, {"q": self.local.national_id, "year": "2025"})
        self.assertContains(page, "12/QĐ-UBND")
        self.assertNotContains(client.get(LIST, {"year": "2024"}), "12/QĐ-UBND")
        self.assertEqual(client.get(LIST, {"year": "abcd", "kind": "x", "page": "zz"}).status_code, 200)

    def test_a_coordinator_sees_its_own_students_in_constant_queries(self):
        client = self.as_user(self.coordinator)
        client.get(LIST)
        for number in range(5):
            CareerEvent.objects.create(
                student=self.commune, kind="reward", date=dt.date(2025, 1, number + 1), decision_number=f"{number}/QĐ"
            )
        with self.assertNumQueries(6):  # session, user, roles, unit, count, page
            page = client.get(LIST)
        self.assertContains(page, "12/QĐ-UBND")
        self.assertNotContains(page, "35/QĐ-UBND")

    def test_the_board_reads_without_recording(self):
        page = self.as_user(self.board).get(LIST)
        self.assertContains(page, "35/QĐ-UBND")
        self.assertNotContains(page, ADD)

    def test_lecturers_students_and_strangers(self):
        for user in (self.lecturer_user, self.nobody):
            with self.subTest(user=user.username):
                self.assertEqual(self.as_user(user).get(LIST).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(LIST).status_code, 302)


class StudentPageTests(ViewWorld):
    def url(self, student):
        return reverse("surveys:outcome_student", args=[student.pk])

    def test_a_graduate_s_events(self):
        page = self.as_user(self.coordinator).get(self.url(self.local))
        self.assertContains(page, "12/QĐ-UBND")
        self.assertContains(page, f"{ADD}?student={self.local.pk}")
        self.assertContains(page, reverse("surveys:outcome_delete", args=[self.local_event.pk]))

    def test_outsiders_get_404_and_the_board_reads_only(self):
        self.assertEqual(self.as_user(self.other_coordinator).get(self.url(self.local)).status_code, 404)
        self.assertEqual(self.as_user(self.agency_user).get(self.url(self.local)).status_code, 404)
        page = self.as_user(self.board).get(self.url(self.local))
        self.assertContains(page, "12/QĐ-UBND")
        self.assertNotContains(page, "?student=")
        self.assertEqual(self.as_user(self.lecturer_user).get(self.url(self.local)).status_code, 403)


class AddTests(ViewWorld):
    def data(self, **values):
        data = {
            "national_id": self.commune.national_id,
            "kind": "promotion",
            "date": "15/08/2025",
            "decision_number": "77/QĐ-UBND",
            "description": "Nâng ngạch chuyên viên chính",
        }
        data.update(values)
        return data

    def test_from_the_student_page_link(self):
        client = self.as_user(self.coordinator)
        page = client.get(ADD, {"student": self.commune.pk})
        self.assertContains(page, self.commune.national_id)
        response = client.post(f"{ADD}?student={self.commune.pk}", self.data())
        self.assertRedirects(response, reverse("surveys:outcome_student", args=[self.commune.pk]))
        event = CareerEvent.objects.get(decision_number="77/QĐ-UBND")
        self.assertEqual((event.student, event.kind, event.date), (self.commune, "promotion", dt.date(2025, 8, 15)))
        self.assertTrue(AuditEntry.objects.filter(action="career_event", object_id=str(event.pk)).exists())

    def test_by_national_id(self):
        response = self.as_user(self.agency_user).post(ADD, self.data(national_id=f" {self.staff.national_id} "))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(CareerEvent.objects.get(decision_number="77/QĐ-UBND").student, self.staff)

    def test_bad_input_redisplays_with_errors(self):
        client = self.as_user(self.office)
        response = client.post(ADD, self.data(national_id="12345", date="31/02/2025", kind="x"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "A national ID has 12 digits.", status_code=400)
        self.assertContains(response, "dd/mm/yyyy", status_code=400)
        duplicate = self.data(national_id=self.local.national_id, kind="appointment", decision_number="12/QĐ-UBND")
        response = client.post(ADD, duplicate)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(CareerEvent.objects.count(), 2)

    def test_students_outside_the_scope(self):
        client = self.as_user(self.coordinator)
        response = client.post(ADD, self.data(national_id=self.other.national_id))
        self.assertContains(response, "There is no student with this national ID", status_code=400)
        self.assertEqual(client.get(ADD, {"student": self.other.pk}).status_code, 404)
        self.assertEqual(client.get(ADD, {"student": "abc"}).status_code, 404)
        self.assertFalse(CareerEvent.objects.filter(student=self.other, decision_number="77/QĐ-UBND").exists())

    def test_the_board_and_others_may_not_record(self):
        for user in (self.board, self.lecturer_user, self.nobody):
            with self.subTest(user=user.username):
                self.assertEqual(self.as_user(user).get(ADD).status_code, 403)
                self.assertEqual(self.as_user(user).post(ADD, self.data()).status_code, 403)
        self.assertEqual(CareerEvent.objects.count(), 2)


class DeleteTests(ViewWorld):
    def url(self, event):
        return reverse("surveys:outcome_delete", args=[event.pk])

    def test_delete_is_audited(self):
        response = self.as_user(self.coordinator).post(self.url(self.local_event))
        self.assertRedirects(response, reverse("surveys:outcome_student", args=[self.local.pk]))
        self.assertFalse(CareerEvent.objects.filter(pk=self.local_event.pk).exists())
        self.assertTrue(AuditEntry.objects.filter(action="career_event.delete", user=self.coordinator).exists())

    def test_roles_and_method(self):
        self.assertEqual(self.as_user(self.office).get(self.url(self.local_event)).status_code, 405)
        self.assertEqual(self.as_user(self.other_coordinator).post(self.url(self.local_event)).status_code, 404)
        self.assertEqual(self.as_user(self.board).post(self.url(self.local_event)).status_code, 403)
        self.assertEqual(self.as_user(self.lecturer_user).post(self.url(self.local_event)).status_code, 403)
        self.assertEqual(CareerEvent.objects.count(), 2)


class ImportPageTests(ViewWorld):
    def upload(self, content, name="congtac.xlsx"):
        return SimpleUploadedFile(name, content, content_type="application/octet-stream")

    def test_success_counts(self):
        content = imports.workbook([[self.commune.national_id, "Khen thưởng", "01/09/2025", "88/QĐ", "Giấy khen"]])
        response = self.as_user(self.coordinator).post(IMPORT, {"workbook": self.upload(content)}, follow=True)
        self.assertContains(response, "1 career event created.")  # on the import job's page
        self.assertContains(response, f'href="{LIST}"')
        self.assertTrue(CareerEvent.objects.filter(decision_number="88/QĐ").exists())

    def test_problems_table_and_nothing_written(self):
        content = imports.workbook(
            [
                [self.commune.national_id, "Khen thưởng", "01/09/2025", "88/QĐ", ""],
                [self.other.national_id, "Khen thưởng", "01/09/2025", "89/QĐ", ""],
            ]
        )
        response = self.as_user(self.coordinator).post(IMPORT, {"workbook": self.upload(content)}, follow=True)
        self.assertContains(response, 'id="problems"')
        self.assertContains(response, "Số CCCD (A)")
        self.assertContains(response, '<td class="num">3</td>')
        self.assertEqual(CareerEvent.objects.count(), 2)

    def test_not_a_workbook(self):
        response = self.as_user(self.office).post(IMPORT, {"workbook": self.upload(b"%PDF-1.4", "a.pdf")}, follow=True)
        self.assertContains(response, "not an Excel workbook")

    def test_template_and_roles(self):
        client = self.as_user(self.agency_user)
        self.assertEqual(client.get(IMPORT).status_code, 200)
        template = client.get(reverse("surveys:outcome_import_template"))
        self.assertEqual(template["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertIn("CongTac", openpyxl.load_workbook(io.BytesIO(template.content)).sheetnames)
        for user in (self.board, self.lecturer_user):
            with self.subTest(user=user.username):
                self.assertEqual(self.as_user(user).get(IMPORT).status_code, 403)
                self.assertEqual(self.as_user(user).get(reverse("surveys:outcome_import_template")).status_code, 403)


class ReportPageTests(reports.OutcomeReportWorld):
    def setUp(self):
        # Pages in English, so that the messages checked hold whatever the translation.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def test_the_shares_the_vietnamese_way(self):
        self.client.force_login(self.coordinator)
        page = self.client.get(REPORT, {"year": 2024})
        self.assertContains(page, "25,00%")
        self.assertContains(page, "50,00%")
        self.assertContains(page, "TC-LLCT-HC")

    def test_the_office_with_a_program_filter_in_constant_queries(self):
        self.client.force_login(self.office)
        self.client.get(REPORT, {"year": 2024})
        with self.assertNumQueries(9):  # session, user, roles x2, programs of the form, 4 of the report
            page = self.client.get(REPORT, {"year": 2024, "program": self.tc.pk})
        self.assertContains(page, "33,33%")
        self.assertContains(self.client.get(REPORT, {"year": 2023}), "No graduates in this year.")

    def test_bad_input(self):
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(REPORT, {"year": "20x4"}).status_code, 400)
        self.assertEqual(self.client.get(REPORT, {"year": 1800}).status_code, 400)
        self.assertEqual(self.client.get(REPORT, {"year": 2024, "program": 99999}).status_code, 400)
        self.assertEqual(self.client.get(reverse("surveys:outcome_report_xlsx"), {"year": "x"}).status_code, 400)

    def test_the_export(self):
        self.client.force_login(self.board)
        response = self.client.get(reverse("surveys:outcome_report_xlsx"), {"year": 2024})
        self.assertEqual(response.status_code, 200)
        self.assertIn("ket-qua-sau-dao-tao-2024.xlsx", response["Content-Disposition"])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        row = [cell.value for cell in sheet[4]]
        self.assertEqual(row[0], "TC-LLCT-HC")
        self.assertEqual(row[2:5], [6, 2, 2 / 6])
        self.assertEqual(sheet["E4"].number_format, "0.00%")
        self.assertEqual(sheet.max_row, 5)  # the total follows

    def test_roles(self):
        for user in (self.lecturer_user, self.nobody):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(REPORT, {"year": 2024}).status_code, 403)
                self.assertEqual(self.client.get(reverse("surveys:outcome_report_xlsx")).status_code, 403)
        self.client.force_login(self.other_coordinator)
        page = self.client.get(REPORT, {"year": 2024})
        self.assertContains(page, "50,00%")  # H02: two graduates, one promoted
        self.assertNotContains(page, "25,00%")
