"""The national totals: how the Academy answers a question from the schools' packages.

One rule (docs/figures-format.md, ``lines``): every line of a package was counted by the
school's engine with exactly its filters, so a question is answered by picking, in each
school's package for exactly that period, the lines whose filters match it — the relation
asked, the mode and funding asked or ``ALL`` where none is asked, the locality ``ALL`` —
and adding them up over the programs asked (or all of them, or those of the kind asked).
Finer lines are never added up to a coarser figure: a student who moved between two classes
is one student in the coarser line and one in each finer one. Programs add up (students
never move between programs), and so do schools.

``lines_q`` is that rule; ``national_figures`` (the command ``national_stats``) and
``national_many`` (the dashboard, several questions in one query) apply it per school;
``national_trend`` by calendar year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from daotao.academy.format import ALL, FUNDINGS, KINDS, MODES, RELATIONS
from daotao.academy.models import FigureLine, FiguresPackage, RegisteredSchool, calendar_year
from daotao.lib.vietnamese import format_date, text_sort_key


class StatsInputError(ValueError):
    """A question that cannot be asked; ``field`` names the option, ``message`` says why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True, order=True)
class Period:
    """The period of a package: its first and last day."""

    start: dt.date
    end: dt.date

    @property
    def year(self) -> int | None:
        return calendar_year(self.start, self.end)

    @property
    def token(self) -> str:
        """How an address names it: ``2020`` for a calendar year, else ``2026-03-01_2026-04-30``."""
        return str(self.year) if self.year else f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def label(self) -> str:
        if self.year:
            return _("Year %(year)s") % {"year": self.year}
        return f"{format_date(self.start)}–{format_date(self.end)}"

    @classmethod
    def parse(cls, token: str) -> Period:
        """The period ``token`` names (ValueError when it names none)."""
        token = (token or "").strip()
        if token.isdigit() and len(token) == 4:
            year = int(token)
            return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))
        start, separator, end = token.partition("_")
        if not separator:
            raise ValueError(token)
        period = cls(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
        if period.start > period.end:
            raise ValueError(token)
        return period

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


@dataclass(frozen=True)
class Question:
    """What is counted: a relation, and the programs (codes, or a kind, or every program),
    the mode and the funding asked ("" for every value)."""

    relation: str
    programs: tuple[str, ...] = ()
    kind: str = ""
    mode: str = ""
    funding: str = ""

    def __post_init__(self):
        for name, value, choices in (
            ("relation", self.relation, RELATIONS),
            ("kind", self.kind, KINDS),
            ("mode", self.mode, MODES),
            ("funding", self.funding, FUNDINGS),
        ):
            if (value or name == "relation") and value not in choices:
                raise StatsInputError(
                    name,
                    _("“%(value)s” is not one of %(choices)s.") % {"value": value, "choices": ", ".join(choices)},
                )

    def as_dict(self) -> dict:
        return {
            "programs": list(self.programs),
            "kind": self.kind or None,
            "mode": self.mode or None,
            "funding": self.funding or None,
        }


def lines_q(question: Question) -> Q:
    """The lines that answer ``question`` (the module's rule), over the programs asked."""
    q = Q(relation=question.relation, mode=question.mode or ALL, funding=question.funding or ALL, locality=ALL)
    if question.programs:
        q &= Q(program__in=question.programs)
    if question.kind:
        q &= Q(program_kind=question.kind)
    return q


@dataclass
class Figures:
    classes: int = 0
    students: int = 0

    def add(self, other: Figures) -> None:
        self.classes += other.classes
        self.students += other.students

    def as_dict(self) -> dict:
        return {"classes": self.classes, "students": self.students}


@dataclass
class SchoolFigures:
    school: RegisteredSchool
    figures: Figures

    def as_dict(self) -> dict:
        school = self.school
        return {"code": school.code, "name": school.name, "province": school.province, **self.figures.as_dict()}


@dataclass
class NationalFigures:
    """The answer to one question for one period: the national total, each school that sent
    a package for exactly that period, and the active schools that did not (``missing``)."""

    period: Period
    question: Question
    total: Figures
    schools: list[SchoolFigures]
    missing: list[RegisteredSchool] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "period": self.period.as_dict(),
            "relation": self.question.relation,
            "filter": self.question.as_dict(),
            "total": self.total.as_dict(),
            "schools": [school.as_dict() for school in self.schools],
            "missing": [school.code for school in self.missing],
        }


def school_order(school: RegisteredSchool) -> tuple[str, str]:
    """Schools as the Academy lists them: by province in Vietnamese order, then code."""
    return (text_sort_key(school.province), school.code)


def national_many(period: Period, questions: list[Question]) -> list[NationalFigures]:
    """The answer to each of ``questions`` for ``period``, in three queries whatever the
    number of schools and questions: the registered schools, the period's packages, and the
    sums of every question's lines per package."""
    schools = sorted(RegisteredSchool.objects.all(), key=school_order)
    packages = dict(
        FiguresPackage.objects.filter(period_from=period.start, period_to=period.end)
        .order_by()
        .values_list("school_id", "pk")
    )
    sums = {}
    if packages and questions:
        wanted = Q()
        aggregates = {}
        for index, question in enumerate(questions):
            q = lines_q(question)
            wanted |= q
            aggregates[f"c{index}"] = Sum("classes", filter=q)
            aggregates[f"s{index}"] = Sum("students", filter=q)
        rows = (
            FigureLine.objects.filter(package__in=list(packages.values()))
            .filter(wanted)
            .values("package_id")
            .annotate(**aggregates)
        )
        sums = {row["package_id"]: row for row in rows}
    answers = []
    for index, question in enumerate(questions):
        answer = NationalFigures(period, question, Figures(), [])
        for school in schools:
            package = packages.get(school.pk)
            if package is None:
                if school.active:
                    answer.missing.append(school)
                continue
            row = sums.get(package, {})
            figures = Figures(row.get(f"c{index}") or 0, row.get(f"s{index}") or 0)
            answer.total.add(figures)
            answer.schools.append(SchoolFigures(school, figures))
        answers.append(answer)
    return answers


def national_figures(period: Period, question: Question) -> NationalFigures:
    """The answer to ``question`` for ``period`` (``national_stats``)."""
    return national_many(period, [question])[0]


@dataclass
class YearFigures:
    year: int
    schools: int  # the schools whose package for the year is in
    figures: dict[str, Figures]  # by relation


def national_trend(relations: tuple[str, ...]) -> list[YearFigures]:
    """National totals of every calendar year with packages, for each of ``relations``
    (every program, mode, funding and locality: the programs' total lines), with the number
    of schools that sent the year's package; two queries whatever the years and schools."""
    schools = dict(
        FiguresPackage.objects.filter(calendar_year__isnull=False)
        .order_by()
        .values("calendar_year")
        .annotate(count=Count("pk"))
        .values_list("calendar_year", "count")
    )
    years = {
        year: YearFigures(year, count, {r: Figures() for r in relations}) for year, count in sorted(schools.items())
    }
    if not years:
        return []
    wanted = Q()
    for relation in relations:
        wanted |= lines_q(Question(relation))
    rows = (
        FigureLine.objects.filter(wanted, package__calendar_year__isnull=False)
        .values("package__calendar_year", "relation")
        .annotate(classes=Sum("classes"), students=Sum("students"))
        .values_list("package__calendar_year", "relation", "classes", "students")
    )
    for year, relation, classes, students in rows:
        years[year].figures[relation] = Figures(classes, students)
    return list(years.values())


def imported_periods() -> list[tuple[Period, int]]:
    """Every period some school sent a package for, the latest first, with how many did."""
    rows = (
        FiguresPackage.objects.order_by()
        .values("period_from", "period_to")
        .annotate(count=Count("pk"))
        .values_list("period_from", "period_to", "count")
    )
    return sorted(
        ((Period(start, end), count) for start, end, count in rows), key=lambda p: (p[0].end, p[0].start), reverse=True
    )
