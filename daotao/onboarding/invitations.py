"""The email a new account gets: a one-time link to choose its password, never a password.

The link is the one a "forgot your password" email carries (Django's token,
``default_token_generator``, and the page ``password_reset_confirm`` of ``accounts.passwords``):
it works once, until the holder sets a password or signs in, and for ``PASSWORD_RESET_TIMEOUT``
at most. It starts from ``DAOTAO_SITE_URL``, never from a request's Host header. The email is
written in the school's language (``LANGUAGE_CODE``) whoever imported the account.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daotao.accounts import roles
from daotao.accounts.models import User
from daotao.accounts.passwords import link_lifetime_hours
from daotao.lib.batches import chunks
from daotao.school import identity

logger = logging.getLogger(__name__)


def password_link(user: User) -> str:
    """The address that lets ``user`` choose a password, once."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.DAOTAO_SITE_URL + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def invitation(user: User, school) -> mail.EmailMessage:
    """The email to a new account: who made it, its username, role and unit, and the link."""
    hours = link_lifetime_hours()
    paragraphs = [
        _("An account has been made for you in DaoTao, the training management system of %(school)s.")
        % {"school": school.name},
        "\n".join(
            [
                _("Your username: %(username)s") % {"username": user.get_username()},
                _("Your role: %(roles)s") % {"roles": ", ".join(_role_labels(user))},
                *([_("Your unit: %(unit)s") % {"unit": user.unit.name}] if user.unit_id else []),
            ]
        ),
        _("To choose your password, open this link:") + "\n" + password_link(user),
        ngettext(
            "The link sets a password only once, and expires in %(hours)s hour.",
            "The link sets a password only once, and expires in %(hours)s hours.",
            hours,
        )
        % {"hours": hours}
        + " "
        + _("Once it has expired, ask for a new one on the sign-in page (“Forgot your password?”): %(address)s")
        % {"address": settings.DAOTAO_SITE_URL + reverse("password_reset")},
        _("Nobody at the school will ask you for your password, and no email carries one."),
        school.name,
    ]
    if name := user.get_full_name():
        paragraphs.insert(0, _("Dear %(name)s,") % {"name": name})
    subject = _("Your DaoTao account – %(school)s") % {"school": school.name}
    return mail.EmailMessage(subject, "\n\n".join(paragraphs) + "\n", to=[user.email])


def _role_labels(user: User) -> list[str]:
    """The account's roles as the school names them, from its prefetched groups."""
    names = sorted(group.name for group in user.groups.all() if group.name in roles.ROLE_LABELS)
    return [str(roles.ROLE_LABELS[name]) for name in names]


def send_invitations(user_ids: list[int]) -> tuple[int, list[str]]:
    """Email each of these accounts its link over one connection to the mail server;
    (how many were sent, the usernames whose email the server refused). A refusal is
    logged and the others still go: the accounts are saved by then."""
    users = []
    for chunk in chunks(sorted(user_ids)):
        found = User.objects.filter(pk__in=chunk, is_active=True).exclude(email="")
        users += found.select_related("unit").prefetch_related("groups").order_by("username")
    with translation.override(settings.LANGUAGE_CODE):
        school = identity.current()
        messages = [(user.get_username(), invitation(user, school)) for user in users]
    sent, unsent = 0, []
    connection = mail.get_connection()
    try:
        connection.open()
    except OSError:  # smtplib's errors are OSErrors too
        logger.exception("No invitation sent: the mail server could not be reached")
        return 0, [username for username, _message in messages]
    try:
        for username, message in messages:
            try:
                sent += connection.send_messages([message]) or 0
            except (OSError, ValueError):  # ValueError: a header Django refuses (BadHeaderError)
                logger.exception("Invitation to %s not sent", username)
                unsent.append(username)
    finally:
        connection.close()
    return sent, unsent
