from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daotao.web import jobs


class Command(BaseCommand):
    help = _(
        "Delete the temporary uploads that killed imports or requests left behind: the files of "
        "DAOTAO_UPLOAD_TEMP_DIR older than DAOTAO_IMPORT_STALE_SECONDS. Safe to run at any time (cron)."
    )

    def handle(self, *args, **options):
        removed = jobs.sweep()
        if options["verbosity"] > 0:
            self.stdout.write(
                ngettext(
                    "%(count)s temporary upload deleted from %(directory)s.",
                    "%(count)s temporary uploads deleted from %(directory)s.",
                    removed,
                )
                % {"count": removed, "directory": settings.DAOTAO_UPLOAD_TEMP_DIR}
            )
