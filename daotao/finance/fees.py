"""A self-funded class's fees: what each student on the roll owes and has paid, and who is
barred from the exams for not having paid in full. The one home of "paid in full"."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from daotao.cohorts.models import Enrollment
from daotao.finance.models import Fee

PAID = Coalesce(Sum("payments__amount", filter=Q(payments__voided_at__isnull=True)), 0)


@dataclass
class FeeLine:
    enrollment: Enrollment
    due: int
    paid: int

    @property
    def owed(self) -> int:
        return max(self.due - self.paid, 0)


@dataclass
class FeeStatus:
    fee: Fee | None
    lines: list[FeeLine]

    @property
    def due(self) -> int:
        return sum(line.due for line in self.lines)

    @property
    def paid(self) -> int:
        return sum(line.paid for line in self.lines)

    @property
    def owed(self) -> int:
        return sum(line.owed for line in self.lines)

    @property
    def owing(self) -> int:
        return sum(1 for line in self.lines if line.owed)


def _fee(cohort) -> Fee | None:
    return Fee.objects.filter(cohort=cohort).first()


def fee_status(cohort, enrollments=None) -> FeeStatus:
    """Each student on the roll (of ``enrollments``, the class's by default), in class order,
    with the fee due and what valid receipts paid. Two queries."""
    fee = _fee(cohort)
    if fee is None:
        return FeeStatus(None, [])
    enrollments = cohort.enrollments.all() if enrollments is None else enrollments
    rows = enrollments.on_roll().select_related("student").annotate(paid_total=PAID).in_class_order()
    return FeeStatus(fee, [FeeLine(row, fee.amount, row.paid_total) for row in rows])


def unpaid_enrollment_ids(cohort) -> set[int]:
    """The enrollments on the roll who have not paid the fee in full, where the class's fee
    bars the exam; an empty set otherwise (no fee, or a fee that does not bar). Two queries."""
    fee = _fee(cohort)
    if fee is None or not fee.bars_exam:
        return set()
    rows = cohort.enrollments.on_roll().annotate(paid_total=PAID).filter(paid_total__lt=fee.amount)
    return set(rows.values_list("pk", flat=True))
