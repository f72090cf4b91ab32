"""Add the shipped evaluation questionnaires (Thông tư 10/2017/TT-BNV aspects)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from daotao.surveys.presets import install_presets


class Command(BaseCommand):
    help = "Add the shipped evaluation questionnaires that do not exist yet; existing ones are left as they are."

    def handle(self, *args, **options):
        added = install_presets()
        self.stdout.write(_("%(count)s questionnaires added.") % {"count": len(added)})
        for questionnaire in added:
            self.stdout.write(f"  {questionnaire.title}")
