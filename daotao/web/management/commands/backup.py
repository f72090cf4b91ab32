"""``manage.py backup FILE``: every record and uploaded file in one signed .zip."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.lib.vietnamese import format_int
from daotao.web.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database and the uploaded files to FILE (.zip), signed with "
        "DAOTAO_BACKUP_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive to write, e.g. /var/backups/daotao-2026-11-29.zip")

    def handle(self, *args, file, **options):
        try:
            summary = backup(file)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Backup written to %(file)s: %(records)s records, %(files)s files; signed with backup key %(key)s.")
            % {
                "file": file,
                "records": format_int(summary.records),
                "files": format_int(summary.files),
                "key": summary.key_id,
            }
        )
