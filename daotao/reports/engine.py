"""The counting engine: the one definition of how reports count (DESIGN.md section 4).

A period is a closed date range [start, end]. A cohort's relation to it:

* ``opened``       - opening date within the period;
* ``carried_over`` - opened before ``start`` and not closed before ``start``;
* ``active``       - opened on or before ``end`` and not closed before ``start``;
* ``closed``       - closing date within the period.

Cancelled cohorts count nowhere; a cohort's students are its enrollments that were not
cancelled. A user's figures count the classes they reach, each with the students they see
in it (``cohorts.access``, as the overview and the class list count): every student of a
class held in a coordinator's locality, only their own in a class held elsewhere; an
agency's staff in the classes they studied in. Any number of counts is answered in a
constant number of queries: at most one to resolve program and locality codes each, and
one that counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils.translation import gettext as _

from daotao.cohorts.access import cohorts_reached, students_seen
from daotao.cohorts.models import Funding, Mode
from daotao.org.models import Unit
from daotao.programs.models import Program, ProgramKind, ReportCategory

OPENED, CARRIED_OVER, ACTIVE, CLOSED = "opened", "carried_over", "active", "closed"
RELATIONS = (OPENED, CARRIED_OVER, ACTIVE, CLOSED)


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

    def __post_init__(self):
        if self.category and self.category not in ReportCategory.values:
            raise ReportInputError("category", _("Unknown program category “%(value)s”.") % {"value": self.category})
        if self.kind and self.kind not in ProgramKind.values:
            raise ReportInputError("kind", _("Unknown kind of program “%(value)s”.") % {"value": self.kind})
        if self.mode and self.mode not in Mode.values:
            raise ReportInputError("mode", _("Unknown mode “%(value)s”.") % {"value": self.mode})
        if self.funding and self.funding not in Funding.values:
            raise ReportInputError("funding", _("Unknown funding “%(value)s”.") % {"value": self.funding})

    def q(self, locality_paths: dict[str, str]) -> Q:
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
            condition &= Q(host_locality__path__startswith=locality_paths[self.locality])
        return condition

    def as_dict(self) -> dict:
        return {
            "programs": list(self.programs),
            "category": self.category or None,
            "kind": self.kind or None,
            "mode": self.mode or None,
            "funding": self.funding or None,
            "locality": self.locality or None,
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


def _resolve_codes(specs: Sequence[CountSpec]) -> dict[str, str]:
    """Check program codes and map locality codes to unit paths (one query each, if used)."""
    program_codes = {code for spec in specs for code in spec.filter.programs}
    if program_codes:
        known = set(Program.objects.filter(code__in=program_codes).values_list("code", flat=True))
        unknown = sorted(program_codes - known)
        if unknown:
            raise ReportInputError("program", _("Unknown program code: %(codes)s.") % {"codes": ", ".join(unknown)})
    locality_codes = {spec.filter.locality for spec in specs if spec.filter.locality}
    paths: dict[str, str] = {}
    if locality_codes:
        paths = dict(Unit.objects.filter(code__in=locality_codes).values_list("code", "path"))
        unknown = sorted(locality_codes - set(paths))
        if unknown:
            raise ReportInputError("locality", _("Unknown locality code: %(codes)s.") % {"codes": ", ".join(unknown)})
    return paths


def count_many(specs: Sequence[CountSpec], user) -> list[Counts]:
    """Answer every spec over the classes ``user`` reaches, in at most three queries.

    One grouped query does the counting: each cohort gets a 0/1 flag per spec, cohorts
    are grouped by their flags, and each group sums its classes and its students (each
    cohort's counted students come from the (cohort, status) index, once per cohort). A
    spec's answer is the sum over the groups whose flag for it is 1 - a handful of rows.
    """
    if not specs:
        return []
    paths = _resolve_codes(specs)
    flags = {
        f"in_{i}": Case(
            When(relation_q(spec.relation, spec.period) & spec.filter.q(paths), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for i, spec in enumerate(specs)
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
        .annotate(classes=Count("pk"), students=Sum(students_seen(user)))
        .order_by()
    )
    totals = [[0, 0] for _ in specs]
    for group in groups:
        for i, total in enumerate(totals):
            if group[f"in_{i}"]:
                total[0] += group["classes"]
                total[1] += group["students"] or 0
    return [Counts(classes, students) for classes, students in totals]


def count(spec: CountSpec, user) -> Counts:
    return count_many([spec], user)[0]
