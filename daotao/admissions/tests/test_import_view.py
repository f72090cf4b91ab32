"""The nomination import pages: upload, the job's progress page, the template workbook.
The job's page itself (polling, another user's job, a dead worker) is tested in
daotao/web/tests/test_jobs.py."""

import io
import time

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from django.utils.translation import gettext as _

from daotao.accounts import roles
from daotao.admissions import presets
from daotao.admissions.importing import NOMINATIONS
from daotao.admissions.models import Application
from daotao.admissions.tests.workbooks import HOSO, nomination, workbook
from daotao.admissions.tests.world import YEAR, AdmissionsTestCase
from daotao.org.models import UnitKind
from daotao.planning.models import AnnualPlan
from daotao.programs.models import Program
from daotao.testing import PROGRAMS, make_unit, make_user

URL = reverse("admissions:import")


def upload(content: bytes, name: str = "ho-so.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@override_settings(DAOTAO_IMPORT_INLINE=True)
class ImportPageTests(AdmissionsTestCase):
    def post(self, content: bytes, user=None, *, follow=False, **data):
        self.client.force_login(user or self.office)
        return self.client.post(URL, {"year": YEAR, "workbook": upload(content), **data}, follow=follow)

    def test_form_offers_the_plan_years_and_the_template(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(URL)
        self.assertContains(response, f'<option value="{YEAR}" selected>{YEAR}</option>', html=True)
        self.assertContains(response, reverse("admissions:import-template"))

    def test_who_may_open_the_page(self):
        self.assertRedirects(self.client.get(URL), f"{reverse('login')}?next={URL}", fetch_redirect_response=False)
        for user, status in ((self.nobody, 403), (self.board, 403), (self.agency_user, 200), (self.office, 200)):
            self.client.force_login(user)
            self.assertEqual(self.client.get(URL).status_code, status, user)

    def test_a_good_file_is_imported_and_the_counts_shown(self):
        response = self.post(workbook([nomination(), nomination("Lê Thị Hoa", gender="female")]), follow=True)
        self.assertEqual(Application.objects.count(), 2)
        counts = {"created": "2", "updated": "0", "unchanged": "0"}
        line = _("Nominations: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % counts
        self.assertContains(response, line)
        self.assertNotContains(response, "hx-trigger")  # done: no more polling

    def test_check_only_writes_nothing(self):
        response = self.post(workbook([nomination()]), dry_run="on", follow=True)
        self.assertEqual(Application.objects.count(), 0)
        self.assertContains(response, _("The file is valid; nothing was written (check only)."))

    def test_every_broken_workbook_lists_its_problems_and_never_a_server_error(self):
        def formula(sheet):
            sheet["G2"] = "=A1"

        def merged(sheet):
            sheet.merge_cells("B2:C2")

        corpus = {
            "missing header": workbook([nomination()], columns=[h for h in HOSO if h != "Số CCCD"]),
            "bad date": workbook([nomination(**{"Ngày sinh": "32/13/1985"})]),
            "bad national ID": workbook([nomination(nid="0520860000")]),
            "duplicate national ID": workbook([nomination(nid="052086000123"), nomination(nid="052086000123")]),
            "unknown program": workbook([nomination(**{"Mã chương trình": "XX"})]),
            "unknown locality": workbook([nomination(**{"Mã địa phương": "H99"})]),
            "formula": workbook([nomination()], edit=formula),
            "merged": workbook([nomination()], edit=merged),
            "empty sheet": workbook([], columns=[]),
            "not xlsx": b"PK\x03\x04 not really a zip",
            "other sheet": workbook([nomination()], sheet="Sheet1"),
        }
        for name, content in corpus.items():
            with self.subTest(name):
                response = self.post(content, follow=True)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'id="problems"')
                self.assertEqual(Application.objects.count(), 0)

    @override_settings(DAOTAO_MAX_IMPORT_BYTES=1_000)
    def test_a_file_too_large(self):
        response = self.post(workbook([nomination()]), follow=True)
        self.assertContains(response, 'id="problems"')

    def test_a_coordinators_row_for_another_locality_names_the_row(self):
        rows = [nomination(), nomination("Lê Thị Hoa", gender="female", **{"Mã địa phương": "H02"})]
        response = self.post(workbook(rows), user=self.coordinator, follow=True)
        self.assertContains(response, "<td>Mã địa phương (D)</td>", html=True)
        self.assertContains(response, '<td class="num">3</td>', html=True)
        self.assertEqual(Application.objects.count(), 0)

    def test_a_missing_file_or_year_redisplays_the_form(self):
        self.client.force_login(self.office)
        response = self.client.post(URL, {"year": 1999})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)

    def test_the_progress_page_of_someone_else_is_not_found(self):
        response = self.post(workbook([nomination()]))
        progress = response["Location"]
        self.client.force_login(self.coordinator)
        self.assertEqual(self.client.get(progress).status_code, 404)
        self.assertEqual(self.client.get(reverse("job", args=["nope"])).status_code, 404)

    def test_template_workbook_is_generated_from_the_columns(self):
        self.client.force_login(self.agency_user)
        response = self.client.get(reverse("admissions:import-template"))
        self.assertEqual(response.status_code, 200)
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["HoSo", "HuongDan"])
        self.assertEqual([c.value for c in book["HoSo"][1]], [c.header for c in NOMINATIONS.columns])

    def test_the_filled_template_imports(self):
        self.client.force_login(self.office)
        content = self.client.get(reverse("admissions:import-template")).content
        self.post(content, follow=True)
        self.assertEqual(Application.objects.count(), 1)


class ThreadedImportTests(TransactionTestCase):
    """The real path: the import runs in a thread with its own connection, the page polls."""

    def test_the_job_runs_in_the_background_and_finishes(self):
        province = make_unit("BA", "Tỉnh Bình An", UnitKind.PROVINCE)
        make_unit("H01", "Thành phố Bình An", UnitKind.DISTRICT, province)
        code, name, kind, category = PROGRAMS[0]
        Program.objects.create(code=code, name=name, kind=kind, category=category)
        presets.install()
        AnnualPlan.objects.create(year=YEAR)
        office = make_user("office", roles.TRAINING_OFFICE)
        self.client.force_login(office)
        with self.settings(DAOTAO_IMPORT_INLINE=False):  # the tests run jobs inline otherwise
            response = self.client.post(URL, {"year": YEAR, "workbook": upload(workbook([nomination()]))})
        progress = response["Location"]
        for _attempt in range(100):
            page = self.client.get(progress, headers={"HX-Request": "true"})
            if b"hx-trigger" not in page.content:
                break
            time.sleep(0.1)
        self.assertNotContains(page, "hx-trigger")
        self.assertEqual(Application.objects.count(), 1)
