"""The management command of a workbook import: ``FILE`` and ``--dry-run``; the problems of
a refused file on standard error (one a line, at most ``LISTED``) and a failing exit, or the
counts of what was (or would be) written."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.web.import_results import ImportRejected


class WorkbookImportCommand(BaseCommand):
    def run(self, path: Path, *, dry_run: bool):
        """Import the workbook at ``path``: a result with ``lines()``, or ImportRejected."""
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The .xlsx workbook to import."))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Check the file and count the changes, but write nothing.")
        )

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            result = self.run(path, dry_run=dry_run)
        except ImportRejected as rejected:
            self.stderr.write(str(rejected))  # one line per problem, at most 200, and how many more
            raise CommandError(rejected.summary()) from None
        head, *counts = result.lines()
        self.stdout.write(self.style.SUCCESS(head))
        for line in counts:
            self.stdout.write(line)
