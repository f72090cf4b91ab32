"""Two imports of the same school's package for the same period at once (real threads, each
with its own database connection, on SQLite and PostgreSQL): both succeed, one after the
other, and one package is left, never two and never a database error."""

from django.test import TransactionTestCase

from daotao.academy import importing, synthetic
from daotao.academy.models import FigureLine, FiguresPackage
from daotao.academy.tests.helpers import ACADEMY, NORTH, register, year_package
from daotao.testing import overlapping, run_at_once


@ACADEMY
class ConcurrentImportTests(TransactionTestCase):
    def setUp(self):
        self.school, self.key = register("BAN", "Trường Chính trị tỉnh Bắc An", "Bắc An")

    def test_the_same_period_twice_at_once(self):
        first = synthetic.file_bytes(year_package(self.key, self.school, NORTH))
        second = synthetic.file_bytes(year_package(self.key, self.school, NORTH[:2]))
        # Both meet just before writing, unless the school's lock keeps the second waiting.
        with overlapping(importing, "_write"):
            results, errors = run_at_once(importing.package_import, [first, second])
        self.assertEqual(errors, [])
        self.assertEqual(sorted((r.created, r.updated) for r in results), [(0, 1), (1, 0)])
        package = FiguresPackage.objects.get()
        lines = NORTH if package.content == year_package(self.key, self.school, NORTH) else NORTH[:2]
        self.assertEqual(FigureLine.objects.count(), len(synthetic.lines_of(lines)))
