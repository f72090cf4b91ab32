from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.accounts.scope import SYSTEM
from daotao.onboarding.importing.history import history_import
from daotao.web.import_results import ImportRejected


class Command(BaseCommand):
    help = _(
        "Import the past records (results and graduation decisions of past classes, the register of diplomas "
        "and certificates) from an .xlsx workbook (sheets KetQua and VanBang), after the classes: every row or "
        "none. See docs/onboarding.md."
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
            result = history_import(path, user=SYSTEM, dry_run=dry_run)
        except ImportRejected as rejected:
            self.stderr.write(str(rejected))  # one line per problem, at most 200, and how many more
            raise CommandError(rejected.summary()) from None
        head, *counts = result.lines()
        self.stdout.write(self.style.SUCCESS(head))
        for line in counts:
            self.stdout.write(line)
