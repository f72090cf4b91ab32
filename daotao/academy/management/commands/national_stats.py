"""``national_stats``: one national figure from the schools' packages for a period.

    python manage.py national_stats --from 2020-01-01 --to 2020-12-31 --relation opened \\
        --program TC-LLCT-HC --mode non_concentrated --json
    {"period": {...}, "relation": "opened", "filter": {...}, "total": {"classes": …, "students": …},
     "schools": [{"code", "name", "province", "classes", "students"}, …], "missing": ["…"]}

The same rule as the national dashboard (``academy/stats.py``, ``national_figures``): the
lines of each school's package for exactly that period whose filters match, added up over
programs and schools.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.academy.access import check_academy_command
from daotao.academy.format import FUNDINGS, KINDS, MODES, RELATIONS
from daotao.academy.stats import Period, Question, StatsInputError, national_figures
from daotao.lib.vietnamese import format_date, parse_date
from daotao.reports.engine import counts_text


def _choices(values) -> str:
    return "{" + ",".join(values) + "}"


def _date(text: str | None, field: str):
    if not text:
        raise StatsInputError(field, _("Missing: give a date as YYYY-MM-DD."))
    try:
        return parse_date(text)
    except ValueError:
        raise StatsInputError(
            field, _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": text}
        ) from None


class Command(BaseCommand):
    help = _(
        "National figures from the schools' packages for a period: classes and students opened, carried over, "
        "running or closed, filtered by program, kind, mode and funding; the national total and each school's."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help=_("First day of the period (required)."))
        parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help=_("Last day of the period (required)."))
        parser.add_argument(
            "--relation", metavar=_choices(RELATIONS), help=_("How a class relates to the period (required).")
        )
        parser.add_argument(
            "--program", dest="programs", nargs="+", action="extend", default=[], metavar="CODE",
            help=_("Program codes; several may be given, and the flag may be repeated."),
        )  # fmt: skip
        parser.add_argument(
            "--kind", default="", metavar=_choices(KINDS),
            help=_("Training programs (a diploma) or fostering programs (a certificate)."),
        )  # fmt: skip
        parser.add_argument("--mode", default="", metavar=_choices(MODES))
        parser.add_argument("--funding", default="", metavar=_choices(FUNDINGS))
        parser.add_argument(
            "--json", action="store_true", dest="as_json",
            help=_("Print the national total, each school's figures and the schools missing, as JSON."),
        )  # fmt: skip

    def handle(self, *args, **options):
        check_academy_command()
        try:
            if not options["relation"]:
                raise StatsInputError("relation", _("Missing: choose %(choices)s.") % {"choices": ", ".join(RELATIONS)})
            period = Period(_date(options["start"], "from"), _date(options["end"], "to"))
            if period.start > period.end:
                raise StatsInputError("to", _("The last day comes before the first."))
            codes = (code.strip().upper() for value in options["programs"] for code in value.split(","))
            programs = tuple(dict.fromkeys(code for code in codes if code))
            question = Question(
                options["relation"], programs=programs, kind=options["kind"], mode=options["mode"],
                funding=options["funding"],
            )  # fmt: skip
        except StatsInputError as error:
            raise CommandError(f"--{error.field}: {error.message}") from error
        answer = national_figures(period, question)
        if options["as_json"]:
            self.stdout.write(json.dumps(answer.as_dict(), ensure_ascii=False))
            return
        span = {"from": format_date(period.start), "to": format_date(period.end)}
        self.stdout.write(
            _("Whole country, %(from)s–%(to)s: %(figures)s") % {**span, "figures": counts_text(answer.total)}
        )
        for school in answer.schools:
            self.stdout.write(f"  {school.school.code} {school.school.name}: {counts_text(school.figures)}")
        if answer.missing:
            self.stdout.write(
                _("No package for this period from: %(schools)s.")
                % {"schools": ", ".join(school.code for school in answer.missing)}
            )
