"""The year's money of every class: the classes opened in the year (not cancelled) with a
budget or a fee, each counted once, in the year it opened, whatever years its course and
payments run over; for each, the budget planned and settled, or the fees due, paid and owed.
A fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from daotao.cohorts.models import COUNTED_ENROLLMENT_STATUSES, Cohort, CohortStatus, Enrollment
from daotao.finance.models import BudgetLine, Payment


@dataclass
class ClassMoney:
    cohort: Cohort
    source: str = ""
    planned: int = 0
    settled: int | None = None
    settled_on: dt.date | None = None
    students: int = 0
    fee: int = 0
    due: int = 0
    paid: int = 0

    @property
    def owed(self) -> int:
        return max(self.due - self.paid, 0)


@dataclass
class YearFinance:
    year: int
    supported: list[ClassMoney] = field(default_factory=list)
    self_funded: list[ClassMoney] = field(default_factory=list)

    @property
    def planned(self) -> int:
        return sum(line.planned for line in self.supported)

    @property
    def settled(self) -> int:
        return sum(line.settled or 0 for line in self.supported)

    @property
    def due(self) -> int:
        return sum(line.due for line in self.self_funded)

    @property
    def paid(self) -> int:
        return sum(line.paid for line in self.self_funded)

    @property
    def owed(self) -> int:
        return sum(line.owed for line in self.self_funded)


def year_finance(year: int) -> YearFinance:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cohorts = list(
        Cohort.objects.filter(opening_date__gte=start, opening_date__lte=end)
        .exclude(status=CohortStatus.CANCELLED)
        .filter(Q(budget__isnull=False) | Q(fee__isnull=False))
        .select_related("budget", "fee", "program")
        .order_by("opening_date", "code")
    )
    ids = [cohort.pk for cohort in cohorts]
    lines = {
        row["budget__cohort_id"]: row
        for row in BudgetLine.objects.filter(budget__cohort_id__in=ids)
        .values("budget__cohort_id")
        .annotate(
            planned_total=Sum("planned"),
            settled_total=Sum("settled"),
            unsettled=Count("pk", filter=Q(settled__isnull=True)),
        )
    }
    students = dict(
        Enrollment.objects.filter(cohort_id__in=ids)
        .on_roll()
        .values("cohort_id")
        .annotate(n=Count("pk"))
        .values_list("cohort_id", "n")
    )
    paid = dict(
        Payment.objects.valid()
        .filter(enrollment__cohort_id__in=ids, enrollment__status__in=COUNTED_ENROLLMENT_STATUSES)
        .values("enrollment__cohort_id")
        .annotate(total=Sum("amount"))
        .values_list("enrollment__cohort_id", "total")
    )
    report = YearFinance(year)
    for cohort in cohorts:
        budget = getattr(cohort, "budget", None)
        if budget is not None:
            row = lines.get(cohort.pk, {})
            settled = row.get("settled_total") if budget.is_settled and not row.get("unsettled") else None
            report.supported.append(
                ClassMoney(
                    cohort, budget.get_source_display(), row.get("planned_total") or 0, settled, budget.settled_on
                )
            )
        fee = getattr(cohort, "fee", None)
        if fee is not None:
            count = students.get(cohort.pk, 0)
            report.self_funded.append(
                ClassMoney(cohort, students=count, fee=fee.amount, due=count * fee.amount, paid=paid.get(cohort.pk, 0))
            )
    return report
