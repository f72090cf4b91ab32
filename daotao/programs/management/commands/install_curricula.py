from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from daotao.programs import curricula


class Command(BaseCommand):
    help = "Install the shipped modules and assessment schemes for programs that have none yet (idempotent)."

    def handle(self, *args, **options):
        installed = curricula.install()
        if not installed:
            self.stdout.write(_("Every program already has its modules; nothing changed."))
        for code, count in sorted(installed.items()):
            self.stdout.write(_("%(program)s: %(count)s modules installed.") % {"program": code, "count": count})
