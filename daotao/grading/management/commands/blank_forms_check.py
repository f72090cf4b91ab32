from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.grading.blank_forms import counted_note, other_registers, reconcile, tracked_since
from daotao.grading.models import CredentialKind
from daotao.lib.vietnamese import format_date, format_int


class Command(BaseCommand):
    help = _(
        "Reconcile the blank diploma and certificate forms with the register: every credential issued since its "
        "kind's forms are tracked is on a used form of its serial, every used form carries its credential. "
        "Exit code 1 when something does not match."
    )

    def handle(self, *args, **options):
        since = tracked_since()
        if not since:
            self.stdout.write(_("No blank forms are tracked: nothing to reconcile."))
            return
        for kind, day in since.items():
            self.stdout.write(
                _("%(kind)s forms tracked since %(date)s.")
                % {"kind": CredentialKind(kind).label, "date": format_date(day)}
            )
        self.stdout.write(counted_note(other_registers()))
        mismatches = reconcile()
        if not mismatches:
            self.stdout.write(_("The blank forms match the register."))
            return
        for mismatch in mismatches:
            self.stdout.write(f"{mismatch.serial}: {mismatch.problem}")
        raise CommandError(
            _("%(count)s mismatches between the blank forms and the register.")
            % {"count": format_int(len(mismatches))},
            returncode=1,
        )
