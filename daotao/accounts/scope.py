"""What part of the school's records a user may see.

Every model's ``visible_to(user)`` QuerySet method builds on ``scope_of``; nothing else
decides visibility.
"""

from __future__ import annotations

from dataclasses import dataclass

from daotao.accounts import roles


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    # Path of the unit whose subtree the user sees (Unit.path), None for no unit scope.
    unit_path: str | None = None
    # Path of the sending agency whose own staff the user sees (Unit.path), None otherwise.
    agency_path: str | None = None
    # A lecturer sees the classes and modules assigned to them (teaching.TeachingAssignment).
    lecturer_id: int | None = None
    # A student sees only their own records.
    student_id: int | None = None
    staff: bool = False

    @property
    def own_unit_path(self) -> str | None:
        """The path of the unit whose people a coordinator or an agency answers for (their
        unit and those below it); None for anyone else."""
        return self.unit_path or self.agency_path

    @property
    def nothing(self) -> bool:
        return (
            not self.everything
            and self.unit_path is None
            and self.agency_path is None
            and self.lecturer_id is None
            and self.student_id is None
        )


NOTHING = Scope()


class _System:
    """The caller of management commands run by the operator: sees every record."""

    is_authenticated = True
    is_active = True
    _daotao_scope = Scope(everything=True, staff=True)

    def __str__(self) -> str:
        return "system"


SYSTEM = _System()


def scope_of(user) -> Scope:
    """The user's scope, computed once per user object (at most one query)."""
    if user is SYSTEM:
        return SYSTEM._daotao_scope
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cached = getattr(user, "_daotao_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(everything=True, staff=True)
    else:
        codes = user.role_codes
        if codes & roles.SCHOOL_WIDE_ROLES:
            scope = Scope(everything=True, staff=True)
        elif codes & roles.UNIT_SCOPED_ROLES and user.unit_id:
            scope = Scope(unit_path=user.unit.path, staff=True)
        elif codes & roles.AGENCY_ROLES and user.unit_id:
            scope = Scope(agency_path=user.unit.path, staff=True)
        elif roles.LECTURER in codes and (lecturer_id := _own_id(user, "lecturer")):
            scope = Scope(lecturer_id=lecturer_id)
        elif roles.STUDENT in codes and (student_id := _own_id(user, "student")):
            scope = Scope(student_id=student_id)
        else:
            scope = NOTHING
    user._daotao_scope = scope
    return scope


def _own_id(user, relation: str) -> int | None:
    """The id of the user's own Lecturer or Student record, or None."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return getattr(user, relation).pk
    except ObjectDoesNotExist:
        return None
