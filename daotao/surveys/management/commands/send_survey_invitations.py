"""Send the survey invitations and reminders due today, and write out the anonymous forms
that are due from the pool (run daily from cron)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.surveys.mailing import rounds_send
from daotao.surveys.pool import flush_due


class Command(BaseCommand):
    help = (
        "Send the survey invitations and reminders that are due, and write out the anonymous forms due from the "
        "pool (run daily, e.g. from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were this day (dd/mm/yyyy), for catching up.")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = dt.datetime.strptime(today, "%d/%m/%Y").date()
            except ValueError:
                raise CommandError(
                    _("--today must be a date as dd/mm/yyyy, not %(value)s.") % {"value": today}
                ) from None
        report = rounds_send(today=day)
        self.stdout.write(
            _(
                "%(rounds)s open rounds: %(created)s new invitations, %(invited)s invitations and %(reminded)s "
                "reminders sent; %(without)s people have no email address."
            )
            % {
                "rounds": report.rounds,
                "created": report.created,
                "invited": report.invited,
                "reminded": report.reminded,
                "without": report.without_email,
            }
        )
        flushed = flush_due(today=day)
        self.stdout.write(
            _("%(written)s anonymous forms written out of the pool (%(rounds)s rounds); %(waiting)s wait there.")
            % {"written": flushed.written, "rounds": flushed.rounds, "waiting": flushed.waiting}
        )
        for failure in report.failed:
            self.stderr.write(_("Not sent: %(failure)s") % {"failure": failure})
        if report.failed:
            raise CommandError(
                _("%(count)s emails could not be sent; they will be tried again.") % {"count": len(report.failed)}
            )
