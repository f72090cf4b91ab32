"""``manage.py setup_school``: the school's identity and the shipped catalogue, on a new
database (README, "Starting your own school"; docs/onboarding.md)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daotao.accounts.scope import SYSTEM
from daotao.onboarding import setup
from daotao.school import identity
from daotao.school.models import DocumentKind

# (field, question) asked when no file is given, each with the value on record as default.
QUESTIONS = (
    ("name", gettext_lazy("Name of the school (e.g. Trường Chính trị tỉnh Bình An)")),
    ("parent", gettext_lazy("Governing Party committee (e.g. Tỉnh ủy Bình An)")),
    ("province", gettext_lazy("Province (e.g. Bình An)")),
    ("place", gettext_lazy("Place in the date line of documents (empty: the province)")),
    ("address", gettext_lazy("Address")),
    ("phone", gettext_lazy("Phone")),
    ("email", gettext_lazy("Email")),
    ("document_style", gettext_lazy("Header of documents: party or state")),
)


class Command(BaseCommand):
    help = _(
        "Set the school's identity (from a TOML file, or by asking) and install the shipped programs, curricula, "
        "grading and evaluation rules and admission presets. Safe to run again. See docs/onboarding.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", help=_("A set-up file (TOML), e.g. docs/school.example.toml."))
        parser.add_argument(
            "--undo",
            choices=setup.UNDO_STEPS,
            help=_("Remove what a step made (only while the school has no class)."),
        )

    def handle(self, *args, file=None, undo=None, **options):
        try:
            if undo:
                for line in setup.undo(undo, user=SYSTEM):
                    self.stdout.write(line)
                return
            given = setup.read_setup_file(file) if file else self._ask()
            setup.identity_save(user=SYSTEM, values=given.values, signers=given.signers, logo=given.logo)
            catalogue = setup.catalogue_install()
        except ValidationError as error:
            raise CommandError(_message(error)) from None
        school = identity.current()
        self.stdout.write(self.style.SUCCESS(_("The school: %(name)s (%(parent)s).") % school.__dict__))
        for line in catalogue.lines():
            self.stdout.write(line)
        self.stdout.write(_("Next: the set-up checklist at /setup/ (docs/onboarding.md)."))

    def _ask(self) -> setup.SetupFile:
        known = identity.current()
        values = {}
        for key, question in QUESTIONS:
            default = getattr(known, key) if known.configured else ("party" if key == "document_style" else "")
            answer = input(f"{question} [{default}]: ").strip()  # the question in the active language
            values[key] = answer or default
        signer = known.signer()
        question = _("Principal who signs documents")
        name = input(f"{question} [{signer.name}]: ").strip() or signer.name
        question = _("Path of the logo (PNG, JPEG or SVG; empty: keep it)")
        logo = input(f"{question} []: ").strip()
        given = setup.SetupFile(values, {DocumentKind.DEFAULT: {"title": signer.title, "name": name}})
        if logo:
            try:
                with open(logo, "rb") as handle:
                    given.logo = handle.read()
            except OSError as error:
                raise CommandError(
                    _("Cannot read the logo %(path)s: %(error)s") % {"path": logo, "error": error}
                ) from None
        return given


def _message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)
