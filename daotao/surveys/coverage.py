"""Evaluation coverage of a year: for every class that ran in it, whether its before, end
and after rounds were run and their response rates, measured against the yearly targets
of the evaluation rules (Thông tư 10/2017/TT-BNV: 20% of courses on programme, lecturers,
facilities and organisation; 10% on the learners; at least one course after the course).

Definitions, in one place:
- the classes of year Y are the counted classes active in Y (DESIGN.md section 4);
- a class is evaluated on the course in Y when it has a round during or at the end of the
  course about the course, one of its modules or one of its lecturers, closing in Y with at
  least one answer; on the learners likewise with a round about the learners;
- the courses evaluated after the course in Y are the classes with an "after" round that
  closes in Y with at least one answer, whenever the class itself ran.
The table lists every round of each class, whatever year it closes in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from daotao.cohorts.models import Cohort
from daotao.reports.engine import ACTIVE, Period, relation_q
from daotao.surveys.models import EvaluationRules, Invitation, Phase, Subject, SurveyRound

COURSE_SUBJECTS = (Subject.COURSE, Subject.MODULE, Subject.LECTURER)


@dataclass
class RoundFigures:
    round: SurveyRound
    invited: int
    answered: int

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.answered) / self.invited if self.invited else None


def _run_in(figures: RoundFigures, year: int) -> bool:
    """A round counts toward a year's targets when it closes in that year with answers."""
    return figures.round.closes_on.year == year and figures.answered > 0


@dataclass
class CohortCoverage:
    cohort: Cohort
    year: int
    before: list[RoundFigures] = field(default_factory=list)
    course: list[RoundFigures] = field(default_factory=list)
    learners: list[RoundFigures] = field(default_factory=list)
    after: list[RoundFigures] = field(default_factory=list)

    @property
    def evaluated_on_course(self) -> bool:
        return any(_run_in(figures, self.year) for figures in self.course)

    @property
    def evaluated_on_learners(self) -> bool:
        return any(_run_in(figures, self.year) for figures in self.learners)


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
class Coverage:
    year: int
    rules: EvaluationRules
    cohorts: list[CohortCoverage]
    after_in_year: list[RoundFigures]

    @property
    def classes(self) -> int:
        return len(self.cohorts)

    def _share(self, count: int) -> Decimal:
        return (Decimal(count) * 100 / self.classes).quantize(Decimal("0.01")) if self.classes else Decimal(0)

    @property
    def course_count(self) -> int:
        return sum(1 for row in self.cohorts if row.evaluated_on_course)

    @property
    def learner_count(self) -> int:
        return sum(1 for row in self.cohorts if row.evaluated_on_learners)

    @property
    def after_count(self) -> int:
        return len({f.round.cohort_id for f in self.after_in_year if _run_in(f, self.year)})

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


def _figures(rounds) -> list[RoundFigures]:
    """Each round with its invitations counted (``Invitation.counted``) and answered, in
    one query for all of them."""
    rounds = list(rounds.select_related("cohort", "module", "lecturer"))
    counts = {
        row["round_id"]: row
        for row in Invitation.objects.filter(round__in=[r.pk for r in rounds])
        .counted()
        .values("round_id")
        .annotate(invited=Count("id"), answered=Count("id", filter=Q(answered=True)))
        .order_by()
    }
    empty = {"invited": 0, "answered": 0}
    return [RoundFigures(r, counts.get(r.pk, empty)["invited"], counts.get(r.pk, empty)["answered"]) for r in rounds]


def year_coverage(year: int, cohorts=None) -> Coverage:
    """The coverage of ``year`` over ``cohorts`` (all classes by default; a scoped
    QuerySet for a coordinator), in six queries whatever the number of classes."""
    period = Period.year(year)
    base = (cohorts if cohorts is not None else Cohort.objects.all()).counted()
    active = base.filter(relation_q(ACTIVE, period)).select_related("program").order_by("opening_date", "code")
    rows = {cohort.pk: CohortCoverage(cohort, year) for cohort in active}
    rounds = SurveyRound.objects.filter(cohort_id__in=list(rows)).order_by("closes_on", "pk")
    for figures in _figures(rounds):
        row = rows[figures.round.cohort_id]
        phase, subject = figures.round.phase, figures.round.subject
        if phase == Phase.BEFORE:
            row.before.append(figures)
        elif phase == Phase.AFTER:
            row.after.append(figures)
        elif subject in COURSE_SUBJECTS:
            row.course.append(figures)
        if subject == Subject.LEARNERS and phase != Phase.AFTER:
            row.learners.append(figures)
    after = SurveyRound.objects.filter(phase=Phase.AFTER, closes_on__year=year, cohort__in=base.values("pk"))
    return Coverage(year, EvaluationRules.current(), list(rows.values()), _figures(after.order_by("closes_on", "pk")))
