from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from daotao.essays.services import essays_check_similarity_all


class Command(BaseCommand):
    help = "Recompute the near-duplicate flags of every graduation essay (titles and texts, across years)."

    def handle(self, *args, **options):
        flagged = essays_check_similarity_all()
        self.stdout.write(_("%(count)s essays have a near-duplicate.") % {"count": flagged})
