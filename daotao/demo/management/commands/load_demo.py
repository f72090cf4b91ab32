from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from daotao.demo import loader


class Command(BaseCommand):
    help = _("Load the demo province (2019-2020 classes, students, plans, users). Safe to run again.")

    def handle(self, *args, **options):
        logins = loader.load()
        self.stdout.write(self.style.SUCCESS(_("Demo data is loaded.")))
        self.stdout.write(_("Demo sign-ins (username / password / role):"))
        for username, password, role in logins:
            self.stdout.write(f"  {username:<16} {password:<18} {role}")
