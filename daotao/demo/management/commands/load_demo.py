from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.demo import loader


class Command(BaseCommand):
    help = _("Load the demo province (2019-2020 classes, students, plans, users). Safe to run again.")

    def handle(self, *args, **options):
        # The demo makes users with published passwords (an administrator among them) and
        # invented students: never on the school's real records.
        if settings.PRODUCTION:
            raise CommandError(
                _(
                    "The demo data is not loaded with DAOTAO_ENV=production: it makes users with published "
                    "passwords. Nothing was written."
                )
            )
        logins = loader.load()
        self.stdout.write(self.style.SUCCESS(_("Demo data is loaded.")))
        self.stdout.write(_("Demo sign-ins (username / password / role):"))
        for username, password, role in logins:
            self.stdout.write(f"  {username:<16} {password:<18} {role}")
