"""``register_school``: register a school and the public key its packages are signed with,
or change a registered school (its name, province, key or whether it is expected).

    python manage.py register_school DNA --name "Trường Chính trị tỉnh Đồng Nai" \\
        --province "Đồng Nai" --public-key ed25519:…
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.academy.access import check_academy_command
from daotao.academy.models import RegisteredSchool


class Command(BaseCommand):
    help = _(
        "Register a school whose figures packages the Academy imports, with its public key (as the school's "
        "export_figures prints it); for a school already registered, change what is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help=_("The school's short code, e.g. DNA."))
        parser.add_argument("--name", default=None, help=_("The school's name."))
        parser.add_argument("--province", default=None, help=_("The school's province."))
        parser.add_argument("--public-key", default=None, help=_("The public key: ed25519: and 44 characters."))
        active = parser.add_mutually_exclusive_group()
        active.add_argument(
            "--inactive", dest="active", action="store_false", default=None,
            help=_("No package is expected from the school any more (it is no longer listed as missing)."),
        )  # fmt: skip
        active.add_argument("--active", dest="active", action="store_true", help=_("A package is expected again."))

    def handle(self, *args, code, name, province, public_key, active, **options):
        check_academy_command()
        code = code.strip().upper()
        school = RegisteredSchool.objects.filter(code=code).first()
        created = school is None
        if created:
            missing = [
                flag
                for flag, value in (("--name", name), ("--province", province), ("--public-key", public_key))
                if not value
            ]
            if missing:
                raise CommandError(
                    _("%(code)s is not registered yet: give %(flags)s.") % {"code": code, "flags": ", ".join(missing)}
                )
            school = RegisteredSchool(code=code)
        for field, value in (("name", name), ("province", province), ("public_key", public_key), ("active", active)):
            if value is not None:
                setattr(school, field, value.strip() if isinstance(value, str) else value)
        try:
            school.full_clean()
        except ValidationError as error:
            problems = [f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()]
            raise CommandError(_("Nothing was saved: %(problems)s") % {"problems": "; ".join(problems)}) from None
        school.save()
        message = _("Registered %(school)s, key %(key_id)s.") if created else _("Changed %(school)s, key %(key_id)s.")
        self.stdout.write(self.style.SUCCESS(message % {"school": school, "key_id": school.key_id}))
