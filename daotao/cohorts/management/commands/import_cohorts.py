from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daotao.cohorts.importing import ImportRejected, cohorts_import
from daotao.lib.vietnamese import format_int


class Command(BaseCommand):
    help = _(
        "Import classes and their students from an .xlsx workbook (sheets Lop and HocVien): "
        "every row or none. See docs/import-format.md."
    )

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
            result = cohorts_import(path, dry_run=dry_run)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            count = len(rejected.problems)
            raise CommandError(
                ngettext(
                    "Nothing was imported: %(shown)s problem found.",
                    "Nothing was imported: %(shown)s problems found.",
                    count,
                )
                % {"shown": format_int(count)}
            ) from None
        head, *counts = result.lines()
        self.stdout.write(self.style.SUCCESS(head))
        for line in counts:
            self.stdout.write(line)
