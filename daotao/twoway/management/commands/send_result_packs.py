"""Send the results packs of the classes that have closed (run daily from cron)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.twoway.services import packs_send_for_closed


def _day(option: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        raise CommandError(
            _("%(option)s must be a date as dd/mm/yyyy, not %(value)s.") % {"option": option, "value": value}
        ) from None


class Command(BaseCommand):
    help = (
        "Email the results pack of each class the training office has closed to the localities and agencies "
        "that sent its students, once per unit (run daily, e.g. from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", help="Only classes that closed on or after this day (dd/mm/yyyy).")

    def handle(self, *args, since=None, **options):
        skipped: list = []
        sent = packs_send_for_closed(since=_day("--since", since), skipped=skipped)
        if sent is None:
            raise CommandError(_("Another sending of results packs is still running; nothing was sent."))
        for dispatch in sent:
            self.stdout.write(
                _("Sent: class %(cohort)s → %(unit)s <%(email)s>, %(count)s students.")
                % {
                    "cohort": dispatch.cohort.code,
                    "unit": dispatch.unit.name,
                    "email": dispatch.recipients,
                    "count": dispatch.students,
                }
            )
        for cohort, unit, reason in skipped:
            self.stderr.write(
                _("Not sent: class %(cohort)s → %(unit)s: %(reason)s.")
                % {"cohort": cohort.code, "unit": unit.name, "reason": reason}
            )
        self.stdout.write(
            _("%(sent)s results packs sent, %(skipped)s not sent.") % {"sent": len(sent), "skipped": len(skipped)}
        )
