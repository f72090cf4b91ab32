"""``cohort_stats``: one count of the reports' engine, for scripts and cron jobs.

    python manage.py cohort_stats --from 2020-01-01 --to 2020-12-31 --relation opened \\
        --program TC-LLCT-HC --mode non_concentrated --json
    {"classes": 13, "students": 1040}

The same function as the API and the yearly report (``engine.count``), run as the
operator (``accounts.scope.SYSTEM``): every record counts.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.accounts.scope import SYSTEM
from daotao.cohorts.models import Funding, Mode
from daotao.lib.vietnamese import parse_date
from daotao.programs.models import ProgramKind, ReportCategory
from daotao.reports import engine
from daotao.reports.engine import counts_text


def _choices(values) -> str:
    return "{" + ",".join(values) + "}"


def _date(text: str | None, field: str):
    if not text:
        raise engine.ReportInputError(field, _("Missing: give a date as YYYY-MM-DD."))
    try:
        return parse_date(text)
    except ValueError:
        raise engine.ReportInputError(
            field, _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": text}
        ) from None


class Command(BaseCommand):
    help = _(
        "Count classes and students by the reports' rules: cohorts opened, carried over, active "
        "or closed in a period, filtered by program, category, kind, mode, funding and locality."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help=_("First day of the period (required)."))
        parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help=_("Last day of the period (required)."))
        parser.add_argument(
            "--relation",
            metavar=_choices(engine.RELATIONS),
            help=_("How a class relates to the period (required)."),
        )
        parser.add_argument(
            "--program",
            dest="programs",
            nargs="+",
            action="extend",
            default=[],
            metavar="CODE",
            help=_("Program codes; several may be given, and the flag may be repeated."),
        )
        parser.add_argument("--category", default="", metavar=_choices(ReportCategory.values))
        parser.add_argument(
            "--kind",
            default="",
            metavar=_choices(ProgramKind.values),
            help=_("Training programs (a diploma) or fostering programs (a certificate)."),
        )
        parser.add_argument("--mode", default="", metavar=_choices(Mode.values))
        parser.add_argument("--funding", default="", metavar=_choices(Funding.values))
        parser.add_argument(
            "--locality", default="", metavar="CODE", help=_("Classes held in this unit or any unit below it.")
        )
        parser.add_argument(
            "--units",
            default=engine.UNITS_TODAY,
            metavar=_choices(engine.UNIT_VIEWS),
            help=_(
                "How --locality reads history: today (by today's units: also the classes held in the units it "
                "took over in a reorganisation; the default) or then (as units were then: the host locality "
                "recorded on each class)."
            ),
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help=_('Print {"classes": N, "students": M}.')
        )

    def handle(self, *args, **options):
        try:
            if not options["relation"]:
                raise engine.ReportInputError(
                    "relation", _("Missing: choose %(choices)s.") % {"choices": ", ".join(engine.RELATIONS)}
                )
            spec = engine.CountSpec(
                engine.Period(_date(options["start"], "from"), _date(options["end"], "to")),
                options["relation"],
                engine.CohortFilter(
                    programs=engine.parse_program_codes(options["programs"]),
                    category=options["category"],
                    kind=options["kind"],
                    mode=options["mode"],
                    funding=options["funding"],
                    locality=options["locality"].strip().upper(),
                    units=options["units"],
                ),
            )
            counts = engine.count(spec, SYSTEM)
        except engine.ReportInputError as error:
            raise CommandError(f"--{error.field}: {error.message}") from error
        if options["as_json"]:
            self.stdout.write(json.dumps(counts.as_dict()))
        else:
            self.stdout.write(counts_text(counts))
            if spec.filter.locality:  # the view matters only where a locality is chosen
                self.stdout.write(engine.units_line(spec.filter.units))
