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
counts (with the students it leaves out because they transferred, in the same statement).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import operator
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Expression,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from daotao.accounts.scope import scope_of
from daotao.cohorts.access import cohorts_reached, students_seen
from daotao.cohorts.models import (
    COUNTED_COHORT_STATUSES,
    COUNTED_ENROLLMENT_STATUSES,
    Cohort,
    Enrollment,
    EnrollmentStatus,
    Funding,
    Mode,
)
from daotao.lib.succession import inherited_paths
from daotao.lib.vietnamese import format_count, format_int
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

    def q(self, locality_paths: dict[tuple[str, str], tuple], program_ids: dict[str, int]) -> Q:
        """The condition on a Cohort. ``locality_paths`` and ``program_ids`` are what
        ``_resolve`` read: programs named by code are filtered by key, so that the
        counting query needs no join to the programs for them."""
        condition = Q()
        if self.programs:
            condition &= Q(program_id__in=[program_ids[code] for code in self.programs])
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
                if isinstance(path, tuple):
                    # A unit placed under this one on ``day`` (a merged school's): its
                    # classes opened before that day were not this unit's then.
                    below, day = path
                    held &= ~Q(host_locality__path__startswith=below, opening_date__lt=day)
                else:
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


@dataclass(frozen=True)
class Grouping:
    """Classes summed per value of ``fields`` (their number and their counted students),
    answered by the counting query of ``count_many_grouped`` beside its specs: the classes
    matching ``condition`` (a condition on a Cohort; cancelled classes count nowhere, as
    always), whether or not they fall in the specs' periods. Each class is read once for
    both (the yearly report's lines and its quota table)."""

    condition: Q
    fields: tuple[str, ...]


def _resolve(specs: Sequence[CountSpec]) -> tuple[dict[str, int], dict[tuple[str, str], tuple]]:
    """The key of each program code the specs name (one query, if any, which also checks
    them), and each (locality code, view of the units) mapped to the unit paths it counts:
    the unit's, and by today's units those of the units it took over (one query, if used,
    and one for the successions when a unit took over others); as units were then, after
    the unit's path, (path, day) for each unit below it placed there on that day (a merged
    school's tree, ``Unit.joined_on``; one more query when there is one)."""
    program_codes = {code for spec in specs for code in spec.filter.programs}
    program_ids: dict[str, int] = {}
    if program_codes:
        program_ids = dict(Program.objects.filter(code__in=program_codes).values_list("code", "id"))
        unknown = sorted(program_codes - set(program_ids))
        if unknown:
            raise ReportInputError("program", _("Unknown program code: %(codes)s.") % {"codes": ", ".join(unknown)})
    locality_codes = {spec.filter.locality for spec in specs if spec.filter.locality}
    paths: dict[str, str] = {}
    inherits = joined = False
    if locality_codes:
        found = Unit.objects.filter(code__in=locality_codes).annotate(
            inherits=Unit.objects.took_over_q(), joined=Unit.objects.joined_below_q()
        )
        rows = list(found.values_list("code", "path", "inherits", "joined"))
        paths = {code: path for code, path, _inherits, _joined in rows}
        inherits = any(row[2] for row in rows)
        joined = any(row[3] for row in rows)
        unknown = sorted(locality_codes - set(paths))
        if unknown:
            raise ReportInputError("locality", _("Unknown locality code: %(codes)s.") % {"codes": ", ".join(unknown)})
    wanted = {(spec.filter.locality, spec.filter.units) for spec in specs if spec.filter.locality}
    # The successions are read only when a unit by today's units took over another, the
    # units placed under another later only when one lies below a unit read as then.
    links = Succession.objects.links() if inherits and any(units == UNITS_TODAY for _c, units in wanted) else []
    later = Unit.objects.joined_later() if joined and any(units == UNITS_THEN for _c, units in wanted) else []

    def held(code: str, units: str) -> tuple:
        path = paths[code]
        if units == UNITS_TODAY:
            return (path, *sorted(inherited_paths(path, links)))
        return (path, *((below, day) for below, day in later if below != path and below.startswith(path)))

    return program_ids, {(code, units): held(code, units) for code, units in wanted}


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


def _of_class(enrollment: str, condition: Q) -> Q:
    """``condition`` on a Cohort as a condition on the class of the enrollment at the path
    ``enrollment`` ("" for the queried enrollment itself)."""
    moved = _through(f"{enrollment}cohort__", condition)
    if moved is None:
        return Q(**{f"{enrollment}cohort_id__in": Cohort.objects.filter(condition).values("pk")})
    return moved


_NOT_TRANSFERRED = tuple(s for s in COUNTED_ENROLLMENT_STATUSES if s != EnrollmentStatus.TRANSFERRED)


def transfers_left_out(user, window: Q, conditions: Sequence[Q]) -> QuerySet:
    """The students the figures (``conditions``) leave out because they transferred
    (docs/counting.md, "Students who transferred"), as a query of transferred-out
    enrollments grouped by the figures that leave them out: ``c_0``, … hold the figures as
    bits (as ``_masks`` numbers them); an aggregate added to it counts each group.

    A transferred-out enrollment the user sees, in a class of ``window`` the user reaches,
    is left out of a figure that counts its class when the same student has, in the same
    program, another counted enrollment the user sees in a class the user reaches that the
    figure also counts: the class they moved to. That other enrollment is the one that
    counts unless it was itself transferred out of a class opened earlier (then the later
    one counts: along a chain A -> B -> C, C does; in a figure with only A and B, B does).

    Per transferred-out enrollment, one look-up of the student's other enrollments gives
    the figures that count some class they moved to (a bit mask, ``moved_to``); the figures
    that also count the class they left (the same masks, of their own class) leave them out.
    """
    counted_window = window & Q(status__in=COUNTED_COHORT_STATUSES)
    everything = scope_of(user).everything
    left = Enrollment.objects.visible_to(user).filter(status=EnrollmentStatus.TRANSFERRED)
    other = Enrollment.objects.visible_to(user).filter(status__in=COUNTED_ENROLLMENT_STATUSES)
    if everything:
        left = left.filter(_of_class("", counted_window))
        other = other.filter(_of_class("", counted_window))
    else:
        reached = cohorts_reached(user).counted().filter(window).values("pk")
        left = left.filter(cohort_id__in=reached)
        other = other.filter(cohort_id__in=reached)
    moved_to = (
        other.filter(student_id=OuterRef("student_id"), cohort__program_id=OuterRef("cohort__program_id"))
        .filter(Q(cohort_id__lt=OuterRef("cohort_id")) | Q(cohort_id__gt=OuterRef("cohort_id")))
        .filter(
            Q(status__in=_NOT_TRANSFERRED)
            | Q(cohort__opening_date__gt=OuterRef("cohort__opening_date"))
            | Q(cohort__opening_date=OuterRef("cohort__opening_date"), cohort_id__gt=OuterRef("cohort_id"))
        )
        .order_by()
        .values("student_id")
    )
    both = {}
    figures = [_of_class("", condition) for condition in conditions]
    for j, (own, first) in enumerate(zip(_masks(figures), range(0, len(conditions), _MASK_BITS), strict=True)):
        # The figures (of this column) that count some class the student moved to: the
        # greatest of each figure's bit over the student's other enrollments, added up.
        bits = [
            Max(Case(When(condition, then=Value(1 << bit)), default=Value(0), output_field=BigIntegerField()))
            for bit, condition in enumerate(figures[first : first + _MASK_BITS])
        ]
        theirs = Subquery(
            moved_to.annotate(mask=functools.reduce(operator.add, bits)).values("mask"),
            output_field=BigIntegerField(),
        )
        both[f"c_{j}"] = own.bitand(Coalesce(theirs, Value(0, output_field=BigIntegerField())))
    return left.annotate(part=Value(_LEFT_OUT), **both).values("part", *both)


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
        return _count_many(specs, user)[0]
    answers: list[Counts | None] = [None] * len(specs)
    for who, wanted in ((user, False), (then, True)):
        chosen = [i for i, is_then in enumerate(split) if is_then == wanted]
        for i, counts in zip(chosen, _count_many([specs[i] for i in chosen], who)[0], strict=True):
            answers[i] = counts
    return answers


def count_many_grouped(
    specs: Sequence[CountSpec], user, grouping: Grouping
) -> tuple[list[Counts], dict[tuple, Counts]]:
    """``count_many`` and, in the same counting query, the classes of ``grouping`` summed
    per value of its fields (``{values: Counts}``), each class read once for both. The sums
    are of whole classes: only for a user who reaches every class whole (school-wide staff)."""
    if not scope_of(user).everything:
        raise ValueError("count_many_grouped counts whole classes: only for a user who sees every class.")
    return _count_many(specs, user, grouping)


def _count_many(specs: Sequence[CountSpec], user, grouping: Grouping | None = None):
    """``count_many`` (and ``count_many_grouped``) for one user: the counts, and the
    grouping's sums.

    One statement does the counting (``_counting_query``); a spec's answer is the sum of
    the groups of classes that have its flag, less the students it leaves out - a handful
    of rows.
    """
    if not specs and grouping is None:
        return [], {}
    program_ids, paths = _resolve(specs)
    key = None
    if scope_of(user).everything:
        # What the statement depends on, for a user who sees every class: nothing of theirs.
        key = (
            Cohort.objects.db,
            tuple(specs),
            grouping,
            tuple(sorted(program_ids.items())),
            tuple(sorted(paths.items())),
        )
    rows = _rows(lambda: _counting_query(specs, user, grouping, program_ids, paths), key)
    count = len(specs)
    masks = _mask_columns(count + (grouping is not None))
    totals = [[0, 0] for _ in specs]
    sums: dict[tuple, Counts] = {}
    fields = [f"by_{j}" for j in range(len(grouping.fields))] if grouping is not None else []
    for row in rows:
        classes_in, students_in = row["classes"], row["students"] or 0
        flags = 0
        for j in range(masks if row["part"] == _GROUPS else _mask_columns(count)):
            flags |= (row[f"c_{j}"] or 0) << (_MASK_BITS * j)
        if row["part"] == _LEFT_OUT:
            # ``classes_in`` transferred-out enrollments left out of each figure of ``flags``.
            students_in, classes_in = -classes_in, 0
        elif fields and flags >> count & 1:
            group = tuple(row[name] for name in fields)
            before = sums.get(group, Counts(0, 0))
            sums[group] = Counts(before.classes + classes_in, before.students + students_in)
        flags &= (1 << count) - 1
        while flags:  # each spec whose flag is set
            lowest = flags & -flags
            total = totals[lowest.bit_length() - 1]
            total[0] += classes_in
            total[1] += students_in
            flags ^= lowest
    return [Counts(classes, students) for classes, students in totals], sums


_GROUPS, _LEFT_OUT = 0, 1  # the two parts of the counting query's rows
_MASK_BITS = 62  # flags per column: a signed 64-bit integer on both databases


def _mask_columns(flags: int) -> int:
    return max(1, -(-flags // _MASK_BITS))


def _masks(conditions: Sequence[Q]) -> list[Expression]:
    """The 0/1 flag of each condition as one bit of an integer, ``_MASK_BITS`` to a column:
    the classes are grouped by a few integers rather than by a column per figure (the
    board asks 40), which keeps the grouping small enough for memory."""
    columns = []
    for first in range(0, max(len(conditions), 1), _MASK_BITS):
        bits = [
            Case(When(condition, then=Value(1 << bit)), default=Value(0), output_field=BigIntegerField())
            for bit, condition in enumerate(conditions[first : first + _MASK_BITS])
        ]
        columns.append(functools.reduce(operator.add, bits) if bits else Value(0, output_field=BigIntegerField()))
    return columns


def _counting_query(
    specs: Sequence[CountSpec], user, grouping: Grouping | None, program_ids: dict, paths: dict
) -> QuerySet:
    """The one counting statement, with the columns ``c_0``, ``c_1``, … (as many as specs).

    Its first part gives each class a flag per spec (and one for the grouping's classes,
    after them), as bits of ``c_0`` (and of ``c_1``, … past ``_MASK_BITS`` flags; the other
    columns are empty), groups the classes by them (and by the grouping's fields, ``by_0``,
    …, for the classes it takes), and sums each group's classes and students (each class's
    counted students once: ``students_seen``). Its second part (``UNION ALL``) is one row:
    in ``c_i``, the students spec ``i`` leaves out because they transferred to another class
    it counts (``transfers_left_out``)."""
    conditions = [relation_q(spec.relation, spec.period) & spec.filter.q(paths, program_ids) for spec in specs]
    masks = _masks(conditions + ([grouping.condition] if grouping is not None else []))
    columns = {f"c_{j}": mask for j, mask in enumerate(masks)} | {
        f"c_{i}": Value(None, output_field=BigIntegerField()) for i in range(len(masks), len(specs))
    }
    keys = {}
    if grouping is not None:
        keys = {f"by_{j}": Case(When(grouping.condition, then=F(name))) for j, name in enumerate(grouping.fields)}
    window = None
    if specs:
        # Every relation implies: opened on or before the end, not closed before the start.
        start = min(spec.period.start for spec in specs)
        end = max(spec.period.end for spec in specs)
        window = Q(opening_date__lte=end) & (Q(closing_date__isnull=True) | Q(closing_date__gte=start))
    wanted = window if grouping is None else grouping.condition if window is None else window | grouping.condition
    groups = (
        cohorts_reached(user)
        .counted()
        .filter(wanted)
        .annotate(part=Value(_GROUPS), **columns, **keys)
        .values("part", *columns, *keys)
        .annotate(classes=Count("pk"), students=Sum(students_seen(user)))
        .order_by()
    )
    if window is None:
        return groups
    # The second part's other columns, empty, typed as the first part's (PostgreSQL unites
    # columns of one type only).
    typed = groups.query.annotations
    masks = _mask_columns(len(conditions))
    blanks = {name: Value(None, output_field=typed[name].output_field) for name in list(columns)[masks:]} | {
        name: Value(None, output_field=typed[name].output_field) for name in keys
    }
    # The columns in the first part's order: the transferred-out enrollments of each group of
    # figures in ``classes``.
    left_out = transfers_left_out(user, window, conditions).annotate(**blanks, classes=Count("pk"), students=Value(0))
    return groups.union(left_out.order_by(), all=True)


# The counting statements of users who see every class (school-wide staff, commands), by
# what they depend on (``_count_many``'s key): building and compiling the ORM expressions
# of 8 lines (40 figures on the board) costs more than the database takes to answer them
# on 100.000 enrollments, and the statement is the same for every such user. Kept per
# process, the most recently used last; each is compiled again after a restart.
_STATEMENTS: OrderedDict[tuple, tuple[str, tuple] | None] = OrderedDict()
STATEMENTS_KEPT = 64
_STATEMENTS_LOCK = threading.Lock()


def _rows(build: Callable[[], QuerySet], key: tuple | None) -> list[dict]:
    """The rows of the query ``build`` returns, as dicts; with a ``key``, its compiled
    statement is kept and later calls with the same key run it without building it."""
    if key is None:
        return list(build())
    with _STATEMENTS_LOCK:
        known = key in _STATEMENTS
        statement = _STATEMENTS.get(key)
        if known:
            _STATEMENTS.move_to_end(key)
    if not known:
        queryset = build()
        try:
            statement = queryset.query.get_compiler(using=queryset.db).as_sql()
        except EmptyResultSet:  # a query that cannot match anything is not run
            statement = None
        with _STATEMENTS_LOCK:
            _STATEMENTS[key] = statement
            while len(_STATEMENTS) > STATEMENTS_KEPT:
                _STATEMENTS.popitem(last=False)
    if statement is None:
        return []
    with connections[key[0]].cursor() as cursor:
        cursor.execute(*statement)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def counts_text(counts) -> str:
    """``13 lớp, 1.040 học viên``: a figure's classes and students (anything with both)."""
    classes = ngettext("%(count)s class", "%(count)s classes", counts.classes) % {"count": format_count(counts.classes)}
    students = ngettext("%(count)s student", "%(count)s students", counts.students) % {
        "count": format_int(counts.students)
    }
    return f"{classes}, {students}"


def count(spec: CountSpec, user) -> Counts:
    return count_many([spec], user)[0]
