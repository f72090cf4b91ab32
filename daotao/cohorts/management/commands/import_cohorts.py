from django.utils.translation import gettext as _

from daotao.audit.imports import ImportChannel, ImportKind, imported
from daotao.cohorts.importing import cohorts_import
from daotao.web.import_command import WorkbookImportCommand


class Command(WorkbookImportCommand):
    help = _(
        "Import classes and their students from an .xlsx workbook (sheets Lop and HocVien): "
        "every row or none. See docs/import-format.md."
    )

    def run(self, path, *, dry_run):
        with imported(ImportKind.COHORTS, None, path, dry_run=dry_run, channel=ImportChannel.COMMAND) as audit:
            return audit.done(cohorts_import(path, dry_run=dry_run))
