"""Evaluation coverage of a year: for every class that ran in it, whether its before, end
and after rounds were run and their response rates, measured against the yearly targets
of the evaluation rules (Thông tư 10/2017/TT-BNV: 20% of courses on programme, lecturers,
facilities and organisation; 10% on the learners; at least one course after the course).

Definitions, in one place (docs/counting.md, "Evaluation coverage"):
- the classes of year Y are the counted classes active in Y (DESIGN.md section 4);
- a round counts when its valid forms (``Response.valid``: submitted, not void for blank
  items) reach its threshold (``SurveyRound.threshold_under``: the round's own, else the
  rules' ``min_answers``), the same threshold below which its results stay hidden; a round
  with answers below it is "not enough answers (valid/threshold)". A closed anonymous
  round's pool is written out first (``daotao.surveys.pool``), as its results page does;
  while an anonymous round is open only the forms already out of the pool are counted;
- a class is evaluated on the course in Y when it has a round during or at the end of the
  course about the course, one of its modules or one of its lecturers, closing in Y, that
  counts; on the learners likewise with a round about the learners;
- the courses evaluated after the course in Y are the classes with an "after" round that
  closes in Y and counts, whenever the class itself ran.
The table lists every round of each class, whatever year it closes in. The figures (how
many classes were evaluated, on what) are counted by the database, in two queries whatever
the number of classes (``coverage_figures``, which the board shows): the page and the board
give the same figures from the same expression.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from daotao.cohorts.models import Cohort
from daotao.reports.engine import ACTIVE, Period, relation_q
from daotao.surveys import pool
from daotao.surveys.models import (
    EvaluationRules,
    Invitation,
    Phase,
    Response,
    SealedResponse,
    Subject,
    SurveyRound,
)

COURSE_SUBJECTS = (Subject.COURSE, Subject.MODULE, Subject.LECTURER)
# The phases of the rounds that evaluate a class on the course (during it or at its end) and
# on the learners (any but after the course), for the table and the counts alike.
COURSE_PHASES = (Phase.DURING, Phase.END)
LEARNER_PHASES = (Phase.BEFORE, Phase.DURING, Phase.END)
COURSE_ROUNDS = Q(phase__in=COURSE_PHASES, subject__in=COURSE_SUBJECTS)
LEARNER_ROUNDS = Q(phase__in=LEARNER_PHASES, subject=Subject.LEARNERS)
AFTER_ROUNDS = Q(phase=Phase.AFTER)


@dataclass
class RoundFigures:
    round: SurveyRound
    invited: int
    answered: int
    valid: int = 0
    threshold: int = 0
    # An anonymous round still open with forms in the pool: counted once they are out.
    waiting: bool = False

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.answered) / self.invited if self.invited else None

    @property
    def enough(self) -> bool:
        """Its valid forms reach its threshold: the round counts."""
        return self.valid >= self.threshold

    @property
    def short(self) -> bool:
        """Answered, but not enough valid forms to count (shown as valid/threshold)."""
        return not self.enough and (self.answered > 0 or self.valid > 0)


@dataclass
class CohortCoverage:
    cohort: Cohort
    year: int
    before: list[RoundFigures] = field(default_factory=list)
    course: list[RoundFigures] = field(default_factory=list)
    learners: list[RoundFigures] = field(default_factory=list)
    after: list[RoundFigures] = field(default_factory=list)


@dataclass
class Target:
    label: str
    achieved: Decimal | int
    target: Decimal | int
    is_share: bool

    @property
    def met(self) -> bool:
        return self.achieved >= self.target


@dataclass
class CoverageFigures:
    """How many classes of ``year`` were evaluated, on what, against the rules' targets."""

    year: int
    rules: EvaluationRules
    classes: int
    course_count: int
    learner_count: int
    after_count: int

    def _share(self, count: int) -> Decimal:
        return (Decimal(count) * 100 / self.classes).quantize(Decimal("0.01")) if self.classes else Decimal(0)

    @property
    def course_share(self) -> Decimal:
        return self._share(self.course_count)

    @property
    def learner_share(self) -> Decimal:
        return self._share(self.learner_count)

    @property
    def targets_met(self) -> dict[str, bool]:
        return {
            "course": self.course_share >= self.rules.target_course_percent,
            "learners": self.learner_share >= self.rules.target_learner_percent,
            "after": self.after_count >= self.rules.target_after_courses,
        }


@dataclass
class Coverage(CoverageFigures):
    """The figures with the page's table: every class of the year with its rounds, and the
    rounds after the course that close in the year."""

    cohorts: list[CohortCoverage]
    after_in_year: list[RoundFigures]


def _valid_forms():
    forms = Response.objects.filter(round=OuterRef("pk"), valid=True).order_by().values("round")
    return Coalesce(Subquery(forms.annotate(count=Count("pk")).values("count"), output_field=IntegerField()), 0)


def _figures(rounds, rules: EvaluationRules, today: dt.date) -> list[RoundFigures]:
    """Each round with its invitations counted (``Invitation.counted``) and answered, and
    its valid forms against its threshold, in two queries for all of them (more only when a
    closed anonymous round's pool is written out first)."""
    rounds = list(
        rounds.select_related("cohort", "module", "lecturer").annotate(
            valid_forms=_valid_forms(), in_pool=Exists(SealedResponse.objects.filter(round=OuterRef("pk")))
        )
    )
    flushed = [r for r in rounds if r.in_pool and r.is_closed(today)]
    if flushed:
        for survey_round in flushed:
            pool.pool_flush(survey_round, today=today)
        valid = dict(
            Response.objects.filter(round__in=[r.pk for r in flushed], valid=True)
            .values("round_id")
            .annotate(count=Count("pk"))
            .values_list("round_id", "count")
            .order_by()
        )
        for survey_round in flushed:
            survey_round.valid_forms = valid.get(survey_round.pk, 0)
    counts = {
        row["round_id"]: row
        for row in Invitation.objects.filter(round__in=[r.pk for r in rounds])
        .counted()
        .values("round_id")
        .annotate(invited=Count("id"), answered=Count("id", filter=Q(answered=True)))
        .order_by()
    }
    empty = {"invited": 0, "answered": 0}
    return [
        RoundFigures(
            r,
            counts.get(r.pk, empty)["invited"],
            counts.get(r.pk, empty)["answered"],
            valid=r.valid_forms,
            threshold=r.threshold_under(rules),
            waiting=r.in_pool and not r.is_closed(today),
        )
        for r in rounds
    ]


def _classes(cohorts) -> QuerySet[Cohort]:
    return (cohorts if cohorts is not None else Cohort.objects.all()).counted()


def _evaluated(year: int, rules: EvaluationRules, kind: Q) -> Q:
    """The classes with a round of kind ``kind`` that counts toward ``year``: closing in it
    with its valid forms at its threshold (``SurveyRound.threshold_under``). The rounds are
    found once, not class by class: the database keeps their classes in a hash."""
    rounds = (
        SurveyRound.objects.filter(kind, closes_on__year=year)
        .annotate(valid_forms=_valid_forms(), threshold_of=SurveyRound.threshold_expression(rules))
        .filter(valid_forms__gte=models.F("threshold_of"))
    )
    return Q(pk__in=rounds.values("cohort_id"))


def _count(year: int, rules: EvaluationRules, base) -> CoverageFigures:
    """The figures in two queries over ``base`` (the counted classes one may see): the
    classes active in ``year`` with those of them evaluated on the course and on the
    learners, then the classes, whenever they ran, evaluated after the course in ``year``."""
    active = base.filter(relation_q(ACTIVE, Period.year(year))).order_by()
    counts = active.aggregate(
        classes=Count("pk"),
        course=Count("pk", filter=_evaluated(year, rules, COURSE_ROUNDS)),
        learners=Count("pk", filter=_evaluated(year, rules, LEARNER_ROUNDS)),
    )
    after = base.filter(_evaluated(year, rules, AFTER_ROUNDS)).count()
    return CoverageFigures(year, rules, counts["classes"], counts["course"], counts["learners"], after)


def coverage_figures(year: int, cohorts=None, today: dt.date | None = None) -> CoverageFigures:
    """The figures of ``year`` over ``cohorts`` (all classes by default; a scoped QuerySet
    for a coordinator) without the table, in four queries whatever the number of classes
    (more only when closed anonymous rounds' pools are written out first, as on the page)."""
    today = today or timezone.localdate()
    rules = EvaluationRules.current()
    base = _classes(cohorts)
    closing = SurveyRound.objects.filter(cohort__in=base.values("pk"), closes_on__year=year, closes_on__lt=today)
    for survey_round in closing.filter(Exists(SealedResponse.objects.filter(round=OuterRef("pk")))):
        pool.pool_flush(survey_round, today=today)
    return _count(year, rules, base)


def year_coverage(year: int, cohorts=None, today: dt.date | None = None) -> Coverage:
    """The coverage of ``year`` over ``cohorts`` (all classes by default; a scoped
    QuerySet for a coordinator): the figures and the table, in eight queries whatever the
    number of classes (more only when closed anonymous rounds' pools are written out first)."""
    today = today or timezone.localdate()
    rules = EvaluationRules.current()
    period = Period.year(year)
    base = _classes(cohorts)
    active = base.filter(relation_q(ACTIVE, period)).select_related("program").order_by("opening_date", "code")
    rows = {cohort.pk: CohortCoverage(cohort, year) for cohort in active}
    rounds = SurveyRound.objects.filter(cohort_id__in=list(rows)).order_by("closes_on", "pk")
    for figures in _figures(rounds, rules, today):
        row = rows[figures.round.cohort_id]
        phase, subject = figures.round.phase, figures.round.subject
        if phase == Phase.BEFORE:
            row.before.append(figures)
        elif phase == Phase.AFTER:
            row.after.append(figures)
        elif phase in COURSE_PHASES and subject in COURSE_SUBJECTS:
            row.course.append(figures)
        if phase in LEARNER_PHASES and subject == Subject.LEARNERS:
            row.learners.append(figures)
    after = SurveyRound.objects.filter(AFTER_ROUNDS, closes_on__year=year, cohort__in=base.values("pk"))
    after_figures = _figures(after.order_by("closes_on", "pk"), rules, today)
    # Every pool due has been written out above (the rounds of the year's classes and the
    # year's rounds after the course): the figures count what the table shows.
    figures = _count(year, rules, base)
    return Coverage(**vars(figures), cohorts=list(rows.values()), after_in_year=after_figures)
