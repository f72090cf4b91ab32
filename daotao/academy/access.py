"""Who may open the Academy's pages: only in an Academy installation
(``settings.DAOTAO_ROLE == "academy"``; anywhere else they do not exist, 404), and there the
training office and the board (``accounts.access.is_school_wide``), as the school's own
dashboard; the commands refuse outside the Academy too."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.management.base import CommandError
from django.http import Http404
from django.utils.translation import gettext as _

from daotao.accounts.access import is_school_wide, require

ACADEMY = "academy"


def is_academy() -> bool:
    """This installation is the Academy's (``DAOTAO_ROLE=academy``)."""
    return settings.DAOTAO_ROLE == ACADEMY


def may_see_national(user) -> bool:
    """The national dashboard's readers: the Academy's training office and board."""
    return is_academy() and is_school_wide(user)


def academy_required(view):
    """A view of the Academy: 404 outside an Academy installation, whoever asks; there,
    ``require(is_school_wide)`` (anonymous visitors sign in, others 403)."""
    guarded = require(is_school_wide)(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_academy():
            raise Http404(_("This page exists only in the Academy's installation."))
        return guarded(request, *args, **kwargs)

    return wrapper


def check_academy_command() -> None:
    """CommandError outside an Academy installation."""
    if not is_academy():
        raise CommandError(
            _(
                "This is a school's installation (DAOTAO_ROLE=%(role)s): figures packages are imported and "
                "national figures counted at the Academy's installation, with DAOTAO_ROLE=academy."
            )
            % {"role": settings.DAOTAO_ROLE}
        )
