"""What part of the school's records a user may see.

Every model's ``visible_to(user)`` QuerySet method builds on ``scope_of``; nothing else
decides visibility. A coordinator's or agency's records are those of their unit and every
unit below it, and those their unit took over in a reorganisation (``org.Succession``):
``Scope.unit_q`` builds that condition for every model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

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
    # The units the user's unit (or a unit below it) took over, each with the day from
    # which it answers for them: ((predecessor path, effective date), ...).
    inherited: tuple[tuple[str, dt.date], ...] = ()

    def unit_q(self, field: str, since: Callable[[dt.date], Q] | None = None) -> Q:
        """Records whose unit (``field``, the path from the queried model to a Unit: a
        class's ``host_locality``, a student's ``locality``) is the user's own unit
        (``own_unit_path``) or below it, or one their unit took over. For a taken-over
        unit ``since(day)`` limits the records to those that still ran on the day of the
        succession or came later (``running_since`` for a class's records); without it,
        every record of the predecessor passes (its students). Matches nothing for a user
        with no unit."""
        path = self.own_unit_path
        if path is None:
            return Q(pk__in=[])
        condition = Q(**{f"{field}__path__startswith": path})
        for inherited, day in self.inherited:
            taken_over = Q(**{f"{field}__path__startswith": inherited})
            condition |= taken_over & since(day) if since is not None else taken_over
        return condition

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


def running_since(cohort: str = "") -> Callable[[dt.date], Q]:
    """For ``Scope.unit_q``: the records of classes not closed before the day (no closing
    date, or one on or after it). ``cohort`` is the path from the queried model to the class
    with its ``__`` ("" for a class itself, "cohort__" for an enrollment)."""

    def condition(day: dt.date) -> Q:
        return Q(**{f"{cohort}closing_date__isnull": True}) | Q(**{f"{cohort}closing_date__gte": day})

    return condition


def scope_of(user) -> Scope:
    """The user's scope, computed once per user object: the roles and the user's unit (a
    query each), and the successions for a coordinator or agency whose unit, or a unit
    below it, took over others (one more; ``UnitQuerySet.scope_of_unit``)."""
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
            path, inherited = _own_unit(user)
            scope = Scope(unit_path=path, inherited=inherited, staff=True)
        elif codes & roles.AGENCY_ROLES and user.unit_id:
            path, inherited = _own_unit(user)
            scope = Scope(agency_path=path, inherited=inherited, staff=True)
        elif roles.LECTURER in codes and (lecturer_id := _own_id(user, "lecturer")):
            scope = Scope(lecturer_id=lecturer_id)
        elif roles.STUDENT in codes and (student_id := _own_id(user, "student")):
            scope = Scope(student_id=student_id)
        else:
            scope = NOTHING
    user._daotao_scope = scope
    return scope


def _own_unit(user) -> tuple[str, tuple[tuple[str, dt.date], ...]]:
    """The path of the user's unit and the units it took over (sorted by path), read
    through the user's ``unit`` relation; the unit is kept on the user for later use."""
    units = user._meta.get_field("unit").related_model.objects
    unit, inherited = units.scope_of_unit(user.unit_id)
    user.unit = unit
    return unit.path, tuple(sorted(inherited.items()))


def _own_id(user, relation: str) -> int | None:
    """The id of the user's own Lecturer or Student record, or None."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return getattr(user, relation).pk
    except ObjectDoesNotExist:
        return None
