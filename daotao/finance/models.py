"""The money of a class: a supported class's budget (its funding source and cost items,
planned and settled), a self-funded class's fee, and what each student paid, each payment
with its receipt (biên lai) numbered per year.

Money is in đồng, whole numbers (``BigIntegerField``), never floats; the database refuses
negative and absurd amounts too. Changes go through ``services.py`` (audited); the admin
only shows them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from daotao.cohorts.models import Cohort
from daotao.grading.models import InRegister, register_field
from daotao.teaching.models import CohortRecordQuerySet

# The largest amount of one cost item, a payment or a fee: ten billion đồng. A class's whole
# budget is far below it; a figure above is a typing slip (a few zeros too many).
MAX_AMOUNT = 10_000_000_000
# The largest pay per standard hour.
MAX_RATE = 10_000_000


def amount_in_range(field: str, name: str, *, positive: bool = False) -> models.CheckConstraint:
    low = Q(**{f"{field}__gt": 0}) if positive else Q(**{f"{field}__gte": 0})
    return models.CheckConstraint(condition=low & Q(**{f"{field}__lte": MAX_AMOUNT}), name=name)


class FundingSource(models.TextChoices):
    PROVINCE = "province", _("Province budget")
    LOCALITY = "locality", _("Locality budget")
    OTHER = "other", _("Other source")


class CostItem(models.TextChoices):
    TEACHING = "teaching", _("Teaching pay")
    MATERIALS = "materials", _("Materials")
    FIELD_TRIP = "field_trip", _("Field trip")
    CERTIFICATES = "certificates", _("Certificates and diplomas")
    OTHER = "other", _("Other costs")


class Budget(models.Model):
    """A supported class's budget: where the money comes from, the pay per standard hour
    (teaching pay = the class's standard hours × it, ``budget.teaching_pay``) and, once
    settled (quyết toán), the day."""

    cohort = models.OneToOneField(Cohort, models.CASCADE, related_name="budget", verbose_name=_("class"))
    source = models.CharField(_("funding source"), max_length=16, choices=FundingSource.choices)
    pay_rate = models.BigIntegerField(_("pay per standard hour (đồng)"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("settled by")
    )

    objects = CohortRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("class budget")
        verbose_name_plural = _("class budgets")
        constraints = [
            models.CheckConstraint(condition=Q(pay_rate__gte=0, pay_rate__lte=MAX_RATE), name="budget_rate_in_range"),
        ]

    def __str__(self) -> str:
        return str(_("Budget of %(cohort)s") % {"cohort": self.cohort})

    @property
    def is_settled(self) -> bool:
        return self.settled_on is not None


class BudgetLineQuerySet(CohortRecordQuerySet):
    cohort_field = "budget__cohort"


class BudgetLine(models.Model):
    """One cost item of a budget: planned and, at settlement, settled."""

    budget = models.ForeignKey(Budget, models.CASCADE, related_name="lines", verbose_name=_("budget"))
    item = models.CharField(_("cost item"), max_length=16, choices=CostItem.choices)
    planned = models.BigIntegerField(_("planned (đồng)"), default=0)
    settled = models.BigIntegerField(_("settled (đồng)"), null=True, blank=True)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["budget", "item"], name="budget_line_once_per_item"),
            amount_in_range("planned", "budget_line_planned_in_range"),
            models.CheckConstraint(
                condition=Q(settled__isnull=True) | Q(settled__gte=0, settled__lte=MAX_AMOUNT),
                name="budget_line_settled_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {self.planned}"


class Fee(models.Model):
    """A self-funded class's fee per student; with ``bars_exam``, a student who has not paid
    it in full does not sit the exams (``fees.unpaid_enrollment_ids``)."""

    cohort = models.OneToOneField(Cohort, models.CASCADE, related_name="fee", verbose_name=_("class"))
    amount = models.BigIntegerField(_("fee per student (đồng)"))
    bars_exam = models.BooleanField(
        _("bars the exam when unpaid"), default=False, help_text=_("A student who owes part of the fee sits no exam.")
    )

    objects = CohortRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("class fee")
        verbose_name_plural = _("class fees")
        constraints = [amount_in_range("amount", "fee_amount_in_range", positive=True)]

    def __str__(self) -> str:
        return str(_("Fee of %(cohort)s") % {"cohort": self.cohort})


class ReceiptCounter(models.Model):
    """The last receipt number given in a year in the school's own register; locked while a
    payment takes the next. A merged school's receipts (``Payment.register``) get no new
    number."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("receipt counter")
        verbose_name_plural = _("receipt counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class PaymentQuerySet(CohortRecordQuerySet):
    cohort_field = "enrollment__cohort"

    def valid(self) -> PaymentQuerySet:
        """Payments whose receipt is not voided: what a student has paid."""
        return self.filter(voided_at__isnull=True)


class Payment(InRegister, models.Model):
    """What a student paid of the fee on a day, with its receipt ``number/year`` (0001/2026)
    in the school's own register, or (``register``) in the register of a school merged into
    this one, as that school wrote it. A receipt is never deleted: a mistaken one is voided
    with a reason, its number kept."""

    enrollment = models.ForeignKey(
        "cohorts.Enrollment", models.PROTECT, related_name="payments", verbose_name=_("student")
    )
    amount = models.BigIntegerField(_("amount (đồng)"))
    paid_on = models.DateField(_("paid on"))
    year = models.PositiveSmallIntegerField(_("receipt year"))
    number = models.PositiveIntegerField(_("receipt number"))
    register = register_field()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("voided by")
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=255, blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["register", "year", "number"], name="payment_receipt_number_once_a_year"),
            amount_in_range("amount", "payment_amount_in_range", positive=True),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""), name="payment_voided_with_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_number

    @property
    def receipt_number(self) -> str:
        return f"{self.number:04d}/{self.year}"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None
