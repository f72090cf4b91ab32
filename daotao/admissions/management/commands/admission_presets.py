from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from daotao.admissions import presets


class Command(BaseCommand):
    help = "Install the shipped position categories, dossier documents and eligibility rules (idempotent)."

    def handle(self, *args, **options):
        created = presets.install()
        self.stdout.write(
            _(
                "Presets installed: %(positions)s position categories, %(documents)s document types, "
                "%(checklist)s checklist items, %(rules)s rules created."
            )
            % created
        )
