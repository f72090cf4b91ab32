"""``manage.py restore FILE``: load a backup into an empty database."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.lib.vietnamese import format_int
from daotao.web.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `backup` into an empty (migrated) database, with its uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive written by `manage.py backup`.")

    def handle(self, *args, file, **options):
        try:
            summary = restore(file)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Restored from %(file)s: %(records)s records, %(files)s files.")
            % {"file": file, "records": format_int(summary.records), "files": format_int(summary.files)}
        )
