"""Who may call the API: staff with a scope, signed in by session or by a personal token.

Both schemes hand the view ``request.auth`` (also set as ``request.user``), the user whose
scope every query is filtered by. A request with neither gets 401; a user without a staff
scope gets 403.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer, SessionAuth

from daotao.accounts.models import ApiToken
from daotao.accounts.scope import scope_of


class TokenRejected(AuthenticationError):
    """A Bearer key was sent but opens nothing: unknown, revoked, or its user is inactive.
    Refused outright, even if a session cookie is also present."""

    def __init__(self):
        super().__init__(message=_("The API token is not valid or has been revoked."))


def _staff(request, user, staff_only: bool = True):
    scope = scope_of(user)
    if (staff_only and not scope.staff) or scope.nothing:
        raise AuthorizationError(message=_("Your account has no role that may use the API."))
    request.user = user
    return user


class _Scoped:
    """``staff_only=False`` also lets lecturers and students in (their own records only)."""

    def __init__(self, *args, staff_only: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff_only = staff_only


class BearerToken(_Scoped, HttpBearer):
    """``Authorization: Bearer <key>`` with a key from the profile page or ``create_api_token``."""

    def authenticate(self, request, token: str):
        user = ApiToken.objects.authenticate(token.strip())
        if user is None:
            raise TokenRejected
        return _staff(request, user, self.staff_only)


class DjangoSession(_Scoped, SessionAuth):
    """The session cookie of a signed-in user, as on the staff pages (ninja checks the CSRF
    token for unsafe methods; the API has only GETs so far)."""

    def authenticate(self, request, key):
        # A cookie that cannot be a session key (a NUL byte, say) is no session: web.sessions.
        if not request.user.is_authenticated:
            return None
        return _staff(request, request.user, self.staff_only)


staff_auth = [BearerToken(), DjangoSession()]
# Any user with a scope: staff, lecturers (their classes), students (themselves).
scoped_auth = [BearerToken(staff_only=False), DjangoSession(staff_only=False)]
