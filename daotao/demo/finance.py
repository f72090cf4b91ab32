"""The demo's money of classes: the finished Trung cấp class's budget from the province's
budget, settled with its teaching pay computed from the workload; the fostering class made
self-funded, with a fee that bars the exam when unpaid, its students' payments and
receipts (one voided and recorded again), and one student still owing part of the fee."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from daotao.accounts.models import User
from daotao.cohorts.models import Cohort, Funding
from daotao.demo import data
from daotao.demo import teaching_data as td
from daotao.finance import services
from daotao.finance.models import Budget, CostItem, Fee, FundingSource

PAY_RATE = 150_000  # đồng per standard hour
PLANNED = {
    CostItem.TEACHING: 170_000_000,
    CostItem.MATERIALS: 25_000_000,
    CostItem.FIELD_TRIP: 40_000_000,
    CostItem.CERTIFICATES: 3_000_000,
    CostItem.OTHER: 10_000_000,
}
SETTLED = {
    CostItem.MATERIALS: 23_800_000,
    CostItem.FIELD_TRIP: 38_500_000,
    CostItem.CERTIFICATES: 2_850_000,
    CostItem.OTHER: 8_400_000,
}
SETTLED_ON = dt.date(2026, 8, 14)
FEE = 2_500_000
# The student (in class order) who paid only part of the fee, and what they paid.
OWING, PART_PAID = 3, 1_500_000


def load() -> None:
    """Write the demo's finance once."""
    office = User.objects.get(username=data.USERS[0][0])
    today = timezone.localdate()
    supported = Cohort.objects.filter(code=td.TC_CODE).first()
    if supported is not None and not Budget.objects.filter(cohort=supported).exists():
        budget = services.budget_save(
            user=office,
            cohort=supported,
            source=FundingSource.PROVINCE,
            pay_rate=PAY_RATE,
            planned=PLANNED,
            settled=SETTLED,
            notes="Kinh phí theo Quyết định giao dự toán của UBND tỉnh năm 2025.",
        )
        services.budget_settle(user=office, budget=budget, settled_on=min(SETTLED_ON, today))
    fostering = Cohort.objects.filter(code=td.CV_CODE).first()
    if fostering is None or Fee.objects.filter(cohort=fostering).exists():
        return
    Cohort.objects.filter(pk=fostering.pk).update(funding=Funding.SELF_FUNDED)
    fostering.refresh_from_db()
    services.fee_save(user=office, cohort=fostering, amount=FEE, bars_exam=True)
    enrollments = list(fostering.enrollments.on_roll().select_related("student").in_class_order())
    for index, enrollment in enumerate(enrollments):
        paid_on = min(td.CV_OPENING + dt.timedelta(days=index % 5), today)
        if index == 0:  # typed 250.000 for 2.500.000: voided, then recorded again
            mistaken = services.payment_record(user=office, enrollment=enrollment, amount=250_000, paid_on=paid_on)
            services.payment_void(user=office, payment=mistaken, reason="Ghi nhầm số tiền (thiếu một chữ số 0).")
        amount = PART_PAID if index == OWING else FEE
        services.payment_record(user=office, enrollment=enrollment, amount=amount, paid_on=paid_on)
