"""Who may open a page at all: the role predicates and the one view decorator built on
them. Which records a page shows is each model's ``visible_to(user)`` and, for classes,
``daotao.cohorts.access``; these only decide by role (docs/security.md, "Roles and scopes").

A predicate takes a user and answers True or False; ``require(predicate)`` turns one into
a view decorator: anonymous users are sent to sign in, signed-in users it refuses get 403.
Pages that find a record first call ``check_post`` after it, so that a record outside the
user's scope answers 404 before any check of the role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from daotao.accounts import roles
from daotao.accounts.scope import scope_of

Predicate = Callable[[object], bool]


# --- the role predicates -----------------------------------------------------------------


def _has_role(user, role: str) -> bool:
    """A signed-in, active member of ``role`` (superusers hold every role)."""
    return user.is_authenticated and user.is_active and (user.is_superuser or user.has_role(role))


def is_training_office(user) -> bool:
    """The training office (and superusers): the only ones who change the school's records."""
    return _has_role(user, roles.TRAINING_OFFICE)


def is_editor(user) -> bool:
    """Editors (and superusers) write the portal's articles and banners and preview drafts."""
    return _has_role(user, roles.EDITOR)


def is_signed_in(user) -> bool:
    return user.is_authenticated


def is_staff(user) -> bool:
    """Staff with a scope (school-wide, a locality or an agency): the staff pages."""
    return scope_of(user).staff


def is_school_wide(user) -> bool:
    """The training office and the board: every record of the school."""
    return scope_of(user).everything


def is_coordinator(user) -> bool:
    """A locality coordinator with a unit."""
    return scope_of(user).unit_path is not None


def is_agency(user) -> bool:
    """A sending agency with a unit."""
    return scope_of(user).agency_path is not None


def is_lecturer(user) -> bool:
    return scope_of(user).lecturer_id is not None


def is_student(user) -> bool:
    return scope_of(user).student_id is not None


def has_scope(user) -> bool:
    """Anyone who sees some records: staff, a lecturer or a student."""
    return not scope_of(user).nothing


def any_of(*predicates: Predicate) -> Predicate:
    """A predicate true for a user whom any of ``predicates`` accepts."""

    def accepted(user) -> bool:
        return any(predicate(user) for predicate in predicates)

    return accepted


# Staff with a scope and lecturers: a class's teaching, grading and evaluation pages.
is_teaching_staff = any_of(is_staff, is_lecturer)
# The office, and the units' own staff for their people: nominations and career events.
# The board reads them only.
is_recorder = any_of(is_training_office, is_coordinator, is_agency)


def may_draft_from_report(user) -> bool:
    """Who may turn a yearly report into a draft article of the portal: the training office
    (and superusers) only. News about the school's year states the school's figures, not the
    part of them a locality coordinator sees; and the school board reads everything but
    changes nothing (docs/security.md), a draft article included."""
    return is_training_office(user)


# --- the decorator -----------------------------------------------------------------------


def check_post(request, may_post: Predicate | None) -> None:
    """403 for a POST (the only method by which DaoTao's pages change anything) from a user
    ``may_post`` refuses: one who may read the page but not change what it shows."""
    if may_post is not None and request.method == "POST" and not may_post(request.user):
        raise PermissionDenied


def require(may_open: Predicate, *, may_post: Predicate | None = None):
    """A view decorator: anonymous users are sent to sign in; a signed-in user whom
    ``may_open`` refuses gets 403, and so does a POST from one whom ``may_post`` refuses."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not may_open(request.user):
                raise PermissionDenied
            check_post(request, may_post)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = require(is_staff)
office_required = require(is_training_office)
teaching_staff_required = require(is_teaching_staff)
