"""View decorators for the staff pages. Visibility of records is decided by each model's
``visible_to(user)``; these only decide who may open a page at all."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from daotao.accounts import roles
from daotao.accounts.scope import scope_of


def staff_required(view):
    """Signed-in staff with a scope (school-wide or a unit); others get sign-in or 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not scope_of(request.user).staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def is_training_office(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or user.has_role(roles.TRAINING_OFFICE))


def office_required(view):
    """Only the training office (and superusers) may change the school's records here."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_training_office(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
