from django.utils.translation import gettext as _

from daotao.accounts.scope import SYSTEM
from daotao.audit.imports import ImportChannel, ImportKind, imported
from daotao.onboarding.importing.units import units_import
from daotao.web.import_command import WorkbookImportCommand


class Command(WorkbookImportCommand):
    help = _(
        "Import the units (province, school, localities, political centres, agencies) from an .xlsx workbook "
        "(sheet DonVi): every row or none. See docs/onboarding.md."
    )

    def run(self, path, *, dry_run):
        # As the operator: the import's own check of the user's role does not apply.
        with imported(ImportKind.UNITS, SYSTEM, path, dry_run=dry_run, channel=ImportChannel.COMMAND) as audit:
            return audit.done(units_import(path, user=SYSTEM, dry_run=dry_run))
