from django.utils.translation import gettext as _

from daotao.accounts.scope import SYSTEM
from daotao.audit.imports import ImportChannel, ImportKind, imported
from daotao.onboarding.importing.people import people_import
from daotao.web.import_command import WorkbookImportCommand


class Command(WorkbookImportCommand):
    help = _(
        "Import the lecturers (sheet GiangVien) and user accounts (sheet TaiKhoan) from an .xlsx workbook: every "
        "row or none. New accounts are sent a link to choose their password. See docs/onboarding.md."
    )

    def run(self, path, *, dry_run):
        # As the operator: the import's own check of the user's role does not apply.
        with imported(ImportKind.PEOPLE, SYSTEM, path, dry_run=dry_run, channel=ImportChannel.COMMAND) as audit:
            return audit.done(people_import(path, user=SYSTEM, dry_run=dry_run))
