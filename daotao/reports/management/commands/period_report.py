"""``period_report``: the report over any dates, as text, JSON, .xlsx, .docx or PDF.

    python manage.py period_report --from 01/03/2026 --to 30/04/2026
    python manage.py period_report --from 01/01/2026 --to 30/06/2026 --format json
    python manage.py period_report --from 01/01/2020 --to 31/03/2020 --format docx --output quy-1.docx
    python manage.py period_report --from 01/01/2020 --to 31/12/2020 --template coordination-yearly

The same report, formats and output as ``annual_report`` (``annual.period_report``); the
dates are written dd/mm/yyyy (or ISO). By default the template written for periods, which
has no quota table: quotas are yearly.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from daotao.accounts.scope import SYSTEM
from daotao.lib.vietnamese import parse_date
from daotao.reports.annual import PERIOD_TEMPLATE, period_report
from daotao.reports.engine import Period, ReportInputError
from daotao.reports.management.commands.annual_report import ReportCommand
from daotao.web.forms import validate_year


def _day(option: str, text: str | None):
    if not text:
        raise CommandError(f"{option}: " + _("Missing: give the date as dd/mm/yyyy, e.g. 01/03/2026."))
    try:
        day = parse_date(text)
    except ValueError:
        raise CommandError(
            f"{option}: " + _("“%(value)s” is not a date: write it as dd/mm/yyyy, e.g. 01/03/2026.") % {"value": text}
        ) from None
    try:
        validate_year(day.year)
    except ValidationError as error:
        raise CommandError(f"{option}: " + error.messages[0]) from None
    return day


class Command(ReportCommand):
    help = _("Print or save the report over any period: text, JSON, .xlsx, .docx or PDF.")
    default_template = PERIOD_TEMPLATE

    def add_period_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="start", metavar="DD/MM/YYYY", help=_("First day of the period (required)."))
        parser.add_argument("--to", dest="end", metavar="DD/MM/YYYY", help=_("Last day of the period (required)."))

    def handle(self, *args, **options):
        start, end = _day("--from", options["start"]), _day("--to", options["end"])
        try:
            self.period = Period(start, end)
        except ReportInputError as error:
            raise CommandError(f"--to: {error.message}") from None
        super().handle(*args, **options)

    def build(self, options, template_code: str):
        return period_report(self.period, SYSTEM, template_code, options["units"])
