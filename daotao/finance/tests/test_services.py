"""The budget, its settlement with the teaching pay from the workload, the fee, payments,
receipts and who is barred from the exam; each refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from daotao.audit.models import AuditEntry
from daotao.cohorts.models import Cohort, Enrollment
from daotao.finance import services
from daotao.finance.budget import budget_figures
from daotao.finance.fees import fee_status, unpaid_enrollment_ids
from daotao.finance.models import Budget, BudgetLine, CostItem, Payment
from daotao.teaching import services as teaching
from daotao.testing import TeachingWorldTestCase, enroll, make_cohort
from daotao.workload.models import WorkloadRules

NOW = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)
PLANNED = {"teaching": 5_000_000, "materials": 2_000_000, "field_trip": 0, "certificates": 300_000, "other": 100_000}
SETTLED = {"materials": 1_950_000, "field_trip": 0, "certificates": 280_000, "other": 100_000}


@time_machine.travel(NOW, tick=False)
class BudgetTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        WorkloadRules.objects.all().delete()
        WorkloadRules.objects.create(year=2026, lecture=Decimal("1.2"), norm=Decimal(270))
        # The class has 6 students: no size coefficient; no program coefficient.
        for day, lecturer, module, periods in [
            (dt.date(2026, 3, 10), cls.lecturer, cls.m1, 5),  # 6,00 hours
            (dt.date(2026, 3, 11), cls.lecturer, cls.m2, 4),  # 4,80
            (dt.date(2026, 3, 12), cls.other_lecturer, cls.m3, 5),  # 6,00
            (dt.date(2026, 3, 30), cls.other_lecturer, cls.m3, 5),  # not held yet
        ]:
            teaching.lesson_schedule(
                user=cls.office,
                cohort=cls.cohort,
                module=module,
                lecturer=lecturer,
                date=day,
                session="morning",
                periods=periods,
            )

    def save(self, **changes):
        values = {
            "user": self.office,
            "cohort": self.cohort,
            "source": "province",
            "pay_rate": 150_000,
            "planned": PLANNED,
            "settled": SETTLED,
        }
        return services.budget_save(**{**values, **changes})

    def test_teaching_pay_from_the_workload(self):
        figures = budget_figures(self.save())
        pay = {line.lecturer.pk: (line.hours, line.amount) for line in figures.pay}
        self.assertEqual(
            pay,
            {
                self.lecturer.pk: (Decimal("10.80"), 1_620_000),
                self.other_lecturer.pk: (Decimal("6.00"), 900_000),
            },
        )
        self.assertEqual(figures.pay_total, 2_520_000)
        self.assertEqual(figures.planned, 7_400_000)
        self.assertIsNone(figures.settled)  # the teaching pay is settled at settlement only

    def test_settling_keeps_the_teaching_pay_computed_that_day(self):
        budget = self.save()
        services.budget_settle(user=self.office, budget=budget, settled_on=dt.date(2026, 3, 20))
        budget.refresh_from_db()
        self.assertEqual(budget.settled_on, dt.date(2026, 3, 20))
        self.assertEqual(BudgetLine.objects.get(budget=budget, item="teaching").settled, 2_520_000)
        figures = budget_figures(budget)
        self.assertEqual(figures.settled, 2_520_000 + 1_950_000 + 280_000 + 100_000)
        self.assertEqual(
            list(AuditEntry.objects.filter(object_id=str(budget.pk)).order_by("pk").values_list("action", flat=True)),
            ["finance.budget_save", "finance.budget_settle"],
        )
        with self.assertRaises(ValidationError):
            self.save(pay_rate=1)
        with self.assertRaises(ValidationError):
            services.budget_settle(user=self.office, budget=budget, settled_on=dt.date(2026, 3, 20))
        self.assertEqual(Budget.objects.get(pk=budget.pk).pay_rate, 150_000)

    def test_settling_needs_every_item_and_no_day_to_come(self):
        budget = self.save(settled={"materials": 1})
        with self.assertRaisesMessage(ValidationError, str(CostItem.FIELD_TRIP.label)):
            services.budget_settle(user=self.office, budget=budget, settled_on=dt.date(2026, 3, 20))
        budget = self.save()
        with self.assertRaises(ValidationError):
            services.budget_settle(user=self.office, budget=budget, settled_on=dt.date(2026, 3, 21))
        self.assertFalse(Budget.objects.get(pk=budget.pk).is_settled)

    def test_bad_amounts_change_nothing(self):
        self.save()
        for changes in (
            {"pay_rate": -1},
            {"pay_rate": 50_000_000},
            {"planned": {**PLANNED, "materials": -5}},
            {"planned": {**PLANNED, "other": 10_000_000_001}},
            {"settled": {**SETTLED, "other": 2.5}},
        ):
            with self.subTest(changes), self.assertRaises(ValidationError):
                self.save(**{**changes, "source": "locality"})
        self.assertEqual(Budget.objects.get(cohort=self.cohort).source, "province")

    def test_only_the_office_and_only_a_supported_class(self):
        for user in (self.board, self.lecturer_user, self.coordinator):
            with self.assertRaises(PermissionDenied):
                self.save(user=user)
        Cohort.objects.filter(pk=self.cohort.pk).update(funding="self_funded")
        with self.assertRaises(ValidationError):
            self.save()
        self.assertFalse(Budget.objects.exists())


@time_machine.travel(NOW, tick=False)
class FeeTests(TeachingWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.paying = make_cohort("TT01", cls.tc, cls.h01, dt.date(2026, 1, 5), funding="self_funded")
        cls.students = list(Enrollment.objects.filter(pk__in=[e.pk for e in enroll(cls.paying, 3)]).in_class_order())

    def pay(self, enrollment, amount, day=dt.date(2026, 3, 2)):
        return services.payment_record(user=self.office, enrollment=enrollment, amount=amount, paid_on=day)

    def test_a_payment_years_before_the_class_is_refused(self):
        services.fee_save(user=self.office, cohort=self.paying, amount=2_000_000, bars_exam=True)
        for day in (dt.date(1, 1, 1), dt.date(2019, 5, 1), dt.date(2024, 12, 31)):
            with self.subTest(day=day), self.assertRaises(ValidationError) as refused:
                self.pay(self.students[0], 100_000, day)
            self.assertIn("paid_on", refused.exception.message_dict)
        self.assertEqual(self.pay(self.students[0], 100_000, dt.date(2025, 1, 2)).year, 2025)

    def test_receipts_numbered_per_year_and_audited(self):
        services.fee_save(user=self.office, cohort=self.paying, amount=2_000_000, bars_exam=True)
        first = self.pay(self.students[0], 2_000_000, dt.date(2025, 12, 30))
        second = self.pay(self.students[1], 500_000)
        third = self.pay(self.students[1], 500_000)
        self.assertEqual([p.receipt_number for p in (first, second, third)], ["0001/2025", "0001/2026", "0002/2026"])
        self.assertEqual(AuditEntry.objects.filter(action="finance.payment_record").count(), 3)
        status = fee_status(self.paying)
        self.assertEqual(
            [(line.paid, line.owed) for line in status.lines], [(2_000_000, 0), (1_000_000, 1_000_000), (0, 2_000_000)]
        )
        self.assertEqual((status.due, status.paid, status.owed, status.owing), (6_000_000, 3_000_000, 3_000_000, 2))

    def test_who_is_barred_from_the_exam(self):
        self.assertEqual(unpaid_enrollment_ids(self.paying), set())  # no fee
        services.fee_save(user=self.office, cohort=self.paying, amount=2_000_000, bars_exam=False)
        self.assertEqual(unpaid_enrollment_ids(self.paying), set())  # the fee does not bar
        services.fee_save(user=self.office, cohort=self.paying, amount=2_000_000, bars_exam=True)
        self.pay(self.students[0], 2_000_000)
        self.pay(self.students[1], 1_999_999)
        with self.assertNumQueries(2):
            barred = unpaid_enrollment_ids(self.paying)
        self.assertEqual(barred, {self.students[1].pk, self.students[2].pk})
        Enrollment.objects.filter(pk=self.students[2].pk).update(status="cancelled")
        self.assertEqual(unpaid_enrollment_ids(self.paying), {self.students[1].pk})
        self.assertEqual(unpaid_enrollment_ids(self.cohort), set())  # a supported class

    def test_a_voided_receipt_keeps_its_number_and_no_longer_counts(self):
        services.fee_save(user=self.office, cohort=self.paying, amount=2_000_000, bars_exam=True)
        mistaken = self.pay(self.students[0], 2_000_000)
        with self.assertRaises(ValidationError):
            services.payment_void(user=self.office, payment=mistaken, reason="  ")
        services.payment_void(user=self.office, payment=mistaken, reason="Ghi nhầm học viên.")
        self.assertIn(self.students[0].pk, unpaid_enrollment_ids(self.paying))
        again = self.pay(self.students[0], 2_000_000)
        self.assertEqual(again.receipt_number, "0002/2026")
        self.assertEqual(Payment.objects.count(), 2)
        with self.assertRaises(ValidationError):
            services.payment_void(user=self.office, payment=mistaken, reason="Lần nữa")
        entry = AuditEntry.objects.get(action="finance.payment_void")
        self.assertEqual(entry.note, "Ghi nhầm học viên.")

    def test_refusals_change_nothing(self):
        with self.assertRaises(ValidationError):  # no fee yet
            self.pay(self.students[0], 1_000)
        services.fee_save(user=self.office, cohort=self.paying, amount=2_000_000, bars_exam=True)
        self.pay(self.students[0], 1_500_000)
        for enrollment, amount, day in (
            (self.students[0], 600_000, dt.date(2026, 3, 2)),  # more than owed
            (self.students[1], 0, dt.date(2026, 3, 2)),
            (self.students[1], -10, dt.date(2026, 3, 2)),
            (self.students[1], 1_000, dt.date(2026, 3, 21)),  # a day to come
        ):
            with self.subTest(amount=amount, day=day), self.assertRaises(ValidationError):
                self.pay(enrollment, amount, day)
        with self.assertRaises(PermissionDenied):
            services.payment_record(user=self.board, enrollment=self.students[1], amount=1, paid_on=dt.date(2026, 3, 2))
        Enrollment.objects.filter(pk=self.students[2].pk).update(status="cancelled")
        with self.assertRaises(ValidationError):
            self.pay(self.students[2], 1_000)
        self.assertEqual(Payment.objects.count(), 1)
        with self.assertRaises(ValidationError):
            services.fee_save(user=self.office, cohort=self.cohort, amount=1_000, bars_exam=False)  # supported
        for amount in (0, -1, 10_000_000_001):
            with self.assertRaises(ValidationError):
                services.fee_save(user=self.office, cohort=self.paying, amount=amount, bars_exam=True)
