"""The counting engine: the one definition of how reports count (DESIGN.md section 4).

A period is a closed date range [start, end]. A cohort's relation to it:

* ``opened``       - opening date within the period;
* ``carried_over`` - opened before ``start`` and not closed before ``start``;
* ``active``       - opened on or before ``end`` and not closed before ``start``;
* ``closed``       - closing date within the period;
* ``carried_over_running`` - carried over and still running at the end: opened before
  ``start`` and not closed by ``end`` (no closing date, or one after ``end``).

Cancelled cohorts count nowhere; a cohort's students are its enrollments that were not
cancelled. A student who transferred between two classes counts once in a figure that
covers both: in the class they moved to (``transfers_left_out``; docs/counting.md). A
user's figures count the classes they reach, each with the students they see in it
(``cohorts.access``, as the overview and the class list count): every student of a class
held in a coordinator's locality, only their own in a class held elsewhere; an agency's
staff in the classes they studied in. Any number of counts is answered in a constant
number of queries: at most one to resolve program and locality codes each, and one that
counts.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daotao.accounts.scope import scope_of
from daotao.cohorts.access import cohorts_reached, students_seen
from daotao.cohorts.models import Enrollment, EnrollmentStatus, Funding, Mode, counted_enrollments_q
from daotao.lib.succession import inherited_paths
from daotao.org.models import Succession, Unit
from daotao.programs.models import Program, ProgramKind, ReportCategory

OPENED, CARRIED_OVER, ACTIVE, CLOSED = "opened", "carried_over", "active", "closed"
CARRIED_OVER_RUNNING = "carried_over_running"
RELATIONS = (OPENED, CARRIED_OVER, ACTIVE, CLOSED, CARRIED_OVER_RUNNING)
# The two views of a locality filter over the 2025 reorganisation (CohortFilter.units).
UNITS_TODAY, UNITS_THEN = "today", "then"
UNIT_VIEWS = {
    UNITS_TODAY: gettext_lazy("by today's units (history mapped to successors)"),
    UNITS_THEN: gettext_lazy("as units were then (the host locality recorded on each class)"),
}


def units_line(units: str = UNITS_TODAY) -> str:
    """The line a report prints to say which view of the units it uses."""
    return _("Units: %(view)s.") % {"view": UNIT_VIEWS[units]}


class ReportInputError(ValueError):
    """A report parameter is wrong; ``field`` names it and the message says why (Vietnamese)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self):
        if self.end < self.start:
            raise ReportInputError("to", _("The end of the period cannot be before its start."))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def is_calendar_year(self) -> bool:
        return self == Period.year(self.start.year)


def relation_q(relation: str, period: Period) -> Q:
    """The condition on a Cohort for one relation to a period."""
    not_closed_before_start = Q(closing_date__isnull=True) | Q(closing_date__gte=period.start)
    if relation == OPENED:
        return Q(opening_date__gte=period.start, opening_date__lte=period.end)
    if relation == CARRIED_OVER:
        return Q(opening_date__lt=period.start) & not_closed_before_start
    if relation == ACTIVE:
        return Q(opening_date__lte=period.end) & not_closed_before_start
    if relation == CLOSED:
        return Q(closing_date__gte=period.start, closing_date__lte=period.end)
    if relation == CARRIED_OVER_RUNNING:
        return Q(opening_date__lt=period.start) & (Q(closing_date__isnull=True) | Q(closing_date__gt=period.end))
    raise ReportInputError("relation", _("Unknown relation “%(value)s”.") % {"value": relation})


def parse_program_codes(values: Iterable[str], field: str = "program") -> tuple[str, ...]:
    """Program codes as people write them - several values, each may hold codes separated
    by commas - upper case, without repeats. Whether they exist is checked on counting."""
    codes = (code.strip().upper() for value in values for code in value.split(","))
    codes = tuple(dict.fromkeys(code for code in codes if code))
    limit = Program._meta.get_field("code").max_length
    for code in codes:
        if len(code) > limit:
            raise ReportInputError(
                field,
                _("A program code has at most %(limit)s characters: “%(code)s” is longer.")
                % {"limit": limit, "code": code[:limit] + "…"},
            )
    return codes


@dataclass(frozen=True)
class CohortFilter:
    """Which cohorts a count looks at. Empty fields do not filter."""

    programs: tuple[str, ...] = ()
    category: str = ""
    # The kind of program: training (a diploma) or fostering (a certificate).
    kind: str = ""
    mode: str = ""
    funding: str = ""
    # A unit code: cohorts held in that unit or any unit below it.
    locality: str = ""
    # How ``locality`` reads history (docs/counting.md, "Units that were reorganised"):
    # ``today`` also counts the classes held in the units it took over, ``then`` only the
    # classes whose stored host locality is the unit or below it.
    units: str = UNITS_TODAY

    def __post_init__(self):
        if self.category and self.category not in ReportCategory.values:
            raise ReportInputError("category", _("Unknown program category “%(value)s”.") % {"value": self.category})
        if self.kind and self.kind not in ProgramKind.values:
            raise ReportInputError("kind", _("Unknown kind of program “%(value)s”.") % {"value": self.kind})
        if self.mode and self.mode not in Mode.values:
            raise ReportInputError("mode", _("Unknown mode “%(value)s”.") % {"value": self.mode})
        if self.units not in UNIT_VIEWS:
            raise ReportInputError(
                "units", _("Unknown view of the units “%(value)s”: choose today or then.") % {"value": self.units}
            )
        if self.funding and self.funding not in Funding.values:
            raise ReportInputError("funding", _("Unknown funding “%(value)s”.") % {"value": self.funding})

    def q(self, locality_paths: dict[tuple[str, str], tuple[str, ...]]) -> Q:
        condition = Q()
        if self.programs:
            condition &= Q(program__code__in=self.programs)
        if self.category:
            condition &= Q(program__category=self.category)
        if self.kind:
            condition &= Q(program__kind=self.kind)
        if self.mode:
            condition &= Q(mode=self.mode)
        if self.funding:
            condition &= Q(funding=self.funding)
        if self.locality:
            held = Q()
            for path in locality_paths[(self.locality, self.units)]:
                held |= Q(host_locality__path__startswith=path)
            condition &= held
        return condition

    def as_dict(self) -> dict:
        return {
            "programs": list(self.programs),
            "category": self.category or None,
            "kind": self.kind or None,
            "mode": self.mode or None,
            "funding": self.funding or None,
            "locality": self.locality or None,
            "units": self.units,
        }


@dataclass(frozen=True)
class CountSpec:
    period: Period
    relation: str
    filter: CohortFilter = field(default_factory=CohortFilter)

    def __post_init__(self):
        if self.relation not in RELATIONS:
            raise ReportInputError("relation", _("Unknown relation “%(value)s”.") % {"value": self.relation})


@dataclass(frozen=True)
class Counts:
    classes: int
    students: int

    def as_dict(self) -> dict[str, int]:
        return {"classes": self.classes, "students": self.students}


def _resolve_codes(specs: Sequence[CountSpec]) -> dict[tuple[str, str], tuple[str, ...]]:
    """Check program codes and map each (locality code, view of the units) to the unit paths
    it counts: the unit's, and by today's units those of the units it took over (one query
    each, if used, and one for the successions when a unit took over others)."""
    program_codes = {code for spec in specs for code in spec.filter.programs}
    if program_codes:
        known = set(Program.objects.filter(code__in=program_codes).values_list("code", flat=True))
        unknown = sorted(program_codes - known)
        if unknown:
            raise ReportInputError("program", _("Unknown program code: %(codes)s.") % {"codes": ", ".join(unknown)})
    locality_codes = {spec.filter.locality for spec in specs if spec.filter.locality}
    paths: dict[str, str] = {}
    inherits = False
    if locality_codes:
        found = Unit.objects.filter(code__in=locality_codes).annotate(inherits=Unit.objects.took_over_q())
        rows = list(found.values_list("code", "path", "inherits"))
        paths = {code: path for code, path, _inherits in rows}
        inherits = any(row[2] for row in rows)
        unknown = sorted(locality_codes - set(paths))
        if unknown:
            raise ReportInputError("locality", _("Unknown locality code: %(codes)s.") % {"codes": ", ".join(unknown)})
    wanted = {(spec.filter.locality, spec.filter.units) for spec in specs if spec.filter.locality}
    # The successions are read only when a unit by today's units took over another.
    links = Succession.objects.links() if inherits and any(units == UNITS_TODAY for _c, units in wanted) else []
    return {
        (code, units): (paths[code], *(sorted(inherited_paths(paths[code], links)) if units == UNITS_TODAY else ()))
        for code, units in wanted
    }


def _through(prefix: str, condition: Q) -> Q | None:
    """``condition`` on a Cohort as a condition on a model that points at it through
    ``prefix`` (``cohort__``), or None if it holds an expression that cannot be moved."""
    moved = Q()
    moved.connector, moved.negated = condition.connector, condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            child = _through(prefix, child)
            if child is None:
                return None
        elif isinstance(child, tuple):
            child = (prefix + child[0], child[1])
        else:
            return None
        moved.children.append(child)
    return moved


def transfers_left_out(user, matching: Q):
    """How many of a cohort's students a figure leaves out because they transferred, as an
    expression on a Cohort queryset (docs/counting.md, "Students who transferred").

    A transferred-out enrollment the user sees is left out when the same student has, in
    the same program, another counted enrollment the user sees in a class the user reaches
    that the figure also counts (``matching``): the class they moved to. That other
    enrollment is the one that counts unless it was itself transferred out of a class
    opened earlier (then the later one counts: along a chain A -> B -> C, C does; in a
    figure with only A and B, B does). Only the student's enrollment in the class they moved
    to counts, so they count once.
    """
    outer = OuterRef
    later_class = Q(cohort__opening_date__gt=outer(outer("opening_date"))) | Q(
        cohort__opening_date=outer(outer("opening_date")), cohort_id__gt=outer(outer("pk"))
    )
    # The class moved to, tested on the joined row: a list of the matching classes
    # (``pk IN (...)``) would be read again for every transferred enrollment.
    in_figure = _through("cohort__", matching)
    if in_figure is None or not scope_of(user).everything:
        in_figure = Q(cohort_id__in=cohorts_reached(user).filter(matching).values("pk"))
    moved_to = (
        Enrollment.objects.visible_to(user)
        .filter(
            in_figure,
            counted_enrollments_q(),
            student_id=outer("student_id"),
            cohort__program_id=outer(outer("program_id")),
        )
        .exclude(cohort_id=outer(outer("pk")))
        .filter(~Q(status=EnrollmentStatus.TRANSFERRED) | later_class)
    )
    left_out = (
        Enrollment.objects.visible_to(user)
        .filter(cohort=outer("pk"), status=EnrollmentStatus.TRANSFERRED)
        .filter(Exists(moved_to))
        .order_by()
        .values("cohort")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(left_out), 0)


def as_units_were_then(user):
    """The user as units were then: for a coordinator whose unit took over others
    (``Scope.inherited``), the same user with a scope of their own unit alone, so that a
    figure counts neither the classes nor the students they reach only because their unit
    succeeded another; the user itself for everyone else."""
    scope = scope_of(user)
    if not scope.inherited:
        return user
    then = copy.copy(user)
    then._daotao_scope = dataclasses.replace(scope, inherited=())
    then.__dict__.pop("_daotao_personal_data", None)
    return then


def count_many(specs: Sequence[CountSpec], user) -> list[Counts]:
    """Answer every spec over the classes ``user`` reaches, in at most three queries; the
    specs read as units were then count as such a user (``as_units_were_then``), in one
    more counting query when that user differs."""
    then = as_units_were_then(user)
    split = [spec.filter.units == UNITS_THEN for spec in specs]
    if then is user or not any(split):
        return _count_many(specs, user)
    answers: list[Counts | None] = [None] * len(specs)
    for who, wanted in ((user, False), (then, True)):
        chosen = [i for i, is_then in enumerate(split) if is_then == wanted]
        for i, counts in zip(chosen, _count_many([specs[i] for i in chosen], who), strict=True):
            answers[i] = counts
    return answers


def _count_many(specs: Sequence[CountSpec], user) -> list[Counts]:
    """``count_many`` for one user.

    One grouped query does the counting: each cohort gets a 0/1 flag per spec, cohorts
    are grouped by their flags, and each group sums its classes and its students (each
    cohort's counted students come from the (cohort, status) index, once per cohort) and,
    per spec, the students the spec leaves out because they transferred to another class
    it counts (``transfers_left_out``, evaluated only for the cohorts the spec counts). A
    spec's answer is the sum over the groups whose flag for it is 1 - a handful of rows.
    """
    if not specs:
        return []
    paths = _resolve_codes(specs)
    conditions = [relation_q(spec.relation, spec.period) & spec.filter.q(paths) for spec in specs]
    flags = {
        f"in_{i}": Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())
        for i, condition in enumerate(conditions)
    }
    left_out = {
        f"out_{i}": Sum(
            Case(
                When(condition, then=transfers_left_out(user, condition)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        for i, condition in enumerate(conditions)
    }
    # Every relation implies: opened on or before the end, not closed before the start.
    start = min(spec.period.start for spec in specs)
    end = max(spec.period.end for spec in specs)
    groups = (
        cohorts_reached(user)
        .counted()
        .filter(Q(opening_date__lte=end) & (Q(closing_date__isnull=True) | Q(closing_date__gte=start)))
        .annotate(**flags)
        .values(*flags)
        .annotate(classes=Count("pk"), students=Sum(students_seen(user)), **left_out)
        .order_by()
    )
    totals = [[0, 0] for _ in specs]
    for group in groups:
        for i, total in enumerate(totals):
            if group[f"in_{i}"]:
                total[0] += group["classes"]
                total[1] += (group["students"] or 0) - (group[f"out_{i}"] or 0)
    return [Counts(classes, students) for classes, students in totals]


def count(spec: CountSpec, user) -> Counts:
    return count_many([spec], user)[0]
