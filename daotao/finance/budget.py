"""A supported class's budget as the pages, workbooks and settlement read it: each cost item
planned and settled, and the teaching pay computed from the class's standard hours
(``workload.hours.cohort_teaching_hours``) × the budget's pay per standard hour."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from daotao.finance.models import Budget, CostItem
from daotao.org.models import Lecturer
from daotao.workload.hours import cohort_teaching_hours


@dataclass
class PayLine:
    lecturer: Lecturer
    hours: Decimal
    amount: int


@dataclass
class ItemLine:
    item: str
    label: str
    planned: int
    settled: int | None

    @property
    def difference(self) -> int | None:
        return None if self.settled is None else self.settled - self.planned


@dataclass
class BudgetFigures:
    budget: Budget
    items: list[ItemLine]
    pay: list[PayLine]

    @property
    def pay_total(self) -> int:
        return sum(line.amount for line in self.pay)

    @property
    def hours_total(self) -> Decimal:
        return sum((line.hours for line in self.pay), Decimal(0))

    @property
    def planned(self) -> int:
        return sum(line.planned for line in self.items)

    @property
    def settled(self) -> int | None:
        if any(line.settled is None for line in self.items):
            return None
        return sum(line.settled for line in self.items)

    @property
    def difference(self) -> int | None:
        """Settled less planned, once every item is settled."""
        return None if self.settled is None else self.settled - self.planned


def money(value: Decimal) -> int:
    """A computed amount in whole đồng, rounded half up."""
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def teaching_pay(budget: Budget) -> list[PayLine]:
    """Per lecturer of the class: standard hours so far and their pay at the budget's rate."""
    hours = cohort_teaching_hours(budget.cohort)
    lecturers = Lecturer.objects.in_bulk(list(hours))
    lines = [PayLine(lecturers[pk], value, money(value * budget.pay_rate)) for pk, value in hours.items() if value]
    return sorted(lines, key=lambda line: line.lecturer.sort_key)


def budget_figures(budget: Budget) -> BudgetFigures:
    """Every cost item in the order of ``CostItem``; the teaching pay's settled amount is the
    one stored at settlement (before it, none: the computed pay is shown beside it)."""
    stored = {line.item: line for line in budget.lines.all()}
    items = [
        ItemLine(
            item,
            label,
            stored[item].planned if item in stored else 0,
            stored[item].settled if item in stored else None,
        )
        for item, label in CostItem.choices
    ]
    return BudgetFigures(budget, items, teaching_pay(budget))
