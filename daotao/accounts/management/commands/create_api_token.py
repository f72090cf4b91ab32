from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from daotao.accounts.models import ApiToken, User
from daotao.accounts.scope import scope_of
from daotao.lib.vietnamese import normalize_space


class Command(BaseCommand):
    help = _("Issue an API token for a user and print its key, which is shown this once only.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help=_("What the token is for (default: “command line”)."))

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(_("There is no user “%(username)s”.") % {"username": username})
        if not user.is_active:
            raise CommandError(_("The user “%(username)s” is inactive.") % {"username": username})
        if not scope_of(user).staff:
            # The API would refuse the token: say so now rather than hand out a dead key.
            raise CommandError(
                _("The user “%(username)s” has no role that may use the API; give them one first.")
                % {"username": username}
            )
        name = normalize_space(name) or _("command line")
        limit = ApiToken._meta.get_field("name").max_length
        if len(name) > limit:
            raise CommandError(_("The token name is longer than %(limit)s characters.") % {"limit": limit})
        token, key = ApiToken.issue(user, name)
        # The key alone on stdout, so that scripts can capture it; the warning goes to stderr.
        self.stderr.write(
            _("Token “%(name)s” issued to %(username)s. Copy the key now: it is shown only this once.")
            % {"name": token.name, "username": username}
        )
        self.stdout.write(key)
