from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.accounts.models import User
from daotao.demo import documents
from daotao.lib.vietnamese import format_int

DEMO_OFFICE = "daotao"


class Command(BaseCommand):
    help = _(
        "Write one of every document the school sends out (PDF, and .docx and .xlsx where the kind has them), "
        "from the demo, into OUTDIR."
    )

    def add_arguments(self, parser):
        parser.add_argument("outdir", help=_("The folder to write into (made if missing)."))
        parser.add_argument(
            "--user", default=DEMO_OFFICE, help=_("Whose downloads: a training-office account (default: daotao).")
        )

    def handle(self, *args, outdir, user, **options):
        reader = User.objects.filter(username=user, is_active=True).first()
        if reader is None:
            raise CommandError(_("No active account %(user)s. Load the demo first (make demo).") % {"user": user})
        try:
            wanted = documents.demo_documents()
        except documents.DemoMissing as missing:
            raise CommandError(
                _("The database lacks the demo's %(what)s. Load the demo first (make demo).") % {"what": missing}
            ) from None
        try:
            files = documents.render(wanted, reader)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        folder = Path(outdir)
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (folder / name).write_bytes(content)
            self.stdout.write(f"{folder / name}  ({format_int(len(content))} B)")
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)s documents written to %(folder)s.") % {"count": len(files), "folder": folder}
            )
        )
