"""The import page (training office only), its background job's page, and the template
download (any staff)."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils.translation import gettext as _

from daotao.cohorts.models import Cohort, Enrollment
from daotao.cohorts.tests.workbooks import cohort_row, student_row, workbook
from daotao.lib.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from daotao.people.models import Student
from daotao.testing import WorldTestCase


def upload(content: bytes, name: str = "lop.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)


class ImportViewTests(WorldTestCase):
    url = reverse("cohorts:import")

    def login(self, user):
        self.client.force_login(user)

    def counts(self):
        return Cohort.objects.count(), Student.objects.count(), Enrollment.objects.count()

    def problems(self, response) -> list[dict]:
        """The problems the job's page lists."""
        self.assertEqual(response.status_code, 200)
        return response.context["state"].get("problems", [])

    def test_form_links_the_template(self):
        self.login(self.office)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, reverse("cohorts:import_template"))
        self.assertContains(response, 'enctype="multipart/form-data"')

    def test_good_file_is_imported(self):
        self.login(self.office)
        content = workbook([cohort_row("A")], [student_row("A"), student_row("A", "Lê Thị Mai")])
        response = self.client.post(self.url, {"workbook": upload(content)}, follow=True)
        self.assertEqual(response.redirect_chain[0][0][:6], "/jobs/")
        self.assertEqual(self.counts(), (1, 2, 2))
        self.assertContains(response, _("Import finished."))
        self.assertContains(
            response,
            _("Enrollments: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": 2, "updated": 0, "unchanged": 0},
        )
        self.assertContains(response, f'href="{reverse("cohorts:list")}"')
        self.assertNotContains(response, "hx-trigger")  # done: no more polling

    def test_dry_run_writes_nothing(self):
        self.login(self.office)
        content = workbook([cohort_row("A")], [student_row("A")])
        response = self.client.post(self.url, {"workbook": upload(content), "dry_run": "on"}, follow=True)
        self.assertEqual(self.counts(), (0, 0, 0))
        self.assertContains(response, f'href="{self.url}"')  # then import it for real
        self.assertContains(response, _("The file is valid; nothing was written (check only)."))

    def test_bad_file_redisplays_the_form_with_every_problem(self):
        self.login(self.office)
        rows = [student_row("A", **{"Ngày sinh": "31/04/1990"}), student_row("A"), student_row("Z")]
        response = self.client.post(self.url, {"workbook": upload(workbook([cohort_row("A")], rows))}, follow=True)
        self.assertEqual(self.counts(), (0, 0, 0))
        self.assertEqual(
            [(p["sheet"], p["row"], p["column"]) for p in self.problems(response)],
            [("HocVien", 2, "Ngày sinh (D)"), ("HocVien", 4, "Mã lớp (A)")],
        )
        self.assertContains(response, 'id="problems"')
        self.assertContains(response, _("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": "31/04/1990"})
        self.assertContains(response, "Ngày sinh (D)")

    def test_missing_file_and_wrong_kind_of_file_never_fail(self):
        self.login(self.office)
        response = self.client.post(self.url, {})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["workbook"])
        for content, name in ((b"Ma lop,Ten lop\n", "lop.csv"), (b"%PDF-1.4", "lop.xlsx"), (b"", "lop.xlsx")):
            response = self.client.post(self.url, {"workbook": upload(content, name)}, follow=True)
            self.assertEqual(response.status_code, 200)
            # An empty file is refused by the form; the others by the import, on the job's page.
            self.assertTrue(response.context.get("form") or self.problems(response))
        self.assertEqual(self.counts(), (0, 0, 0))

    @override_settings(DAOTAO_MAX_IMPORT_BYTES=2000)
    def test_too_large_file(self):
        self.login(self.office)
        content = workbook([cohort_row()], [student_row()])
        response = self.client.post(self.url, {"workbook": upload(content)}, follow=True)
        self.assertEqual(len(self.problems(response)), 1)
        self.assertEqual(self.counts(), (0, 0, 0))

    def test_only_the_training_office_may_import(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('login')}?next={self.url}")
        for user in (self.coordinator, self.board, self.nobody):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            content = workbook([cohort_row("A")], [student_row("A")])
            self.assertEqual(self.client.post(self.url, {"workbook": upload(content)}).status_code, 403)
        self.assertEqual(self.counts(), (0, 0, 0))
        self.login(self.superuser)
        self.assertEqual(self.client.get(self.url).status_code, 200)


class TemplateDownloadTests(WorldTestCase):
    url = reverse("cohorts:import_template")

    def test_staff_download_the_template(self):
        for user in (self.office, self.coordinator):
            self.client.force_login(user)
            response = self.client.get(self.url)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response["Content-Type"], XLSX_CONTENT_TYPE)
            self.assertIn("attachment", response["Content-Disposition"])
            book = openpyxl.load_workbook(io.BytesIO(response.content))
            self.assertEqual(book.sheetnames, ["Lop", "HocVien", "HuongDan"])

    def test_others_may_not(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('login')}?next={self.url}")
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get(self.url).status_code, 403)
