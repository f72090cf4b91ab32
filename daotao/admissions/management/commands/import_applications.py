from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.accounts.scope import SYSTEM
from daotao.admissions.importing import ImportRejected, import_applications
from daotao.audit.imports import ImportChannel, ImportKind, imported

BAR_WIDTH = 30


class ProgressBar:
    """A one-line text progress bar, redrawn in place on a terminal (once per 10% otherwise)."""

    def __init__(self, stream):
        self.stream, self.shown = stream, -1
        self.tty = getattr(stream, "isatty", lambda: False)()

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if percent == self.shown or (not self.tty and percent // 10 == self.shown // 10 and percent < 100):
            return
        self.shown = percent
        filled = BAR_WIDTH * percent // 100
        line = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3d}%"
        self.stream.write(("\r" + line) if self.tty else line + "\n", ending="")
        if self.tty and percent == 100:
            self.stream.write("", ending="\n")
        self.stream.flush()


class Command(BaseCommand):
    help = _(
        "Import nominations (applications) from an .xlsx workbook (sheet HoSo) into a year's plan: "
        "every row or none. See docs/import-format.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The .xlsx workbook to import."))
        parser.add_argument("--year", type=int, required=True, help=_("Year of the annual plan."))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Check the file and count the changes, but write nothing.")
        )
        parser.add_argument(
            "--user",
            help=_("Import as this user, within their scope (default: the system, which may import anything)."),
        )

    def handle(self, *args, file, year, dry_run, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        importer = SYSTEM
        if user:
            importer = get_user_model().objects.filter(username=user, is_active=True).first()
            if importer is None:
                raise CommandError(_("No active user named %(name)s.") % {"name": user})
        progress = ProgressBar(self.stderr) if options["verbosity"] > 0 else None
        try:
            target = _("Plan %(year)s") % {"year": year}
            with imported(
                ImportKind.NOMINATIONS, importer, path, dry_run=dry_run, target=target, channel=ImportChannel.COMMAND
            ) as audit:
                result = audit.done(
                    import_applications(path, year=year, user=importer, dry_run=dry_run, progress=progress)
                )
        except ImportRejected as rejected:
            if progress and progress.tty and progress.shown >= 0:
                self.stderr.write("")
            self.stderr.write(str(rejected))  # one line per problem
            raise CommandError(rejected.summary()) from None
        head, *counts = result.lines()
        self.stdout.write(self.style.SUCCESS(head))
        for line in counts:
            self.stdout.write(line)
