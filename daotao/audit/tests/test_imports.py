"""The audit of imports (``daotao.audit.imports``): every entry point, page or command, leaves
one ``ImportRecord`` in the import's own transaction, with who, the file kept once per
checksum, and the rows created and updated; a refused file leaves a refused record and no
data; the stored file reaches only the training office, never by its storage address."""

from __future__ import annotations

import hashlib
import io
import tempfile
from pathlib import Path
from unittest import mock

from django.contrib.admin.sites import site
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.test import RequestFactory
from django.urls import reverse

from daotao.audit import imports
from daotao.audit.imports import ImportChannel, ImportKind, imported, keep
from daotao.audit.models import ImportOutcome, ImportRecord
from daotao.cohorts.importing import cohorts_import
from daotao.cohorts.models import Cohort, Enrollment
from daotao.cohorts.tests.workbooks import cohort_row, student_row, workbook
from daotao.lib.xlsx import CONTENT_TYPE
from daotao.onboarding.tests.test_import_people import account
from daotao.onboarding.tests.test_import_people import workbook as people_workbook
from daotao.onboarding.tests.test_import_units import unit
from daotao.onboarding.tests.test_import_units import workbook as units_workbook
from daotao.org.models import Unit
from daotao.people.models import Student
from daotao.planning.models import AnnualPlan, Quota
from daotao.planning.tests.base import workbook as quotas_workbook
from daotao.testing import WorldTestCase
from daotao.web.import_results import ImportProblem, ImportRejected

GOOD = workbook([cohort_row("A")], [student_row("A"), student_row("A", "Lê Thị Mai")])
BAD = workbook([cohort_row("A")], [student_row("A", **{"Ngày sinh": "31/04/1990"})])


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def upload(content: bytes, name: str = "lop-k25.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=CONTENT_TYPE)


def stored(record: ImportRecord) -> bytes:
    with default_storage.open(record.file.name, "rb") as handle:
        return handle.read()


class ImportAuditTestCase(WorldTestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)
        self.enterContext(self.settings(MEDIA_ROOT=str(self.folder / "media")))  # files of this test alone

    def file(self, content: bytes, name: str = "lop.xlsx") -> str:
        path = self.folder / name
        path.write_bytes(content)
        return str(path)

    def only_record(self) -> ImportRecord:
        records = list(ImportRecord.objects.all())
        self.assertEqual(len(records), 1, records)
        return records[0]

    def assertRecord(self, record, content, *, kind, user, name, outcome=ImportOutcome.DONE, created=0, updated=0,
                     dry_run=False, channel=ImportChannel.WEB):  # fmt: skip
        self.assertEqual(
            (record.kind, record.user, record.file_name, record.outcome, record.dry_run, record.channel),
            (kind, user, name, outcome, dry_run, channel),
        )
        self.assertEqual((record.sha256, record.size), (sha256(content), len(content)))
        self.assertEqual(stored(record), content)
        self.assertEqual((record.created, record.updated), (created, updated))


class HelperTests(ImportAuditTestCase):
    def test_an_import_is_recorded_with_its_counts_in_its_transaction(self):
        path = self.file(GOOD)
        with imported(ImportKind.COHORTS, self.office, path, name="C:\\Users\\vp\\lop k25.xlsx") as audit:
            audit.done(cohorts_import(path))
        record = self.only_record()
        self.assertRecord(record, GOOD, kind=ImportKind.COHORTS, user=self.office, name="lop k25.xlsx", created=5)
        self.assertEqual(record.username, "office")
        self.assertEqual(record.counts["students"], {"created": 2, "updated": 0, "unchanged": 0})
        self.assertEqual(record.counts["cohorts"]["created"], 1)
        self.assertTrue(record.file.name.startswith("imports/"), record.file.name)
        self.assertTrue(record.file.name.endswith(f"{sha256(GOOD)}.xlsx"))

    def test_the_same_bytes_are_kept_once(self):
        for _ in range(2):
            path = self.file(GOOD)
            with imported(ImportKind.COHORTS, self.office, path) as audit:
                audit.done(cohorts_import(path))
        first, second = ImportRecord.objects.order_by("pk")
        self.assertEqual(first.file.name, second.file.name)
        self.assertEqual((second.created, second.unchanged), (0, 5))
        kept = list((Path(default_storage.location) / Path(first.file.name).parent).iterdir())
        self.assertEqual([p.name for p in kept if p.name.startswith(sha256(GOOD))], [f"{sha256(GOOD)}.xlsx"])

    def test_a_refused_file_writes_nothing_and_is_recorded_refused(self):
        path = self.file(BAD)
        with self.assertRaises(ImportRejected), imported(ImportKind.COHORTS, self.office, path) as audit:
            audit.done(cohorts_import(path))
        self.assertEqual((Cohort.objects.count(), Student.objects.count()), (0, 0))
        record = self.only_record()
        self.assertRecord(record, BAD, kind=ImportKind.COHORTS, user=self.office, name="lop.xlsx",
                          outcome=ImportOutcome.REFUSED)  # fmt: skip
        self.assertEqual((record.problems, record.unchanged, record.counts), (1, 0, {}))

    def test_a_refused_file_leaves_the_copy_of_the_same_bytes_another_import_names(self):
        path = self.file(GOOD)
        other = keep(GOOD)  # another import of the same bytes, still in its transaction
        with self.assertRaises(ImportRejected), imported(ImportKind.COHORTS, self.office, path):
            raise ImportRejected([ImportProblem("a problem")])
        self.assertTrue(default_storage.exists(other.name))

    def test_when_the_record_cannot_be_written_the_import_is_undone(self):
        path = self.file(GOOD)
        with mock.patch.object(ImportRecord.objects, "create", side_effect=DatabaseError("disk full")):
            with self.assertRaises(DatabaseError), imported(ImportKind.COHORTS, self.office, path) as audit:
                audit.done(cohorts_import(path))
        self.assertEqual((Cohort.objects.count(), Enrollment.objects.count(), ImportRecord.objects.count()), (0, 0, 0))

    def test_a_failed_import_is_recorded_failed(self):
        path = self.file(GOOD)
        with self.assertRaises(ValueError), imported(ImportKind.COHORTS, self.office, path):
            cohorts_import(path)
            raise ValueError("a bug")
        self.assertEqual(Cohort.objects.count(), 0)
        self.assertEqual(self.only_record().outcome, ImportOutcome.FAILED)

    def test_an_import_that_reports_nothing_is_a_bug(self):
        path = self.file(GOOD)
        with self.assertRaises(RuntimeError), imported(ImportKind.COHORTS, self.office, path):
            cohorts_import(path)
        self.assertEqual(Cohort.objects.count(), 0)

    def test_a_command_names_the_operator(self):
        path = self.file(GOOD)
        with mock.patch.object(imports, "operator", return_value="deploy"):
            with imported(ImportKind.COHORTS, None, path, channel=ImportChannel.COMMAND) as audit:
                audit.done(updated=3)
        record = self.only_record()
        self.assertEqual((record.user, record.username, record.updated), (None, "system (deploy)", 3))


class EntryPointTests(ImportAuditTestCase):
    """Each page and command records its import: the user, the file and its counts."""

    def run_command(self, *args):
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())

    def test_class_page(self):
        self.client.force_login(self.office)
        for content, data in ((GOOD, {"dry_run": "on"}), (GOOD, {}), (BAD, {})):
            self.client.post(reverse("cohorts:import"), {"workbook": upload(content), **data})
        checked, done, refused = ImportRecord.objects.order_by("pk")
        self.assertRecord(checked, GOOD, kind=ImportKind.COHORTS, user=self.office, name="lop-k25.xlsx", created=5,
                          dry_run=True)  # fmt: skip
        self.assertRecord(done, GOOD, kind=ImportKind.COHORTS, user=self.office, name="lop-k25.xlsx", created=5)
        self.assertRecord(refused, BAD, kind=ImportKind.COHORTS, user=self.office, name="lop-k25.xlsx",
                          outcome=ImportOutcome.REFUSED)  # fmt: skip
        self.assertEqual(Cohort.objects.count(), 1)

    def test_class_command(self):
        path = self.file(GOOD, "lop-cmd.xlsx")
        self.run_command("import_cohorts", path)
        with self.assertRaises(CommandError):
            self.run_command("import_cohorts", self.file(BAD, "sai.xlsx"))
        done, refused = ImportRecord.objects.order_by("pk")
        self.assertRecord(done, GOOD, kind=ImportKind.COHORTS, user=None, name="lop-cmd.xlsx", created=5,
                          channel=ImportChannel.COMMAND)  # fmt: skip
        self.assertTrue(done.username.startswith("system"))
        self.assertRecord(refused, BAD, kind=ImportKind.COHORTS, user=None, name="sai.xlsx",
                          outcome=ImportOutcome.REFUSED, channel=ImportChannel.COMMAND)  # fmt: skip

    def test_units_page_and_command(self):
        content = units_workbook([unit("X-MOI", "Xã Mới", "Cấp xã", "H01")])
        self.client.force_login(self.office)
        self.client.post(reverse("onboarding:units-import"), {"workbook": upload(content, "don-vi.xlsx")})
        self.run_command("import_units", self.file(content, "don-vi.xlsx"))
        page, command = ImportRecord.objects.order_by("pk")
        self.assertRecord(page, content, kind=ImportKind.UNITS, user=self.office, name="don-vi.xlsx", created=1)
        self.assertRecord(command, content, kind=ImportKind.UNITS, user=None, name="don-vi.xlsx",
                          channel=ImportChannel.COMMAND)  # fmt: skip
        self.assertEqual((command.unchanged, Unit.objects.filter(code="X-MOI").count()), (1, 1))

    def test_people_command(self):
        content = people_workbook(accounts=[account("moi.tk", "Nguyễn Văn Mới", "Giảng viên")])
        self.run_command("import_people", self.file(content, "nguoi.xlsx"), "--dry-run")
        record = self.only_record()
        self.assertRecord(record, content, kind=ImportKind.PEOPLE, user=None, name="nguoi.xlsx", created=1,
                          dry_run=True, channel=ImportChannel.COMMAND)  # fmt: skip

    def test_quota_page(self):
        AnnualPlan.objects.create(year=2026)
        content = quotas_workbook(("TC-LLCT-HC", "H01", "self_funded", 1, 30))
        self.client.force_login(self.office)
        self.client.post(reverse("planning:import", args=[2026]), {"workbook": upload(content, "chi-tieu.xlsx")})
        record = self.only_record()
        self.assertRecord(record, content, kind=ImportKind.QUOTAS, user=self.office, name="chi-tieu.xlsx", created=1)
        self.assertEqual((record.counts, Quota.objects.count()), ({"lines": {"created": 1, "updated": 0,
                                                                             "unchanged": 0}}, 1))  # fmt: skip
        self.assertIn("2026", record.target)


class StoredFileTests(ImportAuditTestCase):
    def setUp(self):
        super().setUp()
        path = self.file(GOOD)
        with imported(ImportKind.COHORTS, self.office, path, name="lớp K25.xlsx") as audit:
            audit.done(cohorts_import(path))
        self.record = self.only_record()
        self.url = reverse("audit:import_file", args=[self.record.pk])

    def test_the_office_downloads_the_file_as_it_was_sent(self):
        self.client.force_login(self.office)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), GOOD)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertIn("K25.xlsx", response["Content-Disposition"])

    def test_no_one_else_downloads_it(self):
        for user in (self.coordinator, self.board, self.nobody):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403, user)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)  # to the sign-in page

    def test_the_file_is_not_served_by_its_storage_address(self):
        self.client.force_login(self.office)
        for debug in (False, True):
            with self.settings(DEBUG=debug):
                self.assertEqual(self.client.get(f"/media/{self.record.file.name}").status_code, 404)

    def test_a_missing_record_or_file_is_not_found(self):
        self.client.force_login(self.office)
        self.assertEqual(self.client.get(reverse("audit:import_file", args=[self.record.pk + 1])).status_code, 404)
        default_storage.delete(self.record.file.name)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_the_admin_shows_records_and_changes_none(self):
        admin = site._registry[ImportRecord]
        request = RequestFactory().get("/")
        request.user = self.superuser
        self.assertFalse(admin.has_add_permission(request))
        self.assertFalse(admin.has_change_permission(request, self.record))
        self.assertFalse(admin.has_delete_permission(request, self.record))
        self.assertIn(self.url, admin.download(self.record))
        self.client.force_login(self.superuser)
        page = self.client.get(reverse("admin:audit_importrecord_change", args=[self.record.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, self.url)
        self.assertContains(page, self.record.sha256)


class OversizedFileTests(ImportAuditTestCase):
    def test_a_file_over_the_limit_is_refused_and_not_kept(self):
        path = self.file(GOOD)
        with self.settings(DAOTAO_MAX_IMPORT_BYTES=len(GOOD) - 1):
            with self.assertRaises(ImportRejected), imported(ImportKind.COHORTS, self.office, path) as audit:
                audit.done(cohorts_import(path))
        record = self.only_record()
        self.assertEqual((record.outcome, record.file.name, record.sha256), (ImportOutcome.REFUSED, "", sha256(GOOD)))
        self.assertFalse(default_storage.exists(f"imports/{record.at.year}/{sha256(GOOD)}.xlsx"))
