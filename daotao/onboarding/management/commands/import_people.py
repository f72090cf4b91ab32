from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.accounts.scope import SYSTEM
from daotao.onboarding.importing.people import people_import
from daotao.web.import_results import ImportRejected


class Command(BaseCommand):
    help = _(
        "Import the lecturers (sheet GiangVien) and user accounts (sheet TaiKhoan) from an .xlsx workbook: every "
        "row or none. New accounts are sent a link to choose their password. See docs/onboarding.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The .xlsx workbook to import."))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Check the file and count the changes, but write nothing.")
        )

    def handle(self, *args, file, dry_run, **options):
        if not Path(file).is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        try:
            # As the operator: the import's own check of the user's role does not apply.
            headline, *details = people_import(file, user=SYSTEM, dry_run=dry_run).lines()
        except ImportRejected as rejected:
            self.stderr.write("\n".join(rejected.lines()))
            raise CommandError(rejected.summary()) from None
        self.stdout.write(self.style.SUCCESS(headline))
        self.stdout.write("\n".join(details))
