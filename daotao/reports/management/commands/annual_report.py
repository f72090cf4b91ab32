"""``annual_report``: the yearly report as text, JSON, .xlsx, .docx or PDF.

    python manage.py annual_report --year 2020
    python manage.py annual_report --year 2020 --format json
    python manage.py annual_report --year 2020 --format docx --output bao-cao-2020.docx
    python manage.py annual_report --year 2020 --format pdf --output bao-cao-2020.pdf
    python manage.py annual_report --year 2020 --format xlsx --output - > bao-cao-2020.xlsx

Built by ``annual.annual_report`` like the page and the downloads, run as the operator
(``accounts.scope.SYSTEM``): the whole school's figures. ``period_report`` is the same
command over any dates (``--from``, ``--to``).
"""

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.accounts.scope import SYSTEM
from daotao.reports import engine, exports
from daotao.reports.annual import BUILTIN_TEMPLATE, annual_report
from daotao.reports.engine import ReportInputError
from daotao.web.forms import validate_year

TEXT_FORMATS = ("text", "json")
FORMATS = (*TEXT_FORMATS, *exports.FILE_FORMATS)
STDOUT = "-"


def _year(text: str | None) -> int:
    if not text:
        raise CommandError("--year: " + _("Missing: give the year of the report, e.g. 2020."))
    try:
        year = int(text)
    except ValueError:
        raise CommandError("--year: " + _("“%(value)s” is not a year.") % {"value": text}) from None
    try:
        validate_year(year)
    except ValidationError as error:
        raise CommandError("--year: " + error.messages[0]) from None
    return year


class ReportCommand(BaseCommand):
    """The formats and the output of a report command; ``build`` says which report."""

    default_template = BUILTIN_TEMPLATE

    def add_period_arguments(self, parser) -> None:
        raise NotImplementedError

    def build(self, options, template_code: str):
        raise NotImplementedError

    def add_arguments(self, parser):
        self.add_period_arguments(parser)
        parser.add_argument(
            "--format", dest="fmt", default="text", metavar="{" + ",".join(FORMATS) + "}", help=_("Default: text.")
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help=_("Write to this file; “-” writes to standard output. Needed for xlsx, docx and pdf."),
        )
        parser.add_argument(
            "--units",
            default=engine.UNITS_TODAY,
            metavar="{" + ",".join(engine.UNIT_VIEWS) + "}",
            help=_(
                "How classes held in reorganised units count: today (by today's units, the default) or then "
                "(as units were then)."
            ),
        )
        parser.add_argument(
            "--template",
            default=self.default_template,
            metavar="CODE",
            help=_("Report template code (default: %(code)s).") % {"code": self.default_template},
        )

    def handle(self, *args, **options):
        fmt, output = options["fmt"], options["output"]
        if fmt not in FORMATS:
            raise CommandError(
                "--format: "
                + _("Unknown format “%(value)s”: choose %(choices)s.") % {"value": fmt, "choices": ", ".join(FORMATS)}
            )
        if fmt not in TEXT_FORMATS and not output:
            raise CommandError(
                "--output: "
                + _(
                    "The %(format)s format is a file, not text: give --output FILE, or --output - to write its "
                    "bytes to standard output."
                )
                % {"format": fmt}
            )
        if options["units"] not in engine.UNIT_VIEWS:
            raise CommandError(
                "--units: "
                + _("Unknown view of the units “%(value)s”: choose today or then.") % {"value": options["units"]}
            )
        try:
            report = self.build(options, options["template"])
        except ReportInputError as error:
            # Every other problem comes from the template's own lines: name the template.
            raise CommandError(f"--template: {error.message}") from error
        if fmt == "text":
            self._emit_text(exports.report_text(report), output)
        elif fmt == "json":
            self._emit_text(exports.report_json(report) + "\n", output)
        else:
            self._emit_bytes(exports.FILE_FORMATS[fmt].render(report), output)

    def _emit_text(self, content: str, output: str | None) -> None:
        if not output or output == STDOUT:
            self.stdout.write(content, ending="")
            return
        self._save(output, content.encode("utf-8"))

    def _emit_bytes(self, content: bytes, output: str) -> None:
        if output != STDOUT:
            self._save(output, content)
            return
        stream = self.stdout._out
        if stream.isatty():
            raise CommandError("--output: " + _("Binary data would garble the terminal: redirect it to a file."))
        buffer = getattr(stream, "buffer", stream)
        if isinstance(buffer, io.TextIOBase):
            raise CommandError("--output: " + _("This standard output takes only text: give --output FILE."))
        self.stdout.flush()
        buffer.write(content)
        buffer.flush()

    def _save(self, output: str, content: bytes) -> None:
        path = Path(output)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(
                "--output: " + _("Cannot write %(path)s: %(error)s") % {"path": output, "error": error.strerror}
            ) from error
        self.stdout.write(self.style.SUCCESS(_("Saved %(path)s.") % {"path": path}))


class Command(ReportCommand):
    help = _("Print or save the yearly report: text, JSON, .xlsx, .docx or PDF.")

    def add_period_arguments(self, parser) -> None:
        parser.add_argument("--year", metavar="N", help=_("The calendar year of the report (required)."))

    def handle(self, *args, **options):
        self.year = _year(options["year"])
        super().handle(*args, **options)

    def build(self, options, template_code: str):
        return annual_report(self.year, SYSTEM, template_code, options["units"])
