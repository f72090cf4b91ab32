"""``export_figures``: the school's signed figures package of a period, for the Academy
(docs/figures-format.md).

    python manage.py export_figures --from 2020-01-01 --to 2020-12-31 --output figures-2020.json

Counted as the operator (``accounts.scope.SYSTEM``), signed with the school's key
(``DAOTAO_FIGURES_KEY_FILE``); ``--output -`` writes the file to the standard output (and
the summary to the standard error).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daotao.lib.vietnamese import format_int
from daotao.national.signing import FiguresError, figures_file, file_bytes, write_file
from daotao.reports.engine import ReportInputError
from daotao.reports.management.commands.cohort_stats import _date as parse_day


class Command(BaseCommand):
    help = _(
        "Write the school's figures package of a period for the national Academy: the counted figures, "
        "no personal data, signed with the school's key."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help=_("First day of the period (required)."))
        parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help=_("Last day of the period (required)."))
        parser.add_argument(
            "--output", metavar="FILE.json", help=_("The file to write (required); - writes to the standard output.")
        )

    def handle(self, *args, **options):
        if not options["output"]:
            raise CommandError(_("--output: give the file to write, or - for the standard output."))
        try:
            document = figures_file(parse_day(options["start"], "from"), parse_day(options["end"], "to"))
        except ReportInputError as error:
            raise CommandError(f"--{error.field}: {error.message}") from error
        except FiguresError as error:
            raise CommandError(str(error)) from error
        summary = self.stdout
        if options["output"] == "-":
            self.stdout.write(file_bytes(document).decode("utf-8"), ending="")
            summary = self.stderr
        else:
            try:
                write_file(document, Path(options["output"]))
            except FiguresError as error:
                raise CommandError(str(error)) from error
        package = document["package"]
        lines = len(package["lines"])
        programs = len(package["programs"])
        summary.write(
            ngettext("%(count)s line", "%(count)s lines", lines) % {"count": format_int(lines)}
            + ", "
            + ngettext("%(count)s program", "%(count)s programs", programs) % {"count": format_int(programs)}
            + ", "
            + _("signed with the key %(id)s.") % {"id": document["signature"]["key_id"]}
        )
