from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.translation import gettext as _

from daotao.cohorts import counts
from daotao.cohorts.models import Cohort
from daotao.lib.vietnamese import format_int

# More differences than this are summed up, not listed.
LISTED = 50


class Command(BaseCommand):
    help = _(
        "Check every class's stored count of students against a count of its enrollments, and that the "
        "database triggers that keep it are installed. With --fix, set the counts that differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help=_("Recount the classes that differ."))
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, fix, database, **options):
        missing = sorted(set(counts.TRIGGERS) - counts.installed_triggers(database))
        if missing and fix:
            counts.install_triggers(database)
            self.stdout.write(_("Triggers installed again: %(names)s.") % {"names": ", ".join(missing)})
            missing = []
        with transaction.atomic(using=database):
            found = counts.differences(database)
            for difference in found[:LISTED]:
                self.stdout.write(
                    _("Class %(code)s: stored %(stored)s, enrollments counted %(counted)s.")
                    % {
                        "code": difference.code,
                        "stored": format_int(difference.stored),
                        "counted": format_int(difference.counted),
                    }
                )
            if len(found) > LISTED:
                self.stdout.write(_("… and %(more)s more classes.") % {"more": format_int(len(found) - LISTED)})
            if found and fix:
                changed = counts.recount(database)
                self.stdout.write(_("%(count)s classes recounted.") % {"count": format_int(changed)})
                return
        problems = []
        if missing:
            problems.append(_("the triggers %(names)s are missing") % {"names": ", ".join(missing)})
        if found:
            problems.append(_("%(count)s classes differ") % {"count": format_int(len(found))})
        if problems:
            raise CommandError(
                _("Class counts are not true: %(problems)s. Run verify_counts --fix.")
                % {"problems": "; ".join(problems)}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Every class's count equals its enrollments (%(count)s classes).")
                % {"count": format_int(Cohort.objects.using(database).count())}
            )
        )
