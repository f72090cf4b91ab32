"""A school's figures package for the national Academy (docs/figures-format.md): the counted
figures of a period, with no personal data, gathered from the one home of each rule.

* ``lines``: classes and students of every relation, by program, and within each program by
  every combination of mode, funding and locality that has classes, each counted by the
  reports engine with exactly that filter (``reports.engine.count_many``, as the operator,
  localities as units were then: the host locality recorded on each class, and every unit
  above it). A student who transferred counts once in every line that covers both classes
  (docs/counting.md), so finer lines never add up to a coarser one; programs do add up
  (nobody transfers between programs): ``lines_total`` picks the lines of a question and
  adds them over programs, as the Academy does with its stored rows;
* ``quota``: each plan year wholly in the period, its quota lines and what achieved them
  (``planning.achievement.quota_achievement``);
* ``graduation``: the graduates of the graduation decisions dated in the period, per program
  and classification band (``grading.rules.band_counts``);
* ``evaluation``: the evaluation coverage of each calendar year wholly in the period
  (``surveys.coverage.coverage_figures``);
* ``careers``: the career events dated in the period, per kind (``surveys.CareerEvent``).

The package is built in a number of queries that does not grow with the classes, students
or enrollments: a few for the period, three per ``CHUNK`` lines counted, and a few per year.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from daotao.accounts.scope import SYSTEM
from daotao.cohorts.models import COUNTED_COHORT_STATUSES, COUNTED_ENROLLMENT_STATUSES, Cohort
from daotao.grading.models import GraduationEntry
from daotao.grading.rules import band_counts, classification_name, rules_for
from daotao.lib.batches import chunks
from daotao.lib.dates import MAX_YEAR, MIN_YEAR, is_year
from daotao.org.models import Unit, ancestor_paths
from daotao.planning.achievement import QuotaTotal, quota_achievement, quota_lines
from daotao.planning.models import Quota
from daotao.programs.models import Program
from daotao.reports.engine import (
    RELATIONS,
    UNITS_THEN,
    CohortFilter,
    CountSpec,
    Period,
    ReportInputError,
    count_many,
    relation_q,
)
from daotao.school import identity
from daotao.surveys.coverage import coverage_figures
from daotao.surveys.models import CareerEvent, CareerEventKind

FORMAT = "daotao-figures/1"
# Lines counted by one call of the engine (one counting statement): its statement holds a
# condition per line, twice (the classes and the students who transferred).
CHUNK = 200
# A package's period spans at most this many calendar years (a longer one: several packages).
MAX_YEARS = 10
# The filters a line may split a program's figures by, in the order of ``Line``.
SPLITS = ("mode", "funding", "locality")

# A line's key: (relation, program code, mode, funding, locality code); None: not split by it.
Line = tuple[str, str, str | None, str | None, str | None]


def package_period(start: dt.date, end: dt.date) -> Period:
    """The period of a package: ``ReportInputError`` (naming the day at fault) when it ends before it
    starts, has a day outside the years of the records (``MIN_YEAR`` to ``MAX_YEAR``) or
    spans more than ``MAX_YEARS`` calendar years."""
    for field, day in (("from", start), ("to", end)):
        if not is_year(day.year):
            raise ReportInputError(
                field, _("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
            )
    period = Period(start, end)
    if end.year - start.year >= MAX_YEARS:
        raise ReportInputError(
            "to",
            _("A figures package covers at most %(years)s calendar years: send a longer period as several packages.")
            % {"years": MAX_YEARS},
        )
    return period


def whole_years(period: Period) -> list[int]:
    """The calendar years that lie wholly within ``period`` (quotas and evaluation coverage
    are yearly)."""
    first = period.start.year if period.start == dt.date(period.start.year, 1, 1) else period.start.year + 1
    last = period.end.year if period.end == dt.date(period.end.year, 12, 31) else period.end.year - 1
    return list(range(first, last + 1))


def figures_package(start: dt.date, end: dt.date, *, key_id: str) -> dict:
    """The ``package`` part of a figures file for the period ``start``..``end`` (both days
    included), naming ``key_id``, the id of the key that signs it (``lib.signing.key_id``)."""
    period = package_period(start, end)
    school = identity.current()
    lines, units = _lines(period)
    years = whole_years(period)
    quota = _quota(years)
    graduation_counts = _graduation_counts(period)
    program_codes = {line["program"] for line in lines} | set(graduation_counts)
    program_codes |= {line["program"] for year in quota for line in year["lines"]}
    programs = list(Program.objects.filter(code__in=program_codes).select_related("grading_rules").order_by("code"))
    with translation.override(settings.LANGUAGE_CODE):
        careers = _careers(period)
    return {
        "format": FORMAT,
        "school": {"name": school.name, "province": school.province, "key_id": key_id},
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "created_at": timezone.now().astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "programs": [
            {"code": program.code, "name": program.name, "kind": program.kind, "category": program.category}
            for program in programs
        ],
        "localities": units,
        "lines": lines,
        "quota": quota,
        "graduation": _graduation(graduation_counts, programs),
        "evaluation": _evaluation(years),
        "careers": careers,
    }


# --- lines ---------------------------------------------------------------------------------


def _null_first(value: str | None) -> tuple[bool, str]:
    return (value is not None, value or "")


def line_keys(period: Period) -> tuple[list[Line], dict[str, dict]]:
    """The lines to count, in the package's order, and the units they name by path: for
    every relation and program with classes, the program's total and every finer
    combination of mode, funding and locality (the host locality or a unit above it) that
    has classes in that relation. Two queries: the classes' combinations in the period, each
    with how many classes it has in each relation, and the units."""
    in_relation = {f"n_{relation}": Count("pk", filter=relation_q(relation, period)) for relation in RELATIONS}
    window = Q(opening_date__lte=period.end) & (Q(closing_date__isnull=True) | Q(closing_date__gte=period.start))
    combinations = (
        Cohort.objects.counted()
        .filter(window)
        .values("program__code", "mode", "funding", "host_locality__path")
        .annotate(**in_relation)
        .order_by()
    )
    keys: set[Line] = set()
    paths: set[str] = set()
    for row in combinations:
        held_in = ancestor_paths(row["host_locality__path"])
        paths.update(held_in)
        for relation in RELATIONS:
            if not row[f"n_{relation}"]:
                continue
            for mode, funding, path in itertools.product((None, row["mode"]), (None, row["funding"]), (None, *held_in)):
                keys.add((relation, row["program__code"], mode, funding, path))
    units = {
        path: {"code": code, "name": name, "kind": kind, "parent": parent}
        for path, code, name, kind, parent in Unit.objects.filter(path__in=paths).values_list(
            "path", "code", "name", "kind", "parent__code"
        )
    }
    named = [
        (relation, program, mode, funding, units[path]["code"] if path is not None else None)
        for relation, program, mode, funding, path in keys
    ]
    named.sort(key=lambda key: (RELATIONS.index(key[0]), key[1], *map(_null_first, key[2:])))
    return named, units


def _lines(period: Period) -> tuple[list[dict], list[dict]]:
    """The package's ``lines`` (those with classes) and ``localities`` (the units they name)."""
    keys, units = line_keys(period)
    specs = [
        CountSpec(
            period,
            relation,
            CohortFilter(
                programs=(program,), mode=mode or "", funding=funding or "", locality=locality or "", units=UNITS_THEN
            ),
        )
        for relation, program, mode, funding, locality in keys
    ]
    counts = [counted for part in chunks(specs, CHUNK) for counted in count_many(part, SYSTEM)]
    lines = [
        dict(zip(("relation", "program", *SPLITS), key, strict=True))
        | {"classes": counted.classes, "students": counted.students}
        for key, counted in zip(keys, counts, strict=True)
        if counted.classes
    ]
    named = {line["locality"] for line in lines}
    localities = sorted((unit for unit in units.values() if unit["code"] in named), key=lambda unit: unit["code"])
    return lines, localities


# --- quota, graduation, evaluation, careers ---------------------------------------------------


def _quota(years: Sequence[int]) -> list[dict]:
    """Each plan year among ``years`` with quota lines: its lines and what achieved them, as
    the yearly report's quota table counts them (students); one query, and three a year."""
    plan_years = sorted(set(Quota.objects.filter(plan__year__in=years).values_list("plan__year", flat=True)))
    quota = []
    for year in plan_years:
        lines = quota_lines(quota_achievement(year, SYSTEM))
        total = QuotaTotal.of(lines)
        quota.append(
            {
                "year": year,
                "planned": total.planned_students,
                "achieved": total.actual_students,
                "lines": [
                    {
                        "locality": line.locality_code,
                        "locality_name": line.locality_name,
                        "program": line.program_code,
                        "funding": line.funding,
                        "planned": line.planned_students,
                        "achieved": line.actual_students,
                    }
                    for line in lines
                ],
            }
        )
    return quota


def _graduation_counts(period: Period) -> dict[str, Counter]:
    """{program code: Counter(classification: graduates)} of the graduation decisions dated
    in the period, in counted classes; one query."""
    rows = (
        GraduationEntry.objects.filter(
            decision__date__gte=period.start,
            decision__date__lte=period.end,
            enrollment__status__in=COUNTED_ENROLLMENT_STATUSES,
            enrollment__cohort__status__in=COUNTED_COHORT_STATUSES,
        )
        .values_list("enrollment__cohort__program__code", "classification")
        .annotate(graduates=Count("pk"))
        .order_by()
    )
    counts: dict[str, Counter] = defaultdict(Counter)
    for program, classification, graduates in rows:
        counts[program][classification] += graduates
    return counts


def _graduation(counts: dict[str, Counter], programs: Sequence[Program]) -> list[dict]:
    """Per program, its graduates and the graduation summary's bands (``band_counts`` in the
    program's rules: each band with graduates, best first, named as printed)."""
    graduation = []
    for program in programs:
        if program.code not in counts:
            continue
        rules = rules_for(program)
        codes = list(counts[program.code].elements())
        graduation.append(
            {
                "program": program.code,
                "graduates": len(codes),
                "bands": [
                    {"band": item.band.code, "label": classification_name(item.band.code, rules), "count": item.count}
                    for item in band_counts(codes, rules)
                ],
            }
        )
    return graduation


def _evaluation(years: Sequence[int]) -> list[dict]:
    """The evaluation coverage of each year (``coverage_figures``, over every class)."""
    evaluation = []
    for year in years:
        figures = coverage_figures(year)
        evaluation.append(
            {
                "year": year,
                "classes": figures.classes,
                "evaluated": figures.course_count,
                "evaluated_learners": figures.learner_count,
                "evaluated_after": figures.after_count,
            }
        )
    return evaluation


def _careers(period: Period) -> list[dict]:
    """Every kind of career event with how many are dated in the period; one query."""
    counted = dict(
        CareerEvent.objects.filter(date__gte=period.start, date__lte=period.end)
        .values_list("kind")
        .annotate(events=Count("pk"))
        .order_by()
    )
    return [
        {"kind": kind, "label": str(label), "count": counted.get(kind, 0)} for kind, label in CareerEventKind.choices
    ]
