"""Two payments recorded at once (real threads, each with its own database connection, on
SQLite and PostgreSQL): each gets its own receipt number, never a database error; the
first payments of a year create its counter once."""

import datetime as dt

from daotao.finance import services
from daotao.finance.models import Payment, ReceiptCounter
from daotao.testing import TransactionalTeachingWorld, enroll, make_cohort, overlapping, run_at_once

DAY = dt.date(2026, 3, 2)


class ConcurrentReceiptTests(TransactionalTeachingWorld):
    def setUp(self):
        super().setUp()
        self.paying = make_cohort("TT01", self.tc, self.h01, dt.date(2026, 1, 5), funding="self_funded")
        self.students = enroll(self.paying, 4)
        services.fee_save(user=self.office, cohort=self.paying, amount=2_000_000, bars_exam=True)

    def pay(self, enrollment):
        return services.payment_record(user=self.office, enrollment=enrollment, amount=1_000_000, paid_on=DAY).number

    def test_two_first_payments_of_a_year_at_once(self):
        with overlapping(ReceiptCounter.objects, "create"):
            numbers, errors = run_at_once(self.pay, self.students[:2])
        self.assertEqual(errors, [])
        self.assertEqual(sorted(numbers), [1, 2])
        self.assertEqual(ReceiptCounter.objects.get(year=2026).last_number, 2)

    def test_payments_at_once_once_the_year_has_begun(self):
        self.pay(self.students[0])
        with overlapping(Payment, "full_clean", parties=3):
            numbers, errors = run_at_once(self.pay, self.students[1:])
        self.assertEqual(errors, [])
        self.assertEqual(sorted(numbers), [2, 3, 4])
        self.assertEqual(sorted(Payment.objects.values_list("number", flat=True)), [1, 2, 3, 4])

    def test_the_same_student_paying_twice_at_once_cannot_pay_more_than_the_fee(self):
        def pay_all(enrollment):
            return services.payment_record(
                user=self.office, enrollment=enrollment, amount=2_000_000, paid_on=DAY
            ).number

        numbers, errors = run_at_once(pay_all, [self.students[0], self.students[0]])
        self.assertEqual(len(numbers), 1)
        self.assertEqual(len(errors), 1)
        self.assertEqual(Payment.objects.count(), 1)
