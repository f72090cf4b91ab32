"""Email the absence warnings of the day (run daily, e.g. from cron or a systemd timer)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.alerts.sending import warnings_send
from daotao.lib.vietnamese import parse_date


class Command(BaseCommand):
    help = (
        "Warn the students of the open classes whose absences in a module reached a threshold of the absence "
        "limit, and the localities and agencies that sent them, by email, once per threshold (run daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Count the lessons held up to this day (dd/mm/yyyy or yyyy-mm-dd); today by default."
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; send and record nothing.")

    def handle(self, *args, date=None, dry_run=False, **options):
        day = None
        if date:
            try:
                day = parse_date(date)
            except ValueError:
                raise CommandError(_("--date must be a date as dd/mm/yyyy, not %(value)s.") % {"value": date}) from None
        report = warnings_send(today=day, dry_run=dry_run)
        for line in report.lines:
            self.stdout.write(line)
        for failure in report.failed:
            self.stderr.write(_("Not sent: %(failure)s") % {"failure": failure})
        if dry_run:
            summary = _(
                "Dry run, nothing sent or recorded: %(classes)s classes, %(crossings)s new crossings, "
                "%(emails)s emails to send, %(withdrawn)s warnings to withdraw."
            )
            emails = len(report.lines)
        else:
            summary = _(
                "%(classes)s classes, %(crossings)s new crossings, %(emails)s emails sent, %(unreachable)s with "
                "nobody to email, %(failed)s failed, %(withdrawn)s warnings withdrawn."
            )
            emails = report.emails
        self.stdout.write(
            summary
            % {
                "classes": report.classes,
                "crossings": report.crossings,
                "emails": emails,
                "unreachable": report.unreachable,
                "failed": len(report.failed),
                "withdrawn": report.withdrawn,
            }
        )
        if report.failed:
            raise CommandError(
                _("%(count)s emails could not be sent; they are tried again on the next run.")
                % {"count": len(report.failed)}
            )
