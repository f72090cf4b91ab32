"""``manage.py import_cohorts FILE [--dry-run]``."""

import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daotao.cohorts.models import Cohort, Enrollment
from daotao.cohorts.tests.workbooks import cohort_row, student_row, workbook
from daotao.people.models import Student
from daotao.testing import WorldTestCase


class ImportCommandTests(WorldTestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def file(self, content: bytes, name: str = "lop.xlsx") -> str:
        path = self.folder / name
        path.write_bytes(content)
        return str(path)

    def run_command(self, *args):
        out, err = io.StringIO(), io.StringIO()
        call_command("import_cohorts", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def counts(self):
        return Cohort.objects.count(), Student.objects.count(), Enrollment.objects.count()

    def test_imports_and_prints_the_counts(self):
        path = self.file(workbook([cohort_row("A")], [student_row("A"), student_row("A", "Lê Thị Mai")]))
        out, _err = self.run_command(path)
        self.assertEqual(self.counts(), (1, 2, 2))
        self.assertIn(_("Import finished."), out)
        created = _("Students: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        self.assertIn(created % {"created": 2, "updated": 0, "unchanged": 0}, out)

        out, _err = self.run_command(path)  # the same file again: nothing new
        self.assertEqual(self.counts(), (1, 2, 2))
        self.assertIn(created % {"created": 0, "updated": 0, "unchanged": 2}, out)

    def test_dry_run_writes_nothing(self):
        out, _err = self.run_command(self.file(workbook([cohort_row("A")], [student_row("A")])), "--dry-run")
        self.assertEqual(self.counts(), (0, 0, 0))
        self.assertIn(_("The file is valid; nothing was written (check only)."), out)

    def test_bad_file_lists_every_problem_and_fails(self):
        rows = [student_row("A"), student_row("A", **{"Ngày sinh": "30/02/1990"}), student_row("B")]
        path = self.file(workbook([cohort_row("A")], rows))
        err = io.StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command("import_cohorts", path, stdout=io.StringIO(), stderr=err)
        self.assertEqual(self.counts(), (0, 0, 0))
        message = ngettext(
            "Nothing was imported: %(shown)s problem found.", "Nothing was imported: %(shown)s problems found.", 2
        )
        self.assertEqual(str(caught.exception), message % {"shown": 2})
        lines = err.getvalue().splitlines()
        self.assertEqual(len(lines), 2)
        self.assertIn("HocVien", lines[0])
        self.assertIn("Ngày sinh (D)", lines[0])
        self.assertIn("30/02/1990", lines[0])
        self.assertIn("Mã lớp (A)", lines[1])

    def test_at_most_200_problems_are_printed_with_the_count_of_the_others(self):
        rows = [student_row("A", **{"Ngày sinh": "30/02/1990"}) for _ in range(230)]
        err = io.StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command("import_cohorts", self.file(workbook([cohort_row("A")], rows)), stderr=err)
        self.assertEqual(str(caught.exception), "Chưa nhập dữ liệu nào: phát hiện 230 lỗi.")
        lines = err.getvalue().splitlines()
        self.assertEqual(len(lines), 201)
        self.assertIn("dòng 201,", lines[199])
        self.assertEqual(lines[200], "… và 30 lỗi khác.")

    def test_not_a_workbook(self):
        with self.assertRaises(CommandError):
            self.run_command(self.file(b"not a workbook", "lop.csv"))
        with self.assertRaises(CommandError):
            self.run_command(str(self.folder / "missing.xlsx"))
        self.assertEqual(self.counts(), (0, 0, 0))
