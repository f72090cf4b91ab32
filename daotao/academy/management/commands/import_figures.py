"""``import_figures``: import schools' figures packages at the Academy.

    python manage.py import_figures DNA-2020.json [HCM-2020.json …] [--dry-run]

Each file is checked whole (its format, every field, the signature against the school's
registered key, the totals) and imported in one transaction, replacing the school's earlier
package for the same period, or refused with nothing written (``academy/importing.py``).
Every file sent is recorded in the audit of imports. The command fails when any file was
refused, after trying them all.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daotao.academy.access import check_academy_command
from daotao.academy.importing import figures_import
from daotao.lib.vietnamese import format_int
from daotao.web.import_results import ImportRejected


class Command(BaseCommand):
    help = _(
        "Import schools' figures packages (.json, signed): each file checked whole and imported in one "
        "transaction, replacing the school's earlier package for the same period, or refused with nothing written."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help=_("The packages to import (.json)."))
        parser.add_argument("--dry-run", action="store_true", help=_("Check the files, but write nothing."))

    def handle(self, *args, files, dry_run, **options):
        check_academy_command()
        refused = 0
        for name in files:
            path = Path(name)
            if not path.is_file():
                if len(files) == 1:
                    raise CommandError(_("%(file)s: no such file.") % {"file": name})
                self.stderr.write(_("%(file)s: no such file.") % {"file": name})
                refused += 1
                continue
            try:
                result = figures_import(path, dry_run=dry_run)
            except ImportRejected as rejected:
                if len(files) == 1:
                    raise CommandError(
                        _("%(file)s: refused, nothing was written.") % {"file": name} + "\n" + str(rejected)
                    ) from None
                refused += 1
                self.stderr.write(_("%(file)s: refused, nothing was written.") % {"file": name})
                for line in rejected.lines():
                    self.stderr.write(f"  {line}")
                continue
            self.stdout.write(self.style.SUCCESS(f"{name}: {result.message()}"))
        if refused:
            raise CommandError(
                ngettext(
                    "%(count)s of %(total)s files was refused.",
                    "%(count)s of %(total)s files were refused.",
                    refused,
                )
                % {"count": format_int(refused), "total": format_int(len(files))}
            )
