"""``manage.py restore FILE``: load a backup into an empty database."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.lib.vietnamese import format_int
from daotao.web.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an empty (migrated) database, with its uploaded files. "
        "The archive must be signed with this server's DAOTAO_BACKUP_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive written by `manage.py backup`.")
        parser.add_argument(
            "--trust-unsigned",
            action="store_true",
            help=(
                "Restore an archive that is not signed with this server's key (an older backup, another key, "
                "or changed since): the users with administrator rights and the records it brings are listed, "
                "then it is loaded as it is. Only for an archive whose origin you know."
            ),
        )

    def handle(self, *args, file, trust_unsigned, **options):
        try:
            summary = restore(file, trust_unsigned=trust_unsigned, announce=self.stdout.write)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        values = {"file": file, "records": format_int(summary.records), "files": format_int(summary.files)}
        if summary.key_id:
            message = _("Restored from %(file)s: %(records)s records, %(files)s files; signed with backup key %(key)s.")
            values["key"] = summary.key_id
        else:
            message = _("Restored from %(file)s: %(records)s records, %(files)s files.")
        self.stdout.write(message % values)
