"""``figures_key``: make the school's figures key (docs/deploy.md, "The figures key").

    python manage.py figures_key --output /etc/daotao/figures-key.pem

Writes a new Ed25519 private key, readable by its owner only, never over an existing file,
and prints the public key and its id: the public key is registered at the Academy, the
path goes into ``DAOTAO_FIGURES_KEY_FILE``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.lib import signing
from daotao.national.signing import FiguresError, key_create


class Command(BaseCommand):
    help = _(
        "Make the school's key that signs its figures packages for the Academy, and print the public key "
        "to register there."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", metavar="PATH", help=_("The new key file (required; an existing file is never overwritten).")
        )

    def handle(self, *args, **options):
        if not options["output"]:
            raise CommandError(_("--output: give the path of the new key file."))
        path = Path(options["output"])
        try:
            key = key_create(path)
        except FiguresError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(_("Key written to %(path)s (readable by its owner only).") % {"path": path})
        self.stdout.write(_("Public key, to register at the Academy:"))
        self.stdout.write(signing.public_key_text(key))
        self.stdout.write(_("Key id: %(id)s") % {"id": signing.key_id(key)})
        self.stdout.write(_("Set DAOTAO_FIGURES_KEY_FILE=%(path)s in the server's environment.") % {"path": path})
