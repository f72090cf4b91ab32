"""Changing the money of a class: the training office only, each change audited
(``audit.models.record``), refused with a Vietnamese message and nothing changed.

Receipt numbers come from a ``ReceiptCounter`` row per year locked for the transaction
(``select_for_update`` on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), and
the database refuses a number given twice (a unique constraint): two payments recorded at
once get two numbers, one after the other. A voided receipt keeps its number. Numbers are
given in the school's own register only (``OWN_REGISTER``): a school merged into this one
keeps its receipts in its own register (``Payment.register``), numbered as it wrote them,
which may repeat the school's own; they count as paid and may be voided, never renumbered."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daotao.accounts.access import is_training_office
from daotao.audit.models import record, snapshot
from daotao.cohorts.models import Cohort, Enrollment, Funding
from daotao.finance.budget import budget_figures
from daotao.finance.fees import PAID
from daotao.finance.models import (
    MAX_AMOUNT,
    MAX_RATE,
    Budget,
    BudgetLine,
    CostItem,
    Fee,
    Payment,
    ReceiptCounter,
)
from daotao.grading.models import OWN_REGISTER
from daotao.lib.vietnamese import format_date, format_int

BUDGET_FIELDS = ["source", "pay_rate", "notes", "settled_on"]
FEE_FIELDS = ["amount", "bars_exam"]
PAYMENT_FIELDS = ["enrollment", "amount", "paid_on", "year", "number", "voided_at", "void_reason"]
REASON_MAX = Payment._meta.get_field("void_reason").max_length


def _office(user) -> None:
    if not is_training_office(user):
        raise PermissionDenied(_("Only the training office keeps the money of classes."))


def check_amount(value, field: str, *, positive: bool = False, maximum: int = MAX_AMOUNT) -> int:
    """An amount in whole đồng, from 0 (or 1) to ``maximum``; else a ``ValidationError``
    on ``field``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: _("Enter an amount in whole đồng.")})
    if value < 0 or (positive and value == 0):
        raise ValidationError(
            {field: _("The amount must be more than 0.") if positive else _("The amount cannot be negative.")}
        )
    if value > maximum:
        raise ValidationError(
            {field: _("The amount is too large (at most %(max)s đồng).") % {"max": format_int(maximum)}}
        )
    return value


def _locked_cohort(cohort) -> Cohort:
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


@transaction.atomic
def budget_save(*, user, cohort, source, pay_rate, planned: dict, settled: dict | None = None, notes="") -> Budget:
    """Create or change a supported class's budget: its source, pay rate and each cost item's
    planned (and settled, but the teaching pay's) amounts. Refused once settled."""
    _office(user)
    cohort = _locked_cohort(cohort)
    if cohort.funding != Funding.SUPPORTED:
        raise ValidationError(_("Only a class whose training costs are supported has a budget."))
    check_amount(pay_rate, "pay_rate", maximum=MAX_RATE)
    budget = Budget.objects.filter(cohort=cohort).first()
    if budget is not None and budget.is_settled:
        raise ValidationError(_("This budget is settled: it can no longer be changed."))
    before = snapshot(budget, BUDGET_FIELDS) if budget else {}
    budget = budget or Budget(cohort=cohort)
    budget.source, budget.pay_rate, budget.notes = source, pay_rate, notes
    budget.full_clean()
    budget.save()
    stored = {line.item: line for line in budget.lines.all()}
    lines_before = {item: [line.planned, line.settled] for item, line in stored.items()}
    settled = settled or {}
    for item in CostItem.values:
        line = stored.get(item) or BudgetLine(budget=budget, item=item)
        line.planned = check_amount(planned.get(item, 0), f"planned_{item}")
        if item != CostItem.TEACHING:
            value = settled.get(item)
            line.settled = None if value is None else check_amount(value, f"settled_{item}")
        line.save()
    after = snapshot(budget, BUDGET_FIELDS)
    lines_after = {line.item: [line.planned, line.settled] for line in budget.lines.all()}
    record(
        user,
        budget,
        "finance.budget_save",
        {**before, "lines": lines_before},
        {**after, "lines": lines_after},
    )
    return budget


@transaction.atomic
def budget_settle(*, user, budget, settled_on: dt.date) -> Budget:
    """Settle (quyết toán) a budget: the teaching pay computed now from the class's standard
    hours is kept as its settled amount; every other item needs its settled amount."""
    _office(user)
    budget = Budget.objects.select_for_update().select_related("cohort").get(pk=budget.pk)
    if budget.is_settled:
        raise ValidationError(_("This budget is settled already."))
    if settled_on > timezone.localdate():
        raise ValidationError({"settled_on": _("A budget cannot be settled on a day still to come.")})
    if settled_on < budget.cohort.opening_date:
        raise ValidationError(
            {
                "settled_on": _("A budget cannot be settled before the class opened (%(opening)s).")
                % {"opening": format_date(budget.cohort.opening_date)}
            }
        )
    figures = budget_figures(budget)
    missing = [line.label for line in figures.items if line.item != CostItem.TEACHING and line.settled is None]
    if missing:
        raise ValidationError(
            _("Enter the settled amount of: %(items)s.") % {"items": ", ".join(str(label) for label in missing)}
        )
    check_amount(figures.pay_total, "settled_teaching")
    before = snapshot(budget, BUDGET_FIELDS)
    BudgetLine.objects.update_or_create(budget=budget, item=CostItem.TEACHING, defaults={"settled": figures.pay_total})
    budget.settled_on, budget.settled_by = settled_on, user
    budget.save(update_fields=["settled_on", "settled_by"])
    record(
        user,
        budget,
        "finance.budget_settle",
        before,
        {**snapshot(budget, BUDGET_FIELDS), "teaching": figures.pay_total},
    )
    return budget


@transaction.atomic
def fee_save(*, user, cohort, amount, bars_exam: bool) -> Fee:
    """Set a self-funded class's fee per student, and whether it bars the exam when unpaid."""
    _office(user)
    cohort = _locked_cohort(cohort)
    if cohort.funding != Funding.SELF_FUNDED:
        raise ValidationError(_("Only a self-funded class has a fee."))
    check_amount(amount, "amount", positive=True)
    fee = Fee.objects.filter(cohort=cohort).first()
    before = snapshot(fee, FEE_FIELDS) if fee else {}
    fee = fee or Fee(cohort=cohort)
    fee.amount, fee.bars_exam = amount, bars_exam
    fee.full_clean()
    fee.save()
    record(user, fee, "finance.fee_save", before, snapshot(fee, FEE_FIELDS))
    return fee


def _next_number(year: int) -> int:
    """The next receipt number of ``year`` in the school's own register, inside the caller's
    transaction: the counter row stays locked until it commits, so concurrent payments wait
    for each other."""
    counter = ReceiptCounter.objects.select_for_update().filter(year=year).first()
    if counter is None:
        try:
            with transaction.atomic():  # a savepoint: a concurrent first payment may create it too
                ReceiptCounter.objects.create(year=year)
        except IntegrityError:
            pass  # created (and committed) by the other payment a moment ago
        counter = ReceiptCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def payment_record(*, user, enrollment, amount, paid_on: dt.date) -> Payment:
    """Record what a student paid and give its receipt the next number of the year it was
    paid in, in the school's own register. Refused for a class without a fee, a student not
    on the roll, a day to come or before the year before the class opened, and more than the
    student still owes."""
    _office(user)
    enrollment = Enrollment.objects.select_for_update().select_related("cohort").get(pk=enrollment.pk)
    fee = Fee.objects.filter(cohort_id=enrollment.cohort_id).first()
    if fee is None:
        raise ValidationError(_("This class has no fee to pay."))
    if not Enrollment.objects.filter(pk=enrollment.pk).on_roll().exists():
        raise ValidationError({"enrollment": _("This student is not on the class's roll.")})
    check_amount(amount, "amount", positive=True)
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("A payment cannot be dated on a day still to come.")})
    # A fee may be paid ahead, at admission, but not years before the class.
    earliest = dt.date(enrollment.cohort.opening_date.year - 1, 1, 1)
    if paid_on < earliest:
        raise ValidationError(
            {
                "paid_on": _("A payment of this class's fee cannot be dated before %(earliest)s.")
                % {"earliest": format_date(earliest)}
            }
        )
    paid = Enrollment.objects.filter(pk=enrollment.pk).annotate(paid_total=PAID).values_list("paid_total", flat=True)
    owed = fee.amount - paid[0]
    if amount > owed:
        raise ValidationError(
            {
                "amount": _("This student owes %(owed)s đồng: a payment cannot be more.")
                % {"owed": format_int(max(owed, 0))}
            }
        )
    payment = Payment(
        enrollment=enrollment,
        amount=amount,
        paid_on=paid_on,
        year=paid_on.year,
        recorded_by=user,
        number=0,
        register=OWN_REGISTER,
    )
    payment.number = _next_number(paid_on.year)
    payment.full_clean(validate_constraints=False)
    payment.save()
    record(user, payment, "finance.payment_record", {}, snapshot(payment, PAYMENT_FIELDS))
    return payment


@transaction.atomic
def payment_void(*, user, payment, reason: str) -> Payment:
    """Void a receipt (never delete it): with a reason; the payment no longer counts."""
    _office(user)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the receipt is voided.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("The reason is too long (at most %(max)s characters).") % {"max": REASON_MAX}}
        )
    if payment.is_voided:
        raise ValidationError(_("This receipt is voided already."))
    before = snapshot(payment, PAYMENT_FIELDS)
    payment.voided_at, payment.voided_by, payment.void_reason = timezone.now(), user, reason
    payment.save(update_fields=["voided_at", "voided_by", "void_reason"])
    record(user, payment, "finance.payment_void", before, snapshot(payment, PAYMENT_FIELDS), note=reason)
    return payment
