"""Which classes a user reaches, and which of their students: the one rule behind every
page, export, API call and report that opens, lists or counts classes for a user
(docs/security.md, "Roles and scopes"). It combines the models' ``visible_to``:

- a class is *seen whole*, every student of it, by those whom ``Cohort.visible_to`` lets
  see it (school staff, the lecturers who teach it, the coordinator of where it is held),
  except a student, who sees their own class with only themself in it;
- a class is *reached* when it is seen whole, or when the user may see a student in it
  (``Enrollment.visible_to``): a coordinator's or agency's own students in a class held
  elsewhere, a student in their own class. The user then sees only those students.

Here too: the units a user may pick in a form, and the students whose later career a
coordinator or agency records."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from daotao.accounts.access import is_training_office
from daotao.accounts.scope import scope_of
from daotao.cohorts.models import Cohort, CohortQuerySet, Enrollment, EnrollmentQuerySet, counted_students
from daotao.org.models import LOCALITY_KINDS, Unit
from daotao.people.models import Student

# --- the classes a user reaches, and the students they see in them -----------------------


def cohorts_seen_whole(user, cohorts: CohortQuerySet | None = None) -> CohortQuerySet:
    """The classes (of ``cohorts``, all by default) in which the user sees every student."""
    cohorts = Cohort.objects.all() if cohorts is None else cohorts
    if scope_of(user).student_id is not None:
        return cohorts.none()
    return cohorts.visible_to(user)


def cohorts_reached(user, cohorts: CohortQuerySet | None = None) -> CohortQuerySet:
    """The classes (of ``cohorts``) the user may open and that pages list and count for
    them: those seen whole, and those in which they may see a student on the roll (a
    cancelled enrollment, which counts nowhere, reaches no class)."""
    cohorts = Cohort.objects.all() if cohorts is None else cohorts
    if scope_of(user).everything:
        return cohorts
    return cohorts.filter(
        Q(pk__in=Cohort.objects.visible_to(user).values("pk"))
        | Q(pk__in=Enrollment.objects.visible_to(user).on_roll().values("cohort_id"))
    )


def students_seen(user):
    """Each class's counted students (DESIGN.md section 4) that the user sees in it, as an
    expression on a Cohort queryset: every one in a class seen whole, only their own in a
    class held elsewhere."""
    if scope_of(user).everything:
        return counted_students()
    seen = (
        Enrollment.objects.visible_to(user)
        .counted()
        .filter(cohort=OuterRef("pk"))
        .order_by()
        .values("cohort")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(seen), 0)


def with_students_seen(user, cohorts: CohortQuerySet) -> CohortQuerySet:
    """Each class of ``cohorts`` with ``student_count``, the counted students the user sees
    in it, and ``whole``, whether that is every student of the class."""
    if scope_of(user).everything:
        return cohorts.annotate(student_count=counted_students(), whole=Value(True))
    return cohorts.annotate(
        student_count=students_seen(user),
        whole=Exists(cohorts_seen_whole(user).filter(pk=OuterRef("pk"))),
    )


def students_seen_in(user, cohorts: CohortQuerySet) -> int:
    """The counted students of ``cohorts`` that the user sees: the sum of ``students_seen``."""
    if scope_of(user).everything:
        return cohorts.aggregate(n=Sum(counted_students()))["n"] or 0
    return Enrollment.objects.visible_to(user).counted().filter(cohort__in=cohorts.values("pk")).count()


# --- opening one class -------------------------------------------------------------------


@dataclass(frozen=True)
class CohortInScope:
    """A class as one user may open it, with the enrollments they may see in it.

    ``enrollments`` is always what Enrollment.visible_to allows in the class; ``whole``
    says that this is every enrollment of the class. Otherwise the user sees only some
    students: a coordinator's students or an agency's staff who study in a class held by
    another locality, or a student themself."""

    cohort: Cohort
    whole: bool
    enrollments: EnrollmentQuerySet


def cohort_for_user(user, *, whole: bool = False, cohorts: CohortQuerySet | None = None, **lookup) -> CohortInScope:
    """The one rule for opening a class: a class the user sees whole, else one they reach,
    with only the enrollments they may see; Http404 when neither. Pages that show the whole
    class (its timetable, organisation, essays and graduation) ask for ``whole``: a class
    reached only through some of its students is 404 there.

    ``cohorts`` may carry select_related/annotations (by default the program with its
    grading rules and the host locality, which the class's pages show); ``lookup`` picks
    the class (``pk=...`` or ``code=...``). One query for a class seen whole, two otherwise
    (one for a student); ``enrollments`` is left unevaluated."""
    if cohorts is None:
        cohorts = Cohort.objects.select_related("program__grading_rules", "host_locality")
    cohort = cohorts_seen_whole(user, cohorts).filter(**lookup).first()
    seen_whole = cohort is not None
    if cohort is None and not whole:
        cohort = cohorts_reached(user, cohorts).filter(**lookup).first()
    if cohort is None:
        raise Http404
    return CohortInScope(cohort, seen_whole, Enrollment.objects.visible_to(user).filter(cohort=cohort))


# --- units and students a user acts for --------------------------------------------------


def localities_for(user):
    """The localities a user may pick in a form (a nomination, a topic of the bank): a
    coordinator's unit and those below it; every locality for anyone else. Not the units
    their unit took over: a new record names a unit that exists (``org.validity``)."""
    localities = Unit.objects.filter(kind__in=LOCALITY_KINDS).order_by("sort_key", "pk")
    path = scope_of(user).unit_path
    return localities if path is None else localities.filter(path__startswith=path)


def units_for(user):
    """The units a user answers for (a results pack's addressee): every unit for school-wide
    staff, a coordinator's or agency's unit and those below it, none for anyone else (a
    unit taken over gets no more packs: its successor gets its own)."""
    scope = scope_of(user)
    if scope.everything:
        return Unit.objects.all()
    if scope.own_unit_path is None:
        return Unit.objects.none()
    return Unit.objects.filter(path__startswith=scope.own_unit_path)


def recordable_students(user):
    """The students whose career events the user records: everyone for the training office,
    an agency's own staff, a coordinator's students (from their unit and below, and from
    the units it took over); nobody for anyone else (the board reads only)."""
    if is_training_office(user):
        return Student.objects.all()
    scope = scope_of(user)
    if scope.agency_path is not None:
        return Student.objects.filter(scope.unit_q("agency"))
    if scope.unit_path is not None:
        return Student.objects.filter(scope.unit_q("locality"))
    return Student.objects.none()
