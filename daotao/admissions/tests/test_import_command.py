"""python manage.py import_applications FILE.xlsx --year N [--dry-run] [--user NAME]"""

import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.utils.translation import gettext as _

from daotao.admissions.models import Application
from daotao.admissions.tests.workbooks import nomination, workbook
from daotao.admissions.tests.world import YEAR, AdmissionsTestCase


class ImportCommandTests(AdmissionsTestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def file(self, rows) -> str:
        path = self.folder / "ho-so.xlsx"
        path.write_bytes(workbook(rows))
        return str(path)

    def call(self, *args):
        out, err = io.StringIO(), io.StringIO()
        call_command("import_applications", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_imports_and_prints_the_counts_and_a_progress_bar(self):
        out, err = self.call(self.file([nomination(), nomination("Lê Thị Hoa", gender="female")]), "--year", str(YEAR))
        self.assertEqual(Application.objects.count(), 2)
        self.assertIn(_("Import finished."), out)
        counts = {"created": "2", "updated": "0", "unchanged": "0"}
        self.assertIn(
            _("Nominations: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % counts, out
        )
        self.assertIn("[##############################] 100%", err)

    def test_dry_run_writes_nothing(self):
        out, _err = self.call(self.file([nomination()]), "--year", str(YEAR), "--dry-run")
        self.assertIn(_("The file is valid; nothing was written (check only)."), out)
        self.assertEqual(Application.objects.count(), 0)

    def test_problems_go_to_stderr_with_a_failure(self):
        err = io.StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command(
                "import_applications", self.file([nomination(**{"Ngày sinh": "x"})]), "--year", str(YEAR), stderr=err
            )
        self.assertIn("HoSo", err.getvalue())
        self.assertIn("Ngày sinh (H)", err.getvalue())
        self.assertIn("1", str(caught.exception))
        self.assertEqual(Application.objects.count(), 0)

    def test_as_a_user_within_their_scope(self):
        path = self.file([nomination(**{"Mã địa phương": "H02"})])
        with self.assertRaises(CommandError):
            self.call(path, "--year", str(YEAR), "--user", self.coordinator.username)
        self.call(path, "--year", str(YEAR), "--user", self.other_coordinator.username)
        self.assertEqual(Application.objects.get().submitted_by, self.other_coordinator)

    def test_unknown_user_file_or_year(self):
        path = self.file([nomination()])
        for args in ((path, "--year", str(YEAR), "--user", "ghost"), ("/nope.xlsx", "--year", str(YEAR))):
            with self.assertRaises(CommandError):
                self.call(*args)
        with self.assertRaises(CommandError):
            self.call(path, "--year", "2031")
        self.assertEqual(Application.objects.count(), 0)
